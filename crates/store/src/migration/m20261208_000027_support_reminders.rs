//! Widens `notifications.kind` for the reminder of a support request unanswered after five working
//! days (履职支持, R12), the way migration 21 did: PostgreSQL swaps the CHECK, SQLite rebuilds the table,
//! in one transaction on both.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use super::m20261207_000021_rectification_reminders::{KINDS as EARLIER, postgres_swap, sqlite_rebuild};

/// Every kind `notifications.kind` may hold from here on (`store`'s tests compare it with the domain).
pub(crate) const KINDS: &[&str] = &[
    "case_arrived",
    "step_due_tomorrow",
    "step_overdue",
    "step_escalated",
    "notice_due",
    "notice_urgent",
    "below_minimum",
    "summary_due",
    "summary_overdue",
    "rectification_waiting",
    "rectification_due",
    "rectification_overdue",
    "support_unanswered",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => sqlite_rebuild(manager, KINDS).await,
            _ => postgres_swap(manager, KINDS).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let kept = EARLIER
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        db.execute_unprepared(&format!("DELETE FROM notifications WHERE kind NOT IN ({kept})"))
            .await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => sqlite_rebuild(manager, EARLIER).await,
            _ => postgres_swap(manager, EARLIER).await,
        }
    }
}
