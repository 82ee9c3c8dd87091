//! `proposals`: a 提案 or 社情民意信息 a member writes from residents' opinions (R13.4), with where it
//! stands now.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub member_id: i64,
    pub district_id: i64,
    /// The case whose `draft_proposal` / `draft_social_report` step wrote it; none for a draft
    /// started from a group of concentrated opinions.
    pub origin_case_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub status: String,
    pub reference_number: Option<String>,
    pub handling_unit: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
