//! `rule_documents`: a room's rule (工作室制度) or, without a room, a district's template (区制度模板).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub room_id: Option<i64>,
    pub template_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
