//! The database enforces what the code assumes: every column written from a domain enum holds one
//! of that enum's values, and a district's rooms have distinct names (two requests creating the
//! same name at once can no longer both pass the check).
//!
//! PostgreSQL gets CHECK constraints. SQLite cannot add a CHECK to an existing table, so it gets a
//! pair of triggers per column that refuse the same rows. NULL passes both, as a nullable column's
//! "not yet" should. The lists are frozen here with the migration; `store`'s tests compare them with
//! the domain enums, so a new variant needs a new migration rather than an edit of this one.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A case's states, held by the case and by each step (before and after).
const CASE_STATES: &[&str] = &[
    "received",
    "answered",
    "at_street_lead",
    "at_department",
    "at_petition",
    "feedback_given",
    "done",
    "closed",
    "under_review",
];

/// (table, column, the values it may hold).
pub(crate) const KNOWN_VALUES: &[(&str, &str, &[&str])] = &[
    (
        "accounts",
        "role",
        &[
            "city_office",
            "working_department",
            "district_staff",
            "street_lead",
            "room_staff",
            "member",
            "functional_department",
            "petition_department",
        ],
    ),
    (
        "accounts",
        "scope_level",
        &["city", "district", "street", "room", "department", "member"],
    ),
    (
        "activities",
        "kind",
        &[
            "reception_day",
            "grassroots_research",
            "residents_consultation",
            "policy_promotion",
            "legal_info_consultation",
            "sector_activity",
            "local",
        ],
    ),
    ("activities", "status", &["confirmed", "pending", "returned"]),
    (
        "annual_summaries",
        "status",
        &["draft", "submitted", "received", "returned"],
    ),
    ("conveners", "title", &["cppcc_chair", "ufwd_head"]),
    ("departments", "level", &["street", "district"]),
    ("departments", "kind", &["functional", "petition"]),
    ("divisions", "level", &["city", "district", "street", "community"]),
    (
        "members",
        "level",
        &["national", "provincial", "city", "district"],
    ),
    ("members", "status", &["serving", "ceased"]),
    ("official_days", "kind", &["holiday", "workday"]),
    ("opinions", "channel", &["online", "visit"]),
    ("opinions", "state", CASE_STATES),
    (
        "opinions",
        "route",
        &[
            "screened_out",
            "on_the_spot",
            "street",
            "district",
            "petition",
            "proposal",
            "social_report",
        ],
    ),
    (
        "opinions",
        "procedure",
        &[
            "litigation",
            "administrative_reconsideration",
            "arbitration",
            "other",
        ],
    ),
    (
        "opinions",
        "rating",
        &["satisfied", "basically_satisfied", "dissatisfied"],
    ),
    (
        "opinion_steps",
        "action",
        &[
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
        ],
    ),
    ("opinion_steps", "from_state", CASE_STATES),
    ("opinion_steps", "to_state", CASE_STATES),
    ("reception_sessions", "status", &["planned", "held", "cancelled"]),
    ("rooms", "kind", &["fixed", "mobile", "online"]),
    ("rooms", "status", &["open", "closed"]),
    ("sessions", "kind", &["cookie", "bearer"]),
];

const ROOM_NAMES_INDEX: &str = "rooms_name_per_district";

fn value_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn constraint_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_known")
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for (table, column, values) in KNOWN_VALUES {
        let name = constraint_name(table, column);
        let list = value_list(values);
        if backend == DbBackend::Postgres {
            statements.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IN ({list}))"
            ));
        } else {
            for (suffix, event) in [
                ("insert", "INSERT".to_owned()),
                ("update", format!("UPDATE OF {column}")),
            ] {
                statements.push(format!(
                    "CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} \
                     WHEN NEW.{column} NOT IN ({list}) \
                     BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                ));
            }
        }
    }
    statements.push(format!(
        "CREATE UNIQUE INDEX {ROOM_NAMES_INDEX} ON rooms (district_id, name)"
    ));
    statements
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = vec![format!("DROP INDEX IF EXISTS {ROOM_NAMES_INDEX}")];
    for (table, column, _) in KNOWN_VALUES {
        let name = constraint_name(table, column);
        if backend == DbBackend::Postgres {
            statements.push(format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"));
        } else {
            statements.push(format!("DROP TRIGGER IF EXISTS {name}_insert"));
            statements.push(format!("DROP TRIGGER IF EXISTS {name}_update"));
        }
    }
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in up_statements(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in down_statements(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
