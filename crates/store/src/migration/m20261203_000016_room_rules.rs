//! Rooms' rules (工作室制度, R14) and their districts' templates (区制度模板): a document per rule,
//! owned by a room or (a template) by a district, and its versions, each with the day it takes effect.
//! Versions are only ever added.

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
    Id,
}

#[derive(DeriveIden)]
enum RuleDocuments {
    Table,
    Id,
    DistrictId,
    RoomId,
    TemplateId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RuleVersions {
    Table,
    Id,
    DocumentId,
    Version,
    Title,
    Text,
    EffectiveFrom,
    FromTemplateVersion,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RuleDocuments::Table)
                    .col(
                        ColumnDef::new(RuleDocuments::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RuleDocuments::DistrictId).big_integer().not_null())
                    // No room: the district's template.
                    .col(ColumnDef::new(RuleDocuments::RoomId).big_integer().null())
                    // The template a room's rule was adopted from; only rooms' rules have one.
                    .col(ColumnDef::new(RuleDocuments::TemplateId).big_integer().null())
                    .col(
                        ColumnDef::new(RuleDocuments::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .check(
                        Expr::col(RuleDocuments::TemplateId)
                            .is_null()
                            .or(Expr::col(RuleDocuments::RoomId).is_not_null()),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_documents_district")
                            .from(RuleDocuments::Table, RuleDocuments::DistrictId)
                            .to(Divisions::Table, Divisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_documents_room")
                            .from(RuleDocuments::Table, RuleDocuments::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_documents_template")
                            .from(RuleDocuments::Table, RuleDocuments::TemplateId)
                            .to(RuleDocuments::Table, RuleDocuments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // A room adopts a template once (NULLs are distinct, so own rules are not constrained).
        manager
            .create_index(
                Index::create()
                    .name("ux_rule_documents_room_template")
                    .table(RuleDocuments::Table)
                    .col(RuleDocuments::RoomId)
                    .col(RuleDocuments::TemplateId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rule_documents_district")
                    .table(RuleDocuments::Table)
                    .col(RuleDocuments::DistrictId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RuleVersions::Table)
                    .col(
                        ColumnDef::new(RuleVersions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RuleVersions::DocumentId).big_integer().not_null())
                    .col(
                        ColumnDef::new(RuleVersions::Version)
                            .integer()
                            .not_null()
                            .check(Expr::col(RuleVersions::Version).gte(1)),
                    )
                    .col(ColumnDef::new(RuleVersions::Title).text().not_null())
                    .col(ColumnDef::new(RuleVersions::Text).text().not_null())
                    .col(ColumnDef::new(RuleVersions::EffectiveFrom).date().not_null())
                    // The template's version this one copies, when a room adopts or follows its template.
                    .col(ColumnDef::new(RuleVersions::FromTemplateVersion).integer().null())
                    .col(
                        ColumnDef::new(RuleVersions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RuleVersions::CreatedBy).string_len(100).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_versions_document")
                            .from(RuleVersions::Table, RuleVersions::DocumentId)
                            .to(RuleDocuments::Table, RuleDocuments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_rule_versions")
                    .table(RuleVersions::Table)
                    .col(RuleVersions::DocumentId)
                    .col(RuleVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RuleVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RuleDocuments::Table).to_owned())
            .await
    }
}
