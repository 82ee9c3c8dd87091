//! Notifications (提醒, X5): one row per reminder per account, unique by its dedupe key, so servers
//! scanning at the same moment create it once; read when the account marks it.

use sea_orm_migration::prelude::*;

/// The kinds this migration allowed, as released (it once read them from the live enum, which would
/// have let a later kind into fresh databases only; `m20261207_000021` widens the list).
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
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    Kind,
    Subject,
    DueDate,
    Title,
    Link,
    DedupeKey,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(
                        ColumnDef::new(Notifications::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Notifications::AccountId).big_integer().not_null())
                    .col(ColumnDef::new(Notifications::Kind).string().not_null())
                    .col(ColumnDef::new(Notifications::Subject).string().not_null())
                    .col(ColumnDef::new(Notifications::DueDate).date().null())
                    .col(ColumnDef::new(Notifications::Title).string().not_null())
                    .col(ColumnDef::new(Notifications::Link).string().not_null())
                    .col(ColumnDef::new(Notifications::DedupeKey).string().not_null())
                    .col(
                        ColumnDef::new(Notifications::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::ReadAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .check(Expr::col(Notifications::Kind).is_in(KINDS.iter().copied()))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_account")
                            .from(Notifications::Table, Notifications::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_dedupe_key")
                    .table(Notifications::Table)
                    .col(Notifications::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_by_account")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::ReadAt)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
