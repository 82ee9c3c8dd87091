//! Proposals (提案) and 社情民意信息 members write from residents' opinions (R13.4): the draft, the cases it
//! came from, and its history (submitted with the CPPCC's number, accepted or not, answered), each
//! step appended only.

use sea_orm_migration::prelude::*;

/// The values each constrained column may hold, frozen with the migration.
pub(crate) const KNOWN_VALUES: &[(&str, &str, &[&str])] = &[
    ("proposals", "kind", &["proposal", "social_report"]),
    (
        "proposals",
        "status",
        &[
            "drafted",
            "submitted",
            "accepted",
            "declined",
            "answered",
            "withdrawn",
        ],
    ),
    (
        "proposal_events",
        "step",
        &["draft", "submit", "accept", "decline", "answer", "withdraw"],
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Opinions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Proposals {
    Table,
    Id,
    Kind,
    MemberId,
    DistrictId,
    OriginCaseId,
    Title,
    Text,
    Status,
    ReferenceNumber,
    HandlingUnit,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProposalEvents {
    Table,
    Id,
    ProposalId,
    Step,
    Detail,
    ActorAccountId,
    ActorName,
    At,
}

#[derive(DeriveIden)]
enum ProposalCases {
    Table,
    ProposalId,
    CaseId,
}

fn values(index: usize) -> impl Iterator<Item = &'static str> {
    KNOWN_VALUES[index].2.iter().copied()
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
                    .table(Proposals::Table)
                    .col(
                        ColumnDef::new(Proposals::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Proposals::Kind)
                            .string()
                            .not_null()
                            .check(Expr::col(Proposals::Kind).is_in(values(0))),
                    )
                    .col(ColumnDef::new(Proposals::MemberId).big_integer().not_null())
                    .col(ColumnDef::new(Proposals::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Proposals::OriginCaseId).big_integer().null())
                    .col(ColumnDef::new(Proposals::Title).string().not_null())
                    .col(ColumnDef::new(Proposals::Text).text().not_null())
                    .col(
                        ColumnDef::new(Proposals::Status)
                            .string()
                            .not_null()
                            .check(Expr::col(Proposals::Status).is_in(values(1))),
                    )
                    .col(ColumnDef::new(Proposals::ReferenceNumber).string().null())
                    .col(ColumnDef::new(Proposals::HandlingUnit).string().null())
                    .col(
                        ColumnDef::new(Proposals::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Proposals::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposals_member")
                            .from(Proposals::Table, Proposals::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposals_origin_case")
                            .from(Proposals::Table, Proposals::OriginCaseId)
                            .to(Opinions::Table, Opinions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // One draft per case step: a draft step taken twice at once writes one.
        manager
            .create_index(
                Index::create()
                    .name("ux_proposals_origin_case")
                    .table(Proposals::Table)
                    .col(Proposals::OriginCaseId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_proposals_member", Proposals::MemberId),
            ("ix_proposals_district", Proposals::DistrictId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Proposals::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ProposalEvents::Table)
                    .col(
                        ColumnDef::new(ProposalEvents::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ProposalEvents::ProposalId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProposalEvents::Step)
                            .string()
                            .not_null()
                            .check(Expr::col(ProposalEvents::Step).is_in(values(2))),
                    )
                    .col(ColumnDef::new(ProposalEvents::Detail).text().null())
                    .col(
                        ColumnDef::new(ProposalEvents::ActorAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(ProposalEvents::ActorName).string().not_null())
                    .col(
                        ColumnDef::new(ProposalEvents::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposal_events_proposal")
                            .from(ProposalEvents::Table, ProposalEvents::ProposalId)
                            .to(Proposals::Table, Proposals::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_proposal_events_proposal")
                    .table(ProposalEvents::Table)
                    .col(ProposalEvents::ProposalId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProposalCases::Table)
                    .col(ColumnDef::new(ProposalCases::ProposalId).big_integer().not_null())
                    .col(ColumnDef::new(ProposalCases::CaseId).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(ProposalCases::ProposalId)
                            .col(ProposalCases::CaseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposal_cases_proposal")
                            .from(ProposalCases::Table, ProposalCases::ProposalId)
                            .to(Proposals::Table, Proposals::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposal_cases_case")
                            .from(ProposalCases::Table, ProposalCases::CaseId)
                            .to(Opinions::Table, Opinions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The tracking page reads a case's drafts.
        manager
            .create_index(
                Index::create()
                    .name("ix_proposal_cases_case")
                    .table(ProposalCases::Table)
                    .col(ProposalCases::CaseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProposalCases::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProposalEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Proposals::Table).to_owned())
            .await
    }
}
