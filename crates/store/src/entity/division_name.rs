//! `division_names`: every name a division has had, with the dates it held (history is never rewritten).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "division_names")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub division_id: i64,
    pub name: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub note: Option<String>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
