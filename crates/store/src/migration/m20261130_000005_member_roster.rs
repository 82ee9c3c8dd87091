//! The rest of a member's record (R5, R8, X1): employer and position (published), mobile number
//! (never published), residence in Hong Kong/Macao (exemption), serving status.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Members {
    Table,
    Name,
    Employer,
    Position,
    Mobile,
    ResidesHkMacao,
    Status,
    CeasedOn,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(Members::Employer)
                .string_len(100)
                .null()
                .to_owned(),
            ColumnDef::new(Members::Position)
                .string_len(100)
                .null()
                .to_owned(),
            ColumnDef::new(Members::Mobile).string_len(11).null().to_owned(),
            ColumnDef::new(Members::ResidesHkMacao)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Members::Status)
                .string_len(16)
                .not_null()
                .default("serving")
                .to_owned(),
            ColumnDef::new(Members::CeasedOn).date().null().to_owned(),
            ColumnDef::new(Members::UpdatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Members::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_members_name")
                    .table(Members::Table)
                    .col(Members::Name)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_members_name")
                    .table(Members::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Members::UpdatedAt,
            Members::CeasedOn,
            Members::Status,
            Members::ResidesHkMacao,
            Members::Mobile,
            Members::Position,
            Members::Employer,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Members::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
