//! District conveners (召集人, R7): the district CPPCC chair and the UFWD head, recorded by name. Town/
//! street leads and room staff are the accounts holding those roles, so they are not typed twice.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Conveners {
    Table,
    Id,
    DistrictId,
    Title,
    Name,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conveners::Table)
                    .col(
                        ColumnDef::new(Conveners::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Conveners::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Conveners::Title).string_len(32).not_null())
                    .col(ColumnDef::new(Conveners::Name).string_len(40).not_null())
                    .col(
                        ColumnDef::new(Conveners::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conveners_district")
                            .from(Conveners::Table, Conveners::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_conveners_district")
                    .table(Conveners::Table)
                    .col(Conveners::DistrictId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Conveners::Table).to_owned())
            .await
    }
}
