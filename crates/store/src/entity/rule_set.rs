//! `rule_sets`: the versions of the regulation's numbers (R17), each in force from its date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_sets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub effective_from: Date,
    /// `domain::calendar::RuleSet` as JSON.
    pub rules: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
