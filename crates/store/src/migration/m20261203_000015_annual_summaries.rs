//! Districts' annual summaries (年度工作总结, R14): one row per district and year with its status and
//! the district's text, and every submitted version with the figures frozen at submission.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AnnualSummaries {
    Table,
    Id,
    DistrictId,
    Year,
    Status,
    Text,
    SubmittedAt,
    ReceivedAt,
    ReturnReason,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnnualSummaryVersions {
    Table,
    Id,
    SummaryId,
    Version,
    Text,
    Figures,
    SubmittedAt,
    SubmittedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnnualSummaries::Table)
                    .col(
                        ColumnDef::new(AnnualSummaries::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AnnualSummaries::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AnnualSummaries::Year).integer().not_null())
                    .col(
                        ColumnDef::new(AnnualSummaries::Status)
                            .string_len(16)
                            .not_null()
                            // The database holds what the code knows (`SummaryStatus::STORED`).
                            .check(Expr::col(AnnualSummaries::Status).is_in([
                                "draft",
                                "submitted",
                                "received",
                                "returned",
                            ])),
                    )
                    .col(ColumnDef::new(AnnualSummaries::Text).text().not_null())
                    .col(ColumnDef::new(AnnualSummaries::SubmittedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(AnnualSummaries::ReceivedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(AnnualSummaries::ReturnReason).text())
                    .col(
                        ColumnDef::new(AnnualSummaries::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annual_summaries_district")
                            .from(AnnualSummaries::Table, AnnualSummaries::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_annual_summaries_district_year")
                    .table(AnnualSummaries::Table)
                    .col(AnnualSummaries::DistrictId)
                    .col(AnnualSummaries::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnualSummaryVersions::Table)
                    .col(
                        ColumnDef::new(AnnualSummaryVersions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AnnualSummaryVersions::SummaryId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnnualSummaryVersions::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AnnualSummaryVersions::Text).text().not_null())
                    .col(ColumnDef::new(AnnualSummaryVersions::Figures).text().not_null())
                    .col(
                        ColumnDef::new(AnnualSummaryVersions::SubmittedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnnualSummaryVersions::SubmittedBy)
                            .string_len(100)
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annual_summary_versions_summary")
                            .from(AnnualSummaryVersions::Table, AnnualSummaryVersions::SummaryId)
                            .to(AnnualSummaries::Table, AnnualSummaries::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_annual_summary_versions")
                    .table(AnnualSummaryVersions::Table)
                    .col(AnnualSummaryVersions::SummaryId)
                    .col(AnnualSummaryVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AnnualSummaryVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AnnualSummaries::Table).to_owned())
            .await
    }
}
