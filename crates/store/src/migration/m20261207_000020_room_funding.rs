//! Rooms' funding (工作经费, R16): one budget line per room and year, in fen, entered by the
//! town/street or the district, and the spending against it (date, amount, category, note).

use sea_orm_migration::prelude::*;

/// The spending categories, frozen with the migration (`store`'s tests compare them with the domain).
pub(crate) const KNOWN_VALUES: &[(&str, &str, &[&str])] = &[(
    "room_spending",
    "category",
    &["venue", "equipment", "publicity", "activities", "office", "other"],
)];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoomFunding {
    Table,
    Id,
    RoomId,
    DistrictId,
    StreetId,
    Year,
    BudgetFen,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum RoomSpending {
    Table,
    Id,
    FundingId,
    SpentOn,
    AmountFen,
    Category,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoomFunding::Table)
                    .col(
                        ColumnDef::new(RoomFunding::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RoomFunding::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomFunding::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(RoomFunding::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(RoomFunding::Year).integer().not_null())
                    .col(
                        ColumnDef::new(RoomFunding::BudgetFen)
                            .big_integer()
                            .not_null()
                            .check(Expr::col(RoomFunding::BudgetFen).gte(0)),
                    )
                    .col(
                        ColumnDef::new(RoomFunding::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RoomFunding::UpdatedBy).string().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_room_funding_room")
                            .from(RoomFunding::Table, RoomFunding::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_room_funding_room_year")
                    .table(RoomFunding::Table)
                    .col(RoomFunding::RoomId)
                    .col(RoomFunding::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_room_funding_district_year")
                    .table(RoomFunding::Table)
                    .col(RoomFunding::DistrictId)
                    .col(RoomFunding::Year)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoomSpending::Table)
                    .col(
                        ColumnDef::new(RoomSpending::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RoomSpending::FundingId).big_integer().not_null())
                    .col(ColumnDef::new(RoomSpending::SpentOn).date().not_null())
                    .col(
                        ColumnDef::new(RoomSpending::AmountFen)
                            .big_integer()
                            .not_null()
                            .check(Expr::col(RoomSpending::AmountFen).gt(0)),
                    )
                    .col(
                        ColumnDef::new(RoomSpending::Category).string().not_null().check(
                            Expr::col(RoomSpending::Category).is_in(KNOWN_VALUES[0].2.iter().copied()),
                        ),
                    )
                    .col(ColumnDef::new(RoomSpending::Note).string().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_room_spending_funding")
                            .from(RoomSpending::Table, RoomSpending::FundingId)
                            .to(RoomFunding::Table, RoomFunding::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_room_spending_funding")
                    .table(RoomSpending::Table)
                    .col(RoomSpending::FundingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoomSpending::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RoomFunding::Table).to_owned())
            .await
    }
}
