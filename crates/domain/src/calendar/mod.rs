//! The reception calendar (R9, R17): the official working-day calendar, the rules as versioned data and
//! the reception days computed from them, each with its reason.

pub mod arrangement;
pub mod reception;
pub mod rules;
pub mod session;
pub mod work;
mod year;

pub use arrangement::{Arrangement, ArrangementError, Festival, OfficialKind, weekday_zh};
pub use reception::{
    BlockedDate, DistrictDay, ReceptionDay, ReceptionSetup, ReceptionYear, SkipReason, Skipped,
    reception_days,
};
pub use rules::{RuleBook, RuleError, RuleSet, regulation_effective_date};
pub use session::{NoticeStatus, SessionHours, SessionStatus, notice_status, same_slot};
pub use work::{DayKind, WorkCalendar};
pub use year::{Year, YearError};

#[cfg(test)]
mod properties;
