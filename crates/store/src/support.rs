//! Members' support requests (委员履职支持, R12): a request with its first message written in one
//! transaction; a step moves the request only from the status it was decided on, with its message and
//! audit entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::support::{SupportKind, SupportStatus, SupportStep};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{support_message, support_request};
use crate::error::{corrupt, stored};
use crate::units::Room;
use crate::{Store, StoreError};

/// A request as stored, with its history oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRecord {
    pub id: i64,
    pub member_id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub kind: SupportKind,
    pub status: SupportStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub messages: Vec<SupportMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMessage {
    pub step: SupportStep,
    pub text: String,
    pub actor_name: String,
    pub at: DateTime<Utc>,
}

/// Which requests a list holds: one member's, one district's, or all (the city).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportFilter {
    Member(i64),
    District(i64),
    All,
}

fn audit_action(step: SupportStep) -> &'static str {
    match step {
        SupportStep::Ask => "support_request.ask",
        SupportStep::Answer => "support_request.answer",
        SupportStep::Confirm => "support_request.confirm",
        SupportStep::AskAgain => "support_request.ask_again",
    }
}

impl Store {
    /// The requests of `filter`, newest first, each with its history.
    pub async fn support_requests(&self, filter: SupportFilter) -> Result<Vec<SupportRecord>, StoreError> {
        let condition = match filter {
            SupportFilter::Member(id) => Condition::all().add(support_request::Column::MemberId.eq(id)),
            SupportFilter::District(id) => Condition::all().add(support_request::Column::DistrictId.eq(id)),
            SupportFilter::All => Condition::all(),
        };
        let rows = support_request::Entity::find()
            .filter(condition)
            .order_by_desc(support_request::Column::UpdatedAt)
            .order_by_desc(support_request::Column::Id)
            .all(&self.read)
            .await?;
        self.with_messages(rows).await
    }

    pub async fn support_request(&self, id: i64) -> Result<Option<SupportRecord>, StoreError> {
        let rows = support_request::Entity::find_by_id(id).all(&self.read).await?;
        Ok(self.with_messages(rows).await?.pop())
    }

    async fn with_messages(
        &self,
        rows: Vec<support_request::Model>,
    ) -> Result<Vec<SupportRecord>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut messages: HashMap<i64, Vec<SupportMessage>> = HashMap::new();
        for m in support_message::Entity::find()
            .filter(support_message::Column::RequestId.is_in(ids))
            .order_by_asc(support_message::Column::Id)
            .all(&self.read)
            .await?
        {
            messages.entry(m.request_id).or_default().push(SupportMessage {
                step: stored(SupportStep::parse, "support_messages.step", &m.step)?,
                text: m.text,
                actor_name: m.actor_name,
                at: m.at,
            });
        }
        rows.into_iter()
            .map(|r| {
                Ok(SupportRecord {
                    kind: stored(SupportKind::parse, "support_requests.kind", &r.kind)?,
                    status: stored(SupportStatus::parse, "support_requests.status", &r.status)?,
                    messages: messages.remove(&r.id).unwrap_or_default(),
                    id: r.id,
                    member_id: r.member_id,
                    room_id: r.room_id,
                    district_id: r.district_id,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// A member's new request about `room`, open with its first message; returns its id.
    pub async fn create_support_request(
        &self,
        who: &Who,
        member_id: i64,
        room: &Room,
        kind: SupportKind,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let txn = self.write.begin().await?;
        let row = support_request::ActiveModel {
            member_id: Set(member_id),
            room_id: Set(room.id),
            district_id: Set(room.district_id),
            street_id: Set(room.street_id),
            kind: Set(kind.as_str().to_owned()),
            status: Set(SupportStatus::Open.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        support_message::ActiveModel {
            request_id: Set(row.id),
            step: Set(SupportStep::Ask.as_str().to_owned()),
            text: Set(text.to_owned()),
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
                action: audit_action(SupportStep::Ask),
                entity: "support_request",
                entity_id: row.id.to_string(),
                district_id: Some(room.district_id),
                before: None,
                after: Some(
                    json!({ "kind": kind.as_str(), "room_id": room.id, "text_chars": text.chars().count() }),
                ),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// Takes a step if the request is still in `expected`; `false` when someone moved it first.
    #[expect(
        clippy::too_many_arguments,
        reason = "one step: who, which, from, to, what, when"
    )]
    pub async fn take_support_step(
        &self,
        who: &Who,
        id: i64,
        expected: SupportStatus,
        step: SupportStep,
        next: SupportStatus,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let moved = support_request::Entity::update_many()
            .col_expr(
                support_request::Column::Status,
                sea_orm::sea_query::Expr::value(next.as_str()),
            )
            .col_expr(
                support_request::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(support_request::Column::Id.eq(id))
            .filter(support_request::Column::Status.eq(expected.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        let row = support_request::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| corrupt("support_requests.id", id.to_string()))?;
        support_message::ActiveModel {
            request_id: Set(id),
            step: Set(step.as_str().to_owned()),
            text: Set(text.to_owned()),
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
                action: audit_action(step),
                entity: "support_request",
                entity_id: id.to_string(),
                district_id: Some(row.district_id),
                before: Some(json!({ "status": expected.as_str() })),
                after: Some(json!({ "status": next.as_str(), "text_chars": text.chars().count() })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
