//! `inspections`: one inspection of a room by a CPPCC working department (督查检查, R15).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub inspected_on: Date,
    pub inspector_account_id: Option<i64>,
    pub inspector_name: String,
    pub checklist: String,
    pub remarks: String,
    pub created_at: DateTimeUtc,
    /// The client's idempotency key (migration 24) and a digest of what it sent with it.
    pub client_key: Option<String>,
    pub request_digest: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
