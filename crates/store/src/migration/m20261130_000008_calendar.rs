//! The reception calendar (R9, R17): the State Council's holiday arrangements and their dates, the versions
//! of the rules, districts' own reception days, dates blocked for important events, and rooms that
//! receive monthly. The regulation's own rules are the first version, in force from 2019-10-31.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    ReceivesMonthly,
}

#[derive(DeriveIden)]
enum HolidayArrangements {
    Table,
    Year,
    NoticeTitle,
    NoticeNumber,
    NoticeDate,
    Source,
    Content,
    LoadedAt,
}

#[derive(DeriveIden)]
enum OfficialDays {
    Table,
    Year,
    Date,
    Kind,
    Festival,
}

#[derive(DeriveIden)]
enum RuleSets {
    Table,
    Id,
    EffectiveFrom,
    Rules,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DistrictReceptionDays {
    Table,
    Id,
    DistrictId,
    DayOfMonth,
    EffectiveFrom,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BlockedDates {
    Table,
    Id,
    Date,
    DistrictId,
    Event,
    CreatedAt,
}

fn id<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn created_at<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HolidayArrangements::Table)
                    .col(
                        ColumnDef::new(HolidayArrangements::Year)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(HolidayArrangements::NoticeTitle)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HolidayArrangements::NoticeNumber)
                            .string_len(60)
                            .null(),
                    )
                    .col(ColumnDef::new(HolidayArrangements::NoticeDate).date().null())
                    .col(
                        ColumnDef::new(HolidayArrangements::Source)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HolidayArrangements::Content).text().not_null())
                    .col(created_at(HolidayArrangements::LoadedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfficialDays::Table)
                    .col(ColumnDef::new(OfficialDays::Year).integer().not_null())
                    .col(ColumnDef::new(OfficialDays::Date).date().not_null())
                    .col(ColumnDef::new(OfficialDays::Kind).string_len(8).not_null())
                    .col(ColumnDef::new(OfficialDays::Festival).string_len(40).not_null())
                    .primary_key(Index::create().col(OfficialDays::Year).col(OfficialDays::Date))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_official_days_year")
                            .from(OfficialDays::Table, OfficialDays::Year)
                            .to(HolidayArrangements::Table, HolidayArrangements::Year)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RuleSets::Table)
                    .col(id(RuleSets::Id))
                    .col(
                        ColumnDef::new(RuleSets::EffectiveFrom)
                            .date()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(RuleSets::Rules).text().not_null())
                    .col(created_at(RuleSets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let regulation = domain::calendar::RuleSet::default();
        let rules = serde_json::to_string(&regulation).map_err(|err| DbErr::Custom(err.to_string()))?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(RuleSets::Table)
                    .columns([RuleSets::EffectiveFrom, RuleSets::Rules, RuleSets::CreatedAt])
                    .values_panic([
                        regulation.effective_from.into(),
                        rules.into(),
                        chrono::Utc::now().into(),
                    ])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DistrictReceptionDays::Table)
                    .col(id(DistrictReceptionDays::Id))
                    .col(
                        ColumnDef::new(DistrictReceptionDays::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DistrictReceptionDays::DayOfMonth)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DistrictReceptionDays::EffectiveFrom)
                            .date()
                            .not_null(),
                    )
                    .col(created_at(DistrictReceptionDays::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_district_reception_days_district")
                            .from(DistrictReceptionDays::Table, DistrictReceptionDays::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .index(
                        Index::create()
                            .name("ux_district_reception_days")
                            .col(DistrictReceptionDays::DistrictId)
                            .col(DistrictReceptionDays::EffectiveFrom)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BlockedDates::Table)
                    .col(id(BlockedDates::Id))
                    .col(ColumnDef::new(BlockedDates::Date).date().not_null())
                    // Empty for the whole city.
                    .col(ColumnDef::new(BlockedDates::DistrictId).big_integer().null())
                    .col(ColumnDef::new(BlockedDates::Event).string_len(60).not_null())
                    .col(created_at(BlockedDates::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_blocked_dates_district")
                            .from(BlockedDates::Table, BlockedDates::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_blocked_dates_date")
                    .table(BlockedDates::Table)
                    .col(BlockedDates::Date)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(
                        ColumnDef::new(Rooms::ReceivesMonthly)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::ReceivesMonthly)
                    .to_owned(),
            )
            .await?;
        for table in [
            BlockedDates::Table.into_iden(),
            DistrictReceptionDays::Table.into_iden(),
            RuleSets::Table.into_iden(),
            OfficialDays::Table.into_iden(),
            HolidayArrangements::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
