//! Reception sessions (接待日安排, R9): one reception day of one room with its hours, place and members
//! on duty, its notice (公告) with when and where it went up, and the history of every adjustment with
//! its reason.

use sea_orm_migration::prelude::*;

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
enum ReceptionSessions {
    Table,
    Id,
    RoomId,
    Date,
    NominalDate,
    StartsAt,
    EndsAt,
    Place,
    Status,
    NoticeDue,
    NoticePostedOn,
    NoticePostedWhere,
    NoticePostedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReceptionSessionMembers {
    Table,
    SessionId,
    MemberId,
}

#[derive(DeriveIden)]
enum ReceptionSessionChanges {
    Table,
    Id,
    SessionId,
    ChangedAt,
    ChangedBy,
    Summary,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReceptionSessions::Table)
                    .col(
                        ColumnDef::new(ReceptionSessions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ReceptionSessions::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(ReceptionSessions::Date).date().not_null())
                    .col(ColumnDef::new(ReceptionSessions::NominalDate).date().not_null())
                    .col(
                        ColumnDef::new(ReceptionSessions::StartsAt)
                            .string_len(5)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ReceptionSessions::EndsAt).string_len(5).not_null())
                    .col(
                        ColumnDef::new(ReceptionSessions::Place)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessions::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ReceptionSessions::NoticeDue).date().not_null())
                    .col(ColumnDef::new(ReceptionSessions::NoticePostedOn).date().null())
                    .col(
                        ColumnDef::new(ReceptionSessions::NoticePostedWhere)
                            .string_len(200)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessions::NoticePostedBy)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessions::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reception_sessions_room")
                            .from(ReceptionSessions::Table, ReceptionSessions::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    // One session per room and month slot: generating twice adds nothing.
                    .index(
                        Index::create()
                            .name("ux_reception_sessions_slot")
                            .col(ReceptionSessions::RoomId)
                            .col(ReceptionSessions::NominalDate)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reception_sessions_date")
                    .table(ReceptionSessions::Table)
                    .col(ReceptionSessions::Date)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReceptionSessionMembers::Table)
                    .col(
                        ColumnDef::new(ReceptionSessionMembers::SessionId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessionMembers::MemberId)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ReceptionSessionMembers::SessionId)
                            .col(ReceptionSessionMembers::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_members_session")
                            .from(ReceptionSessionMembers::Table, ReceptionSessionMembers::SessionId)
                            .to(ReceptionSessions::Table, ReceptionSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_members_member")
                            .from(ReceptionSessionMembers::Table, ReceptionSessionMembers::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReceptionSessionChanges::Table)
                    .col(
                        ColumnDef::new(ReceptionSessionChanges::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessionChanges::SessionId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessionChanges::ChangedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReceptionSessionChanges::ChangedBy)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ReceptionSessionChanges::Summary).text().not_null())
                    .col(ColumnDef::new(ReceptionSessionChanges::Reason).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_changes_session")
                            .from(ReceptionSessionChanges::Table, ReceptionSessionChanges::SessionId)
                            .to(ReceptionSessions::Table, ReceptionSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_changes_session")
                    .table(ReceptionSessionChanges::Table)
                    .col(ReceptionSessionChanges::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReceptionSessionChanges::Table.into_iden(),
            ReceptionSessionMembers::Table.into_iden(),
            ReceptionSessions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
