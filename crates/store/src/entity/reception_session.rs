//! `reception_sessions`: one reception day of one room (接待日安排) with its notice (公告).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub date: Date,
    pub nominal_date: Date,
    /// "HH:MM"
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    /// `planned`, `held` or `cancelled`.
    pub status: String,
    pub notice_due: Date,
    pub notice_posted_on: Option<Date>,
    pub notice_posted_where: Option<String>,
    pub notice_posted_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
