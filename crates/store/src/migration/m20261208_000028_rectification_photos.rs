//! Photos as evidence of a rectification report (整改佐证照片, R15), re-encoded without metadata as
//! activities' photos are.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RectificationTasks {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RectificationPhotos {
    Table,
    Id,
    TaskId,
    Jpeg,
    Width,
    Height,
    Etag,
    UploadedBy,
    UploadedAt,
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
                    .table(RectificationPhotos::Table)
                    .col(
                        ColumnDef::new(RectificationPhotos::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(RectificationPhotos::TaskId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RectificationPhotos::Jpeg).blob().not_null())
                    .col(ColumnDef::new(RectificationPhotos::Width).integer().not_null())
                    .col(ColumnDef::new(RectificationPhotos::Height).integer().not_null())
                    .col(
                        ColumnDef::new(RectificationPhotos::Etag)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationPhotos::UploadedBy)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationPhotos::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rectification_photos_task")
                            .from(RectificationPhotos::Table, RectificationPhotos::TaskId)
                            .to(RectificationTasks::Table, RectificationTasks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rectification_photos_task")
                    .table(RectificationPhotos::Table)
                    .col(RectificationPhotos::TaskId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RectificationPhotos::Table).to_owned())
            .await
    }
}
