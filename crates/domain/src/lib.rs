//! The regulation (广州市各级政协委员进社区工作规范) as types and pure functions.
//!
//! Nothing here does I/O, runs async code or knows a database: storage and HTTP stand on these types.

pub mod activity;
pub mod annual;
pub mod authz;
pub mod calendar;
pub mod dashboard;
pub mod department;
pub mod funding;
pub mod identity;
pub mod insights;
pub mod inspection;
pub mod ledger;
pub mod member;
pub mod opinion;
pub mod org;
pub mod pii;
pub mod proposal;
pub mod reminder;
pub mod room;
pub mod room_rules;
pub mod roster;
pub mod staffing;
pub mod step;
pub mod support;
pub mod text;

/// Why a submitted value was refused, naming the field it is about (pages show the message beside the
/// field, the API in `error.field`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
