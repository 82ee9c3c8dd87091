//! `room_spending`: one spending against a room's budget line.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "room_spending")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub funding_id: i64,
    pub spent_on: Date,
    pub amount_fen: i64,
    pub category: String,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
