//! `members`: CPPCC members (政协委员).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub level: String,
    pub district_id: Option<i64>,
    pub sector: Option<String>,
    pub created_at: DateTimeUtc,
    pub employer: Option<String>,
    pub position: Option<String>,
    pub mobile: Option<String>,
    pub resides_hk_macao: bool,
    pub status: String,
    pub ceased_on: Option<Date>,
    pub updated_at: Option<DateTimeUtc>,
    /// 届别, e.g. 第十四届.
    pub term: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
