//! `activity_photos`: photos of an activity (R10), re-encoded without metadata.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub jpeg: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub etag: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
