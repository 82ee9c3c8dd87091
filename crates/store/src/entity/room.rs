//! `rooms`: work rooms and liaison stations (工作室/联络站).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub district_id: i64,
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub address: String,
    pub created_at: DateTimeUtc,
    pub opening_notes: Option<String>,
    pub shared_with_liaison: bool,
    pub status: String,
    pub receives_monthly: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
