//! `activities`: community activities (履职活动, R10).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub kind: String,
    pub local_kind_id: Option<i64>,
    pub held_on: Date,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    pub summary: String,
    pub residents_reached: Option<i32>,
    pub status: String,
    pub return_reason: Option<String>,
    pub session_id: Option<i64>,
    pub client_key: Option<String>,
    pub request_digest: Option<String>,
    pub recorded_by: String,
    pub recorded_by_account: Option<i64>,
    pub recorded_at: DateTimeUtc,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
