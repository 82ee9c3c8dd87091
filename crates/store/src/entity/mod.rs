//! sea-orm entities: one module per table.

pub mod account;
pub mod audit_head;
pub mod audit_log;
pub mod convener;
pub mod department;
pub mod division;
pub mod division_name;
pub mod login_throttle;
pub mod member;
pub mod room;
pub mod room_member;
pub mod session;
pub mod setting;
