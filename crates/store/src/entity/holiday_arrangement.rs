//! `holiday_arrangements`: one State Council holiday arrangement (节假日安排) per year, as loaded.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holiday_arrangements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub notice_title: String,
    pub notice_number: Option<String>,
    pub notice_date: Option<Date>,
    /// `shipped` (data/holidays/ in this release) or `imported` (loaded by an operator).
    pub source: String,
    /// The file as loaded, so what was loaded can always be shown again.
    pub content: String,
    pub loaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
