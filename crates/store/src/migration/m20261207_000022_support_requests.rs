//! Members' support requests to the district (委员履职支持, R12) and their history: the request, the
//! district's answers, the member's confirmation or further questions, each a message appended only.

use sea_orm_migration::prelude::*;

/// The values each constrained column may hold, frozen with the migration.
pub(crate) const KNOWN_VALUES: &[(&str, &str, &[&str])] = &[
    (
        "support_requests",
        "kind",
        &["guidance", "consultation", "people"],
    ),
    ("support_requests", "status", &["open", "answered", "closed"]),
    (
        "support_messages",
        "step",
        &["ask", "answer", "confirm", "ask_again"],
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupportRequests {
    Table,
    Id,
    MemberId,
    RoomId,
    DistrictId,
    StreetId,
    Kind,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupportMessages {
    Table,
    Id,
    RequestId,
    Step,
    Text,
    ActorAccountId,
    ActorName,
    At,
}

fn values(index: usize) -> impl Iterator<Item = &'static str> {
    KNOWN_VALUES[index].2.iter().copied()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupportRequests::Table)
                    .col(
                        ColumnDef::new(SupportRequests::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SupportRequests::MemberId).big_integer().not_null())
                    .col(ColumnDef::new(SupportRequests::RoomId).big_integer().not_null())
                    .col(
                        ColumnDef::new(SupportRequests::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SupportRequests::StreetId).big_integer().not_null())
                    .col(
                        ColumnDef::new(SupportRequests::Kind)
                            .string()
                            .not_null()
                            .check(Expr::col(SupportRequests::Kind).is_in(values(0))),
                    )
                    .col(
                        ColumnDef::new(SupportRequests::Status)
                            .string()
                            .not_null()
                            .check(Expr::col(SupportRequests::Status).is_in(values(1))),
                    )
                    .col(
                        ColumnDef::new(SupportRequests::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SupportRequests::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_requests_member")
                            .from(SupportRequests::Table, SupportRequests::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_requests_room")
                            .from(SupportRequests::Table, SupportRequests::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_support_requests_district_status")
                    .table(SupportRequests::Table)
                    .col(SupportRequests::DistrictId)
                    .col(SupportRequests::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupportMessages::Table)
                    .col(
                        ColumnDef::new(SupportMessages::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SupportMessages::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SupportMessages::Step)
                            .string()
                            .not_null()
                            .check(Expr::col(SupportMessages::Step).is_in(values(2))),
                    )
                    .col(ColumnDef::new(SupportMessages::Text).text().not_null())
                    .col(
                        ColumnDef::new(SupportMessages::ActorAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(SupportMessages::ActorName).string().not_null())
                    .col(
                        ColumnDef::new(SupportMessages::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_messages_request")
                            .from(SupportMessages::Table, SupportMessages::RequestId)
                            .to(SupportRequests::Table, SupportRequests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_support_messages_request")
                    .table(SupportMessages::Table)
                    .col(SupportMessages::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SupportMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SupportRequests::Table).to_owned())
            .await
    }
}
