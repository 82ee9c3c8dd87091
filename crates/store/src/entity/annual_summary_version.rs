//! `annual_summary_versions`: every submitted version of a summary, with its figures frozen (JSON).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_summary_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub summary_id: i64,
    pub version: i32,
    pub text: String,
    pub figures: String,
    pub submitted_at: DateTimeUtc,
    pub submitted_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
