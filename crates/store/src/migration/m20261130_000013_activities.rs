//! Community activities (履职活动, R10) and who took part, the local kinds districts define, and the
//! member's term (届别). A reception session that took place carries its activity (`session_id`), so it
//! is never typed twice (X11); a client's key makes a retried submission record nothing new.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    Term,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReceptionSessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LocalActivityKinds {
    Table,
    Id,
    DistrictId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    RoomId,
    DistrictId,
    StreetId,
    Kind,
    LocalKindId,
    HeldOn,
    StartsAt,
    EndsAt,
    Place,
    Summary,
    ResidentsReached,
    Status,
    ReturnReason,
    SessionId,
    ClientKey,
    RequestDigest,
    RecordedBy,
    RecordedByAccount,
    RecordedAt,
    ConfirmedBy,
    ConfirmedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityPhotos {
    Table,
    Id,
    ActivityId,
    Jpeg,
    Width,
    Height,
    Etag,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum ActivityMembers {
    Table,
    ActivityId,
    MemberId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Members::Table)
                    .add_column(ColumnDef::new(Members::Term).string_len(20).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LocalActivityKinds::Table)
                    .col(
                        ColumnDef::new(LocalActivityKinds::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LocalActivityKinds::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LocalActivityKinds::Name).string_len(40).not_null())
                    .col(
                        ColumnDef::new(LocalActivityKinds::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_local_activity_kinds_district")
                            .from(LocalActivityKinds::Table, LocalActivityKinds::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .index(
                        Index::create()
                            .name("ux_local_activity_kinds_name")
                            .col(LocalActivityKinds::DistrictId)
                            .col(LocalActivityKinds::Name)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .col(
                        ColumnDef::new(Activities::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Activities::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Activities::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Activities::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(Activities::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Activities::LocalKindId).big_integer().null())
                    .col(ColumnDef::new(Activities::HeldOn).date().not_null())
                    .col(ColumnDef::new(Activities::StartsAt).string_len(5).null())
                    .col(ColumnDef::new(Activities::EndsAt).string_len(5).null())
                    .col(ColumnDef::new(Activities::Place).string_len(200).not_null())
                    .col(ColumnDef::new(Activities::Summary).text().not_null())
                    .col(ColumnDef::new(Activities::ResidentsReached).integer().null())
                    .col(ColumnDef::new(Activities::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Activities::ReturnReason).string_len(200).null())
                    .col(ColumnDef::new(Activities::SessionId).big_integer().null())
                    .col(ColumnDef::new(Activities::ClientKey).string_len(64).null())
                    .col(ColumnDef::new(Activities::RequestDigest).string_len(64).null())
                    .col(ColumnDef::new(Activities::RecordedBy).string_len(64).not_null())
                    .col(ColumnDef::new(Activities::RecordedByAccount).big_integer().null())
                    .col(
                        ColumnDef::new(Activities::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Activities::ConfirmedBy).string_len(64).null())
                    .col(
                        ColumnDef::new(Activities::ConfirmedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Activities::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activities_room")
                            .from(Activities::Table, Activities::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activities_local_kind")
                            .from(Activities::Table, Activities::LocalKindId)
                            .to(LocalActivityKinds::Table, LocalActivityKinds::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activities_session")
                            .from(Activities::Table, Activities::SessionId)
                            .to(ReceptionSessions::Table, ReceptionSessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    // A held session is one activity, whoever saves it how often.
                    .index(
                        Index::create()
                            .name("ux_activities_session")
                            .col(Activities::SessionId)
                            .unique(),
                    )
                    // One client key per account: a retried submission finds the first.
                    .index(
                        Index::create()
                            .name("ux_activities_client_key")
                            .col(Activities::RecordedByAccount)
                            .col(Activities::ClientKey)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_activities_held_on", Activities::HeldOn),
            ("ix_activities_district", Activities::DistrictId),
            ("ix_activities_room", Activities::RoomId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Activities::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ActivityMembers::Table)
                    .col(
                        ColumnDef::new(ActivityMembers::ActivityId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ActivityMembers::MemberId).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(ActivityMembers::ActivityId)
                            .col(ActivityMembers::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_members_activity")
                            .from(ActivityMembers::Table, ActivityMembers::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_members_member")
                            .from(ActivityMembers::Table, ActivityMembers::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activity_members_member")
                    .table(ActivityMembers::Table)
                    .col(ActivityMembers::MemberId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActivityPhotos::Table)
                    .col(
                        ColumnDef::new(ActivityPhotos::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ActivityPhotos::ActivityId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ActivityPhotos::Jpeg).blob().not_null())
                    .col(ColumnDef::new(ActivityPhotos::Width).integer().not_null())
                    .col(ColumnDef::new(ActivityPhotos::Height).integer().not_null())
                    .col(ColumnDef::new(ActivityPhotos::Etag).string_len(64).not_null())
                    .col(
                        ColumnDef::new(ActivityPhotos::UploadedBy)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ActivityPhotos::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_photos_activity")
                            .from(ActivityPhotos::Table, ActivityPhotos::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activity_photos_activity")
                    .table(ActivityPhotos::Table)
                    .col(ActivityPhotos::ActivityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActivityPhotos::Table.into_iden(),
            ActivityMembers::Table.into_iden(),
            Activities::Table.into_iden(),
            LocalActivityKinds::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Members::Table)
                    .drop_column(Members::Term)
                    .to_owned(),
            )
            .await
    }
}
