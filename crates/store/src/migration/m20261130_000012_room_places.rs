//! The places a mobile work room (流动工作室) receives at, in order: planned sessions take them in turn.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoomPlaces {
    Table,
    Id,
    RoomId,
    Position,
    Place,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoomPlaces::Table)
                    .col(
                        ColumnDef::new(RoomPlaces::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RoomPlaces::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomPlaces::Position).integer().not_null())
                    .col(ColumnDef::new(RoomPlaces::Place).string_len(200).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_room_places_room")
                            .from(RoomPlaces::Table, RoomPlaces::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoomPlaces::Table).to_owned())
            .await
    }
}
