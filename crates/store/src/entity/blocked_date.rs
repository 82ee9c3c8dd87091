//! `blocked_dates`: dates kept free for an important event (重要活动); reception days move past them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blocked_dates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub date: Date,
    /// Empty when the city blocks the date for every district.
    pub district_id: Option<i64>,
    pub event: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
