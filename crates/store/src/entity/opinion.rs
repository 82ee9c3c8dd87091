//! `opinions`: citizens' opinions (群众意见) and where each stands.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opinions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tracking_code: String,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub channel: String,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub community: Option<String>,
    pub consent_at: DateTimeUtc,
    pub anonymous_to_departments: bool,
    pub member_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub state: String,
    pub route: Option<String>,
    pub department_id: Option<i64>,
    pub due_on: Option<Date>,
    pub procedure: Option<String>,
    pub told_body: Option<String>,
    pub rating: Option<String>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub received_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
