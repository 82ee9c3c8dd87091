//! `opinion_steps`: every routing step of a case (who, when, what, why).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opinion_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub opinion_id: i64,
    pub action: String,
    pub actor_role: String,
    pub actor_label: String,
    pub taken_at: DateTimeUtc,
    pub title: Option<String>,
    pub text: Option<String>,
    pub department_id: Option<i64>,
    pub from_state: String,
    pub to_state: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
