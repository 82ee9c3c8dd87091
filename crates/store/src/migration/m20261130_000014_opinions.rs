//! Citizens' opinions (群众意见, R11, R13): each case with its tracking code, the activity it was
//! collected at, where it stands, who holds it and until when, and every routing step (who, when, what,
//! why).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Opinions {
    Table,
    Id,
    TrackingCode,
    RoomId,
    DistrictId,
    StreetId,
    Channel,
    Content,
    ContactName,
    ContactPhone,
    Community,
    ConsentAt,
    AnonymousToDepartments,
    MemberId,
    ActivityId,
    State,
    Route,
    DepartmentId,
    DueOn,
    Procedure,
    ToldBody,
    Rating,
    RatingComment,
    RatedAt,
    ReceivedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum OpinionSteps {
    Table,
    Id,
    OpinionId,
    Action,
    ActorRole,
    ActorLabel,
    TakenAt,
    Title,
    Text,
    DepartmentId,
    FromState,
    ToState,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Opinions::Table)
                    .col(
                        ColumnDef::new(Opinions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Opinions::TrackingCode)
                            .string_len(14)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Opinions::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Opinions::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Opinions::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(Opinions::Channel).string_len(16).not_null())
                    .col(ColumnDef::new(Opinions::Content).text().not_null())
                    .col(ColumnDef::new(Opinions::ContactName).string_len(40).not_null())
                    .col(ColumnDef::new(Opinions::ContactPhone).string_len(20).null())
                    .col(ColumnDef::new(Opinions::Community).string_len(100).null())
                    .col(
                        ColumnDef::new(Opinions::ConsentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Opinions::AnonymousToDepartments)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Opinions::MemberId).big_integer().null())
                    // The activity (e.g. the reception day) where the opinion was collected (R10).
                    .col(ColumnDef::new(Opinions::ActivityId).big_integer().null())
                    .col(ColumnDef::new(Opinions::State).string_len(24).not_null())
                    .col(ColumnDef::new(Opinions::Route).string_len(24).null())
                    .col(ColumnDef::new(Opinions::DepartmentId).big_integer().null())
                    .col(ColumnDef::new(Opinions::DueOn).date().null())
                    .col(ColumnDef::new(Opinions::Procedure).string_len(40).null())
                    .col(ColumnDef::new(Opinions::ToldBody).string_len(200).null())
                    .col(ColumnDef::new(Opinions::Rating).string_len(24).null())
                    .col(ColumnDef::new(Opinions::RatingComment).string_len(500).null())
                    .col(
                        ColumnDef::new(Opinions::RatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Opinions::ReceivedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Opinions::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Opinions::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opinions_room")
                            .from(Opinions::Table, Opinions::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opinions_department")
                            .from(Opinions::Table, Opinions::DepartmentId)
                            .to(Departments::Table, Departments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_opinions_district", Opinions::DistrictId),
            ("ix_opinions_room", Opinions::RoomId),
            ("ix_opinions_department", Opinions::DepartmentId),
            ("ix_opinions_member", Opinions::MemberId),
            ("ix_opinions_activity", Opinions::ActivityId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Opinions::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OpinionSteps::Table)
                    .col(
                        ColumnDef::new(OpinionSteps::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OpinionSteps::OpinionId).big_integer().not_null())
                    .col(ColumnDef::new(OpinionSteps::Action).string_len(32).not_null())
                    .col(ColumnDef::new(OpinionSteps::ActorRole).string_len(32).not_null())
                    .col(ColumnDef::new(OpinionSteps::ActorLabel).string_len(64).not_null())
                    .col(
                        ColumnDef::new(OpinionSteps::TakenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OpinionSteps::Title).string_len(200).null())
                    .col(ColumnDef::new(OpinionSteps::Text).text().null())
                    .col(ColumnDef::new(OpinionSteps::DepartmentId).big_integer().null())
                    .col(ColumnDef::new(OpinionSteps::FromState).string_len(24).not_null())
                    .col(ColumnDef::new(OpinionSteps::ToState).string_len(24).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opinion_steps_opinion")
                            .from(OpinionSteps::Table, OpinionSteps::OpinionId)
                            .to(Opinions::Table, Opinions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_opinion_steps_opinion")
                    .table(OpinionSteps::Table)
                    .col(OpinionSteps::OpinionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [OpinionSteps::Table.into_iden(), Opinions::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
