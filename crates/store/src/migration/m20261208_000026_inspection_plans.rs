//! The year's inspection plan (年度检查计划, R15): which room a working department means to inspect
//! when, and who goes; one line per room and year, moved when the plan changes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum InspectionPlans {
    Table,
    Id,
    RoomId,
    DistrictId,
    StreetId,
    Year,
    PlannedOn,
    Inspectors,
    PlannedByAccountId,
    PlannedByName,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InspectionPlans::Table)
                    .col(
                        ColumnDef::new(InspectionPlans::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(InspectionPlans::RoomId).big_integer().not_null())
                    .col(
                        ColumnDef::new(InspectionPlans::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(InspectionPlans::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(InspectionPlans::Year).integer().not_null())
                    .col(ColumnDef::new(InspectionPlans::PlannedOn).date().not_null())
                    .col(ColumnDef::new(InspectionPlans::Inspectors).string().not_null())
                    .col(
                        ColumnDef::new(InspectionPlans::PlannedByAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(InspectionPlans::PlannedByName).string().not_null())
                    .col(
                        ColumnDef::new(InspectionPlans::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspection_plans_room")
                            .from(InspectionPlans::Table, InspectionPlans::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // One line per room and year: planning again moves it (an upsert on this index, so two
        // planners at once leave one line).
        manager
            .create_index(
                Index::create()
                    .name("ux_inspection_plans_room_year")
                    .table(InspectionPlans::Table)
                    .col(InspectionPlans::RoomId)
                    .col(InspectionPlans::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_inspection_plans_district_year")
                    .table(InspectionPlans::Table)
                    .col(InspectionPlans::DistrictId)
                    .col(InspectionPlans::Year)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InspectionPlans::Table).to_owned())
            .await
    }
}
