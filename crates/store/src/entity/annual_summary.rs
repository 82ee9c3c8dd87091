//! `annual_summaries`: a district's annual summary (年度工作总结, R14) of one year, its status and text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_summaries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub year: i32,
    pub status: String,
    pub text: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub received_at: Option<DateTimeUtc>,
    pub return_reason: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
