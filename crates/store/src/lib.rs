//! The database: one code path for SQLite and PostgreSQL, migrations, and repositories that return
//! domain types.

pub mod accounts;
pub mod activities;
pub mod annual;
pub mod audit;
pub mod calendar;
mod connect;
pub mod divisions;
pub mod entity;
mod error;
pub mod funding;
pub mod inspections;
pub mod ledgers;
pub mod members;
pub mod migration;
pub mod notifications;
pub mod opinions;
pub mod proposals;
pub mod rate_limits;
pub mod room_rules;
pub mod roster;
pub mod scope;
pub mod sessions;
pub mod settings;
pub mod staffing;
pub mod support;
pub mod units;

pub use connect::{
    BACKUP_EXCLUDED_TABLES, Backend, DatabaseUrl, PoolState, Store, UrlError, create_private_file,
};
pub use error::StoreError;
// Fresh databases and a raw-SQL runner for tests: never compiled into the server
// (`cargo build` leaves the feature off; test suites enable it from their dev-dependencies).
#[cfg(feature = "test-support")]
pub mod test_support;

/// What recording a thing sent with a client's idempotency key (activities, inspections) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Created(i64),
    /// The same client key and content came again: the first record.
    Replayed(i64),
    /// The client key was used before for something else.
    KeyReused(i64),
}
