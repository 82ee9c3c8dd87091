//! sea-orm entities: one module per table.

pub mod account;
pub mod audit_head;
pub mod audit_log;
pub mod blocked_date;
pub mod convener;
pub mod department;
pub mod district_reception_day;
pub mod division;
pub mod division_name;
pub mod holiday_arrangement;
pub mod login_throttle;
pub mod member;
pub mod member_feed_token;
pub mod member_photo;
pub mod official_day;
pub mod reception_session;
pub mod reception_session_change;
pub mod reception_session_member;
pub mod room;
pub mod room_member;
pub mod room_place;
pub mod rule_set;
pub mod session;
pub mod setting;
