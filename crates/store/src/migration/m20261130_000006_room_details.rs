//! The rest of a work room's public record (R6, R8): opening notes, whether it is shared with the
//! Party-representative / NPC-deputy liaison station (两代表一委员), and whether it is open.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    OpeningNotes,
    SharedWithLiaison,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Rooms::OpeningNotes)
                .string_len(200)
                .null()
                .to_owned(),
            ColumnDef::new(Rooms::SharedWithLiaison)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Rooms::Status)
                .string_len(16)
                .not_null()
                .default("open")
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Rooms::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Rooms::Status, Rooms::SharedWithLiaison, Rooms::OpeningNotes] {
            manager
                .alter_table(Table::alter().table(Rooms::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
