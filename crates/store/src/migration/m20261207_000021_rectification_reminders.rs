//! Widens `notifications.kind` for the rectification reminders (整改, R15). PostgreSQL swaps the CHECK
//! constraint; SQLite cannot alter one, so the table is rebuilt with the new list, its rows copied and
//! its indexes made again — in one transaction on both (sea-orm-migration wraps only PostgreSQL by
//! default; SQLite's DDL is transactional too), so a crash midway leaves the old table intact.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::m20261206_000018_notifications::KINDS as EARLIER;

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
];

#[derive(DeriveMigrationName)]
pub struct Migration;

fn quoted(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table exactly as migration 18 made it on SQLite (column types as sea-orm names them), under
/// `name`, with `kinds` allowed.
fn sqlite_table(name: &str, kinds: &[&str]) -> String {
    format!(
        "CREATE TABLE \"{name}\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
         \"account_id\" integer NOT NULL, \"kind\" varchar NOT NULL, \"subject\" varchar NOT NULL, \
         \"due_date\" date_text NULL, \"title\" varchar NOT NULL, \"link\" varchar NOT NULL, \
         \"dedupe_key\" varchar NOT NULL, \"created_at\" timestamp_with_timezone_text NOT NULL, \
         \"read_at\" timestamp_with_timezone_text NULL, \
         FOREIGN KEY (\"account_id\") REFERENCES \"accounts\" (\"id\") ON DELETE CASCADE, \
         CHECK (\"kind\" IN ({})) )",
        quoted(kinds)
    )
}

pub(crate) async fn sqlite_rebuild(manager: &SchemaManager<'_>, kinds: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&sqlite_table("notifications_rebuilt", kinds))
        .await?;
    db.execute_unprepared(
        "INSERT INTO \"notifications_rebuilt\" (id, account_id, kind, subject, due_date, title, link, dedupe_key, created_at, read_at) \
         SELECT id, account_id, kind, subject, due_date, title, link, dedupe_key, created_at, read_at FROM \"notifications\"",
    )
    .await?;
    db.execute_unprepared("DROP TABLE \"notifications\"").await?;
    db.execute_unprepared("ALTER TABLE \"notifications_rebuilt\" RENAME TO \"notifications\"")
        .await?;
    db.execute_unprepared(
        "CREATE UNIQUE INDEX \"notifications_dedupe_key\" ON \"notifications\" (\"dedupe_key\")",
    )
    .await?;
    db.execute_unprepared(
        "CREATE INDEX \"notifications_by_account\" ON \"notifications\" (\"account_id\", \"read_at\", \"created_at\")",
    )
    .await?;
    Ok(())
}

pub(crate) async fn postgres_swap(manager: &SchemaManager<'_>, kinds: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    // The constraint migration 18 created has the name PostgreSQL gave it; drop every CHECK on the
    // column's table (it has no other) and add the named one.
    db.execute_unprepared(
        "DO $$ DECLARE c text; BEGIN \
           FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'notifications'::regclass AND contype = 'c' LOOP \
             EXECUTE format('ALTER TABLE notifications DROP CONSTRAINT %I', c); \
           END LOOP; \
         END $$",
    )
    .await?;
    db.execute_unprepared(&format!(
        "ALTER TABLE notifications ADD CONSTRAINT notifications_kind_known CHECK (kind IN ({}))",
        quoted(kinds)
    ))
    .await?;
    Ok(())
}

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
        let kept = quoted(EARLIER);
        db.execute_unprepared(&format!("DELETE FROM notifications WHERE kind NOT IN ({kept})"))
            .await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => sqlite_rebuild(manager, EARLIER).await,
            _ => postgres_swap(manager, EARLIER).await,
        }
    }
}
