//! The organisation tree with name history, and the settings table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
    Code,
    Name,
    Level,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DivisionNames {
    Table,
    Id,
    DivisionId,
    Name,
    ValidFrom,
    ValidUntil,
    Note,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Divisions::Table)
                    .col(
                        ColumnDef::new(Divisions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Divisions::Code)
                            .string_len(12)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Divisions::Name).string_len(80).not_null())
                    .col(ColumnDef::new(Divisions::Level).string_len(16).not_null())
                    .col(ColumnDef::new(Divisions::ParentId).big_integer().null())
                    .col(
                        ColumnDef::new(Divisions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_divisions_parent")
                            .from(Divisions::Table, Divisions::ParentId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_divisions_parent")
                    .table(Divisions::Table)
                    .col(Divisions::ParentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_divisions_name")
                    .table(Divisions::Table)
                    .col(Divisions::Name)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DivisionNames::Table)
                    .col(
                        ColumnDef::new(DivisionNames::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(DivisionNames::DivisionId).big_integer().not_null())
                    .col(ColumnDef::new(DivisionNames::Name).string_len(80).not_null())
                    .col(ColumnDef::new(DivisionNames::ValidFrom).date().not_null())
                    .col(ColumnDef::new(DivisionNames::ValidUntil).date().null())
                    .col(ColumnDef::new(DivisionNames::Note).string_len(200).null())
                    .col(
                        ColumnDef::new(DivisionNames::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_division_names_division")
                            .from(DivisionNames::Table, DivisionNames::DivisionId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_division_names_division")
                    .table(DivisionNames::Table)
                    .col(DivisionNames::DivisionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Settings::Table)
                    .col(
                        ColumnDef::new(Settings::Key)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Settings::Value).text().not_null())
                    .col(
                        ColumnDef::new(Settings::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Settings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DivisionNames::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Divisions::Table).to_owned())
            .await
    }
}
