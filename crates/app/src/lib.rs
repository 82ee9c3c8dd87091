//! Use cases: one function per thing a user does. Each checks its input, owns its transaction and
//! returns domain types or the one [`AppError`].

pub mod access;
pub mod accounts;
pub mod activities;
pub mod annual;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod clock;
pub mod dashboard;
pub mod demo;
pub mod divisions;
mod error;
pub mod funding;
mod gate;
pub mod insights;
pub mod inspections;
pub mod ledgers;
pub mod members;
pub mod opinions;
pub mod proposals;
pub mod reminders;
pub mod room_rules;
pub mod rooms;
pub mod roster;
pub mod sessions;
pub mod staffing;
pub mod support;
pub mod units;
pub mod workbench;

use std::sync::Arc;

pub use access::Acting;
pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use error::AppError;
pub use store::accounts::{Account, LoginKind, LoginSession};
pub use store::audit::{AuditEntry, AuditQuery, ChainReport};
pub use store::divisions::{DivisionDetail, DivisionMatch};
pub use store::units::{Department, PublicMember, Room};
pub use store::{Backend, DatabaseUrl, PoolState, Store, StoreError};

/// Everything a use case needs: the database and the clock. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// The store is the use cases' own: the web layer and the binary reach data only through `App`,
    /// so who may do what is decided here (and in `domain::authz`), never beside a page.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Which database the installation runs on, and its pools' sizes (for `/metrics`).
    pub fn database_pools(&self) -> (store::Backend, Vec<store::PoolState>) {
        (self.store.backend(), self.store.pool_states())
    }

    /// Closes the database connections (at shutdown and at the end of each command).
    pub async fn close(&self) {
        self.store.clone().close().await;
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Answers when the database can run a query.
    pub async fn health(&self) -> Result<(), AppError> {
        self.store.ping().await.map_err(AppError::from)
    }
}
