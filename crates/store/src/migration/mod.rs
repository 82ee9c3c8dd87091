//! Schema migrations, written once in Rust and run on both SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261130_000001_org_tree;
mod m20261130_000002_guangzhou_divisions_2023;
mod m20261130_000003_identity;
mod m20261130_000004_audit_append_only;
mod m20261130_000005_member_roster;
mod m20261130_000006_room_details;
mod m20261130_000007_conveners;
mod m20261130_000008_calendar;
mod m20261130_000009_reception_sessions;
mod m20261130_000010_member_feed_tokens;
mod m20261130_000011_member_photos;
mod m20261130_000012_room_places;
mod m20261130_000013_activities;
mod m20261130_000014_opinions;
mod m20261203_000015_annual_summaries;
mod m20261203_000016_room_rules;
pub(crate) mod m20261204_000017_known_values;
pub(crate) mod m20261206_000018_notifications;
pub(crate) mod m20261207_000019_inspections;
pub(crate) mod m20261207_000020_room_funding;
pub(crate) mod m20261207_000021_rectification_reminders;
pub(crate) mod m20261207_000022_support_requests;
pub(crate) mod m20261207_000023_assign_member_step;
pub(crate) mod m20261207_000024_inspection_client_key;
pub(crate) mod m20261208_000025_proposals;
mod m20261208_000026_inspection_plans;
pub(crate) mod m20261208_000027_support_reminders;
mod m20261208_000028_rectification_photos;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_org_tree::Migration),
            Box::new(m20261130_000002_guangzhou_divisions_2023::Migration),
            Box::new(m20261130_000003_identity::Migration),
            Box::new(m20261130_000004_audit_append_only::Migration),
            Box::new(m20261130_000005_member_roster::Migration),
            Box::new(m20261130_000006_room_details::Migration),
            Box::new(m20261130_000007_conveners::Migration),
            Box::new(m20261130_000008_calendar::Migration),
            Box::new(m20261130_000009_reception_sessions::Migration),
            Box::new(m20261130_000010_member_feed_tokens::Migration),
            Box::new(m20261130_000011_member_photos::Migration),
            Box::new(m20261130_000012_room_places::Migration),
            Box::new(m20261130_000013_activities::Migration),
            Box::new(m20261130_000014_opinions::Migration),
            Box::new(m20261203_000015_annual_summaries::Migration),
            Box::new(m20261203_000016_room_rules::Migration),
            Box::new(m20261204_000017_known_values::Migration),
            Box::new(m20261206_000018_notifications::Migration),
            Box::new(m20261207_000019_inspections::Migration),
            Box::new(m20261207_000020_room_funding::Migration),
            Box::new(m20261207_000021_rectification_reminders::Migration),
            Box::new(m20261207_000022_support_requests::Migration),
            Box::new(m20261207_000023_assign_member_step::Migration),
            Box::new(m20261207_000024_inspection_client_key::Migration),
            Box::new(m20261208_000025_proposals::Migration),
            Box::new(m20261208_000026_inspection_plans::Migration),
            Box::new(m20261208_000027_support_reminders::Migration),
            Box::new(m20261208_000028_rectification_photos::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use domain::activity::{ActivityKind, ActivityStatus};
    use domain::annual::SummaryStatus;
    use domain::authz::{Role, ScopeLevel};
    use domain::calendar::arrangement::OfficialKind;
    use domain::calendar::session::SessionStatus;
    use domain::department::{DepartmentKind, DepartmentLevel};
    use domain::member::MemberLevel;
    use domain::opinion::{ActionKind, CaseState, Procedure, Rating, Route};
    use domain::org::DivisionLevel;
    use domain::room::RoomKind;
    use domain::staffing::ConvenerTitle;

    use domain::funding::SpendingCategory;
    use domain::inspection::{Owner, TaskStatus, TaskStep};
    use domain::proposal::{ProposalKind, ProposalStatus, ProposalStep};
    use domain::reminder::ReminderKind;
    use domain::support::{SupportKind, SupportStatus, SupportStep};

    use super::m20261204_000017_known_values::KNOWN_VALUES;
    use super::m20261207_000019_inspections::KNOWN_VALUES as INSPECTION_VALUES;
    use super::m20261207_000020_room_funding::KNOWN_VALUES as FUNDING_VALUES;
    use super::m20261207_000022_support_requests::KNOWN_VALUES as SUPPORT_VALUES;
    use super::m20261207_000023_assign_member_step::ACTIONS as STEP_ACTIONS;
    use super::m20261208_000025_proposals::KNOWN_VALUES as PROPOSAL_VALUES;
    use super::m20261208_000027_support_reminders::KINDS as NOTIFICATION_KINDS;

    fn names<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().copied().map(as_str).collect()
    }

    /// What the code writes into each constrained column, from the domain's own lists.
    fn written_by_the_code(table: &str, column: &str) -> Vec<&'static str> {
        match (table, column) {
            ("accounts", "role") => names(&Role::ALL, Role::as_str),
            ("accounts", "scope_level") => names(&ScopeLevel::ALL, ScopeLevel::as_str),
            ("activities", "kind") => names(&ActivityKind::ALL, ActivityKind::as_str),
            ("activities", "status") => names(&ActivityStatus::ALL, ActivityStatus::as_str),
            ("annual_summaries", "status") => names(&SummaryStatus::STORED, SummaryStatus::as_str),
            ("conveners", "title") => names(&ConvenerTitle::ALL, ConvenerTitle::as_str),
            ("departments", "level") => names(&DepartmentLevel::ALL, DepartmentLevel::as_str),
            ("departments", "kind") => names(&DepartmentKind::ALL, DepartmentKind::as_str),
            ("divisions", "level") => names(&DivisionLevel::ALL, DivisionLevel::as_str),
            ("members", "level") => names(&MemberLevel::ALL, MemberLevel::as_str),
            ("members", "status") => vec!["serving", "ceased"],
            ("official_days", "kind") => names(&OfficialKind::ALL, OfficialKind::as_str),
            ("opinions", "channel") => vec!["online", "visit"],
            ("opinions", "state") | ("opinion_steps", "from_state" | "to_state") => {
                names(&CaseState::ALL, CaseState::as_str)
            }
            ("opinions", "route") => names(&Route::ALL, Route::as_str),
            ("opinions", "procedure") => names(&Procedure::ALL, Procedure::as_str),
            ("opinions", "rating") => names(&Rating::ALL, Rating::as_str),
            ("opinion_steps", "action") => names(&ActionKind::ALL, ActionKind::as_str),
            ("reception_sessions", "status") => names(&SessionStatus::ALL, SessionStatus::as_str),
            ("rooms", "kind") => names(&RoomKind::ALL, RoomKind::as_str),
            ("rooms", "status") => vec!["open", "closed"],
            ("sessions", "kind") => vec!["cookie", "bearer"],
            ("rectification_tasks", "owner") => names(&Owner::ALL, Owner::as_str),
            ("rectification_tasks", "status") => names(&TaskStatus::ALL, TaskStatus::as_str),
            ("rectification_steps", "step") => names(&TaskStep::ALL, TaskStep::as_str),
            ("support_requests", "kind") => names(&SupportKind::ALL, SupportKind::as_str),
            ("support_requests", "status") => names(&SupportStatus::ALL, SupportStatus::as_str),
            ("support_messages", "step") => names(&SupportStep::ALL, SupportStep::as_str),
            ("proposals", "kind") => names(&ProposalKind::ALL, ProposalKind::as_str),
            ("proposals", "status") => names(&ProposalStatus::ALL, ProposalStatus::as_str),
            ("proposal_events", "step") => names(&ProposalStep::ALL, ProposalStep::as_str),
            ("notifications", "kind") => names(&ReminderKind::ALL, ReminderKind::as_str),
            ("room_spending", "category") => names(&SpendingCategory::ALL, SpendingCategory::as_str),
            other => panic!("no domain list for {other:?}"),
        }
    }

    /// A variant added to a domain enum needs a new migration widening its column's constraint.
    #[test]
    fn the_constrained_values_are_the_domain_values() {
        let notifications = [("notifications", "kind", NOTIFICATION_KINDS)];
        let actions = [("opinion_steps", "action", STEP_ACTIONS)];
        // Migration 17's list for the step actions was widened by migration 23.
        for (table, column, values) in KNOWN_VALUES
            .iter()
            .filter(|(table, column, _)| (*table, *column) != ("opinion_steps", "action"))
            .chain(&actions)
            .chain(INSPECTION_VALUES)
            .chain(FUNDING_VALUES)
            .chain(SUPPORT_VALUES)
            .chain(PROPOSAL_VALUES)
            .chain(&notifications)
        {
            assert_eq!(
                written_by_the_code(table, column),
                values.to_vec(),
                "{table}.{column}: add a migration that widens the constraint"
            );
        }
    }
}
