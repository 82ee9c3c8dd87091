//! Widens `opinion_steps.action` for `assign_member` (指定委员跟进, R13.4): room staff name the member
//! who takes a case up, without moving it. Migration 17 guards the column with a named CHECK
//! (PostgreSQL) or a pair of named triggers (SQLite); both are replaced with the longer list, in one
//! transaction.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// Every action `opinion_steps.action` may hold from here on (`store`'s tests compare it with the
/// domain).
pub(crate) const ACTIONS: &[&str] = &[
    "screen_out",
    "answer_on_spot",
    "refer_to_street",
    "send_to_petition",
    "assign_member",
    "instruct",
    "forward_to_district",
    "record_handling",
    "feedback_to_member",
    "confirm_feedback",
    "draft_proposal",
    "draft_social_report",
    "close",
    "rate_dissatisfied",
    "review_reopen",
    "review_uphold",
];

/// The list as migration 17 froze it.
const EARLIER: &[&str] = &[
    "screen_out",
    "answer_on_spot",
    "refer_to_street",
    "send_to_petition",
    "instruct",
    "forward_to_district",
    "record_handling",
    "feedback_to_member",
    "confirm_feedback",
    "draft_proposal",
    "draft_social_report",
    "close",
    "rate_dissatisfied",
    "review_reopen",
    "review_uphold",
];

/// Migration 17's name for the guard.
const NAME: &str = "opinion_steps_action_known";

#[derive(DeriveMigrationName)]
pub struct Migration;

fn statements(backend: DbBackend, actions: &[&str]) -> Vec<String> {
    let list = actions
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    if backend == DbBackend::Postgres {
        vec![
            format!("ALTER TABLE opinion_steps DROP CONSTRAINT IF EXISTS {NAME}"),
            format!("ALTER TABLE opinion_steps ADD CONSTRAINT {NAME} CHECK (action IN ({list}))"),
        ]
    } else {
        let mut out = Vec::new();
        for (suffix, event) in [("insert", "INSERT"), ("update", "UPDATE OF action")] {
            out.push(format!("DROP TRIGGER IF EXISTS {NAME}_{suffix}"));
            out.push(format!(
                "CREATE TRIGGER {NAME}_{suffix} BEFORE {event} ON opinion_steps \
                 WHEN NEW.action NOT IN ({list}) \
                 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}'); END"
            ));
        }
        out
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in statements(db.get_database_backend(), ACTIONS) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // The steps of the new kind go with it; the cases keep the member they name.
        db.execute_unprepared("DELETE FROM opinion_steps WHERE action = 'assign_member'")
            .await?;
        for sql in statements(db.get_database_backend(), EARLIER) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
