//! Proposals (提案) and 社情民意信息 drafted from residents' opinions (R13.4): a draft with its cases and
//! first event written in one transaction; a later step moves the draft only from the status it was
//! decided on, with its event and audit entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::proposal::{ProposalKind, ProposalStatus, ProposalStep};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{proposal, proposal_case, proposal_event};
use crate::error::{corrupt, stored};
use crate::{Store, StoreError};

/// A draft as stored, with its cases and its history oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: i64,
    pub kind: ProposalKind,
    pub member_id: i64,
    pub district_id: i64,
    pub origin_case_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub status: ProposalStatus,
    pub reference_number: Option<String>,
    pub handling_unit: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub case_ids: Vec<i64>,
    pub events: Vec<ProposalEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalEvent {
    pub step: ProposalStep,
    pub detail: Option<String>,
    pub actor_name: String,
    pub at: DateTime<Utc>,
}

/// Which drafts a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalFilter {
    Member(i64),
    District(i64),
    All,
    /// Those linked to one case (its tracking page).
    Case(i64),
}

/// A new draft and the cases it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub kind: ProposalKind,
    pub member_id: i64,
    pub district_id: i64,
    pub origin_case_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub case_ids: Vec<i64>,
}

/// A later step and what it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalStepWrite {
    pub step: ProposalStep,
    pub next: ProposalStatus,
    /// The CPPCC's number (a submit).
    pub number: Option<String>,
    /// The handling unit (an answer).
    pub unit: Option<String>,
    /// The answer, or the reason for not accepting.
    pub detail: Option<String>,
}

fn audit_action(step: ProposalStep) -> &'static str {
    match step {
        ProposalStep::Draft => "proposal.draft",
        ProposalStep::Submit => "proposal.submit",
        ProposalStep::Accept => "proposal.accept",
        ProposalStep::Decline => "proposal.decline",
        ProposalStep::Answer => "proposal.answer",
        ProposalStep::Withdraw => "proposal.withdraw",
    }
}

/// Writes a draft, its case links and its first event inside `txn`; returns its id.
pub(crate) async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    who: &Who,
    draft: &NewProposal,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = proposal::ActiveModel {
        kind: Set(draft.kind.as_str().to_owned()),
        member_id: Set(draft.member_id),
        district_id: Set(draft.district_id),
        origin_case_id: Set(draft.origin_case_id),
        title: Set(draft.title.clone()),
        text: Set(draft.text.clone()),
        status: Set(ProposalStatus::Drafted.as_str().to_owned()),
        reference_number: Set(None),
        handling_unit: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut case_ids = draft.case_ids.clone();
    case_ids.sort_unstable();
    case_ids.dedup();
    if !case_ids.is_empty() {
        proposal_case::Entity::insert_many(case_ids.iter().map(|&case_id| proposal_case::ActiveModel {
            proposal_id: Set(row.id),
            case_id: Set(case_id),
        }))
        .exec(txn)
        .await?;
    }
    proposal_event::ActiveModel {
        proposal_id: Set(row.id),
        step: Set(ProposalStep::Draft.as_str().to_owned()),
        detail: Set(None),
        actor_account_id: Set(who.account_id),
        actor_name: Set(crate::accounts::display_name(txn, who).await?),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::append(
        txn,
        who,
        now,
        Change {
            action: audit_action(ProposalStep::Draft),
            entity: "proposal",
            entity_id: row.id.to_string(),
            district_id: Some(draft.district_id),
            before: None,
            after: Some(json!({
                "kind": draft.kind.as_str(),
                "member_id": draft.member_id,
                "case_ids": case_ids,
                "text_chars": draft.text.chars().count(),
            })),
        },
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// The drafts of `filter`, the latest moved first, each with its cases and history.
    pub async fn proposals(&self, filter: ProposalFilter) -> Result<Vec<ProposalRecord>, StoreError> {
        let condition = match filter {
            ProposalFilter::Member(id) => Condition::all().add(proposal::Column::MemberId.eq(id)),
            ProposalFilter::District(id) => Condition::all().add(proposal::Column::DistrictId.eq(id)),
            ProposalFilter::All => Condition::all(),
            ProposalFilter::Case(case_id) => Condition::all().add(
                proposal::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(proposal_case::Column::ProposalId)
                        .from(proposal_case::Entity)
                        .and_where(proposal_case::Column::CaseId.eq(case_id))
                        .to_owned(),
                ),
            ),
        };
        let rows = proposal::Entity::find()
            .filter(condition)
            .order_by_desc(proposal::Column::UpdatedAt)
            .order_by_desc(proposal::Column::Id)
            .all(&self.read)
            .await?;
        self.with_history(rows).await
    }

    pub async fn proposal(&self, id: i64) -> Result<Option<ProposalRecord>, StoreError> {
        let rows = proposal::Entity::find_by_id(id).all(&self.read).await?;
        Ok(self.with_history(rows).await?.pop())
    }

    async fn with_history(&self, rows: Vec<proposal::Model>) -> Result<Vec<ProposalRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut events: HashMap<i64, Vec<ProposalEvent>> = HashMap::new();
        for e in proposal_event::Entity::find()
            .filter(proposal_event::Column::ProposalId.is_in(ids.clone()))
            .order_by_asc(proposal_event::Column::Id)
            .all(&self.read)
            .await?
        {
            events.entry(e.proposal_id).or_default().push(ProposalEvent {
                step: stored(ProposalStep::parse, "proposal_events.step", &e.step)?,
                detail: e.detail,
                actor_name: e.actor_name,
                at: e.at,
            });
        }
        let mut cases: HashMap<i64, Vec<i64>> = HashMap::new();
        for (proposal_id, case_id) in proposal_case::Entity::find()
            .select_only()
            .column(proposal_case::Column::ProposalId)
            .column(proposal_case::Column::CaseId)
            .filter(proposal_case::Column::ProposalId.is_in(ids))
            .order_by_asc(proposal_case::Column::CaseId)
            .into_tuple::<(i64, i64)>()
            .all(&self.read)
            .await?
        {
            cases.entry(proposal_id).or_default().push(case_id);
        }
        rows.into_iter()
            .map(|r| {
                Ok(ProposalRecord {
                    kind: stored(ProposalKind::parse, "proposals.kind", &r.kind)?,
                    status: stored(ProposalStatus::parse, "proposals.status", &r.status)?,
                    events: events.remove(&r.id).unwrap_or_default(),
                    case_ids: cases.remove(&r.id).unwrap_or_default(),
                    id: r.id,
                    member_id: r.member_id,
                    district_id: r.district_id,
                    origin_case_id: r.origin_case_id,
                    title: r.title,
                    text: r.text,
                    reference_number: r.reference_number,
                    handling_unit: r.handling_unit,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// A member's draft from a group of opinions (the cases checked by the caller); returns its id.
    pub async fn create_proposal(
        &self,
        who: &Who,
        draft: &NewProposal,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let txn = self.write.begin().await?;
        let id = insert_draft(&txn, who, draft, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Takes a step if the draft is still in `expected`; `false` when someone moved it first.
    pub async fn take_proposal_step(
        &self,
        who: &Who,
        id: i64,
        expected: ProposalStatus,
        write: &ProposalStepWrite,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let mut update = proposal::Entity::update_many()
            .col_expr(proposal::Column::Status, Expr::value(write.next.as_str()))
            .col_expr(proposal::Column::UpdatedAt, Expr::value(now));
        if let Some(number) = &write.number {
            update = update.col_expr(proposal::Column::ReferenceNumber, Expr::value(number.clone()));
        }
        if let Some(unit) = &write.unit {
            update = update.col_expr(proposal::Column::HandlingUnit, Expr::value(unit.clone()));
        }
        let moved = update
            .filter(proposal::Column::Id.eq(id))
            .filter(proposal::Column::Status.eq(expected.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        let row = proposal::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| corrupt("proposals.id", id.to_string()))?;
        proposal_event::ActiveModel {
            proposal_id: Set(id),
            step: Set(write.step.as_str().to_owned()),
            detail: Set(write.detail.clone()),
            actor_account_id: Set(who.account_id),
            actor_name: Set(crate::accounts::display_name(&txn, who).await?),
            at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: audit_action(write.step),
                entity: "proposal",
                entity_id: id.to_string(),
                district_id: Some(row.district_id),
                before: Some(json!({ "status": expected.as_str() })),
                after: Some(json!({
                    "status": write.next.as_str(),
                    "number": write.number,
                    "unit": write.unit,
                    "detail_chars": write.detail.as_ref().map(|d| d.chars().count()),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
