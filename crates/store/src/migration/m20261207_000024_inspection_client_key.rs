//! An inspection (检查, R15) recorded once however often it is sent: the client's idempotency key and
//! a digest of what it sent, unique per inspecting account, as activities already keep them. Earlier
//! rows have no key (NULL), so the index holds on an existing database.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Inspections {
    Table,
    InspectorAccountId,
    ClientKey,
    RequestDigest,
}

const INDEX: &str = "ux_inspections_client_key";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Inspections::ClientKey, Inspections::RequestDigest] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Inspections::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Inspections::Table)
                    .col(Inspections::InspectorAccountId)
                    .col(Inspections::ClientKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Inspections::Table).to_owned())
            .await?;
        for column in [Inspections::RequestDigest, Inspections::ClientKey] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Inspections::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
