//! `inspection_plans`: the year's plan to inspect a room (年度检查计划, R15).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub year: i32,
    pub planned_on: Date,
    /// Who will go, as the planner wrote it.
    pub inspectors: String,
    pub planned_by_account_id: Option<i64>,
    pub planned_by_name: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
