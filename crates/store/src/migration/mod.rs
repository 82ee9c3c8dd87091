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
        ]
    }
}
