//! Members' photos (R8), stored in the database so servers stay stateless: the re-encoded JPEG, its size
//! and its SHA-256 for the ETag.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MemberPhotos {
    Table,
    MemberId,
    Jpeg,
    Width,
    Height,
    Etag,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MemberPhotos::Table)
                    .col(
                        ColumnDef::new(MemberPhotos::MemberId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(MemberPhotos::Jpeg).blob().not_null())
                    .col(ColumnDef::new(MemberPhotos::Width).integer().not_null())
                    .col(ColumnDef::new(MemberPhotos::Height).integer().not_null())
                    .col(ColumnDef::new(MemberPhotos::Etag).string_len(64).not_null())
                    .col(
                        ColumnDef::new(MemberPhotos::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_member_photos_member")
                            .from(MemberPhotos::Table, MemberPhotos::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MemberPhotos::Table).to_owned())
            .await
    }
}
