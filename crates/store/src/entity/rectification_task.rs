//! `rectification_tasks`: one finding of an inspection, to be rectified by its owner (整改任务).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectification_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub finding: String,
    pub owner: String,
    pub due_date: Date,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
