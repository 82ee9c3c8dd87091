//! Rooms' funding (工作经费, R16): the budget line of a room and year with its spending. Saving a line
//! replaces its budget and spending in one transaction with the audit entry, so a reader never sees
//! half of an edit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::authz::Scope;
use domain::funding::{FundingLine, Spending, SpendingCategory};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{room_funding, room_spending};
use crate::error::stored;
use crate::scope::{PlaceColumns, place_condition};
use crate::units::Room;
use crate::{Store, StoreError};

/// What a save expects to find, so two people editing one line cannot silently undo each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingBase {
    /// Whatever is there (an API caller that sent no `based_on`).
    Any,
    /// No line yet.
    Fresh,
    /// The line as last saved at this time.
    SavedAt(DateTime<Utc>),
}

/// A room's line for a year as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingRecord {
    pub room_id: i64,
    pub year: i32,
    pub budget_fen: i64,
    pub spent: Vec<Spending>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

fn place() -> PlaceColumns<room_funding::Column> {
    PlaceColumns {
        district: Some(room_funding::Column::DistrictId),
        street: Some(room_funding::Column::StreetId),
        room: Some(room_funding::Column::RoomId),
    }
}

impl Store {
    /// The lines of `year` in `scope`, each with its spending in date order.
    pub async fn funding_in_scope(&self, scope: &Scope, year: i32) -> Result<Vec<FundingRecord>, StoreError> {
        let rows = room_funding::Entity::find()
            .filter(place_condition(scope, &place()))
            .filter(room_funding::Column::Year.eq(year))
            .all(&self.read)
            .await?;
        self.with_spending(rows).await
    }

    /// One room's line of `year`, if entered.
    pub async fn room_funding(&self, room_id: i64, year: i32) -> Result<Option<FundingRecord>, StoreError> {
        let rows = room_funding::Entity::find()
            .filter(room_funding::Column::RoomId.eq(room_id))
            .filter(room_funding::Column::Year.eq(year))
            .all(&self.read)
            .await?;
        Ok(self.with_spending(rows).await?.pop())
    }

    async fn with_spending(&self, rows: Vec<room_funding::Model>) -> Result<Vec<FundingRecord>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut spending: HashMap<i64, Vec<Spending>> = HashMap::new();
        for line in room_spending::Entity::find()
            .filter(room_spending::Column::FundingId.is_in(ids))
            .order_by_asc(room_spending::Column::SpentOn)
            .order_by_asc(room_spending::Column::Id)
            .all(&self.read)
            .await?
        {
            spending.entry(line.funding_id).or_default().push(Spending {
                date: line.spent_on,
                amount_fen: line.amount_fen,
                category: stored(SpendingCategory::parse, "room_spending.category", &line.category)?,
                note: line.note,
            });
        }
        Ok(rows
            .into_iter()
            .map(|r| FundingRecord {
                spent: spending.remove(&r.id).unwrap_or_default(),
                room_id: r.room_id,
                year: r.year,
                budget_fen: r.budget_fen,
                updated_at: r.updated_at,
                updated_by: r.updated_by,
            })
            .collect())
    }

    /// Saves a room's line of `year`: the budget and the whole spending list, replacing what was there;
    /// `false` (nothing written) when the line is no longer what `base` says the editor read.
    pub async fn save_room_funding(
        &self,
        who: &Who,
        room: &Room,
        year: i32,
        line: &FundingLine,
        base: FundingBase,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let existing = room_funding::Entity::find()
            .filter(room_funding::Column::RoomId.eq(room.id))
            .filter(room_funding::Column::Year.eq(year))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let as_read = match (base, &existing) {
            (FundingBase::Any, _) | (FundingBase::Fresh, None) => true,
            (FundingBase::SavedAt(at), Some(row)) => row.updated_at == at,
            _ => false,
        };
        if !as_read {
            txn.rollback().await?;
            return Ok(false);
        }
        let before = existing.as_ref().map(|r| r.budget_fen);
        // `updated_at` is the line's version: strictly later than the last save even when two land in
        // the same instant (or under a pinned clock), so a stale base never matches.
        let now = existing
            .as_ref()
            .map_or(now, |r| now.max(r.updated_at + chrono::Duration::microseconds(1)));
        let id = match existing {
            Some(row) => {
                let id = row.id;
                let mut active: room_funding::ActiveModel = row.into();
                active.budget_fen = Set(line.budget_fen);
                active.updated_at = Set(now);
                active.updated_by = Set(who.label.clone());
                active.update(&txn).await?;
                room_spending::Entity::delete_many()
                    .filter(room_spending::Column::FundingId.eq(id))
                    .exec(&txn)
                    .await?;
                id
            }
            None => {
                room_funding::ActiveModel {
                    room_id: Set(room.id),
                    district_id: Set(room.district_id),
                    street_id: Set(room.street_id),
                    year: Set(year),
                    budget_fen: Set(line.budget_fen),
                    updated_at: Set(now),
                    updated_by: Set(who.label.clone()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        if !line.spent.is_empty() {
            room_spending::Entity::insert_many(line.spent.iter().map(|s| room_spending::ActiveModel {
                funding_id: Set(id),
                spent_on: Set(s.date),
                amount_fen: Set(s.amount_fen),
                category: Set(s.category.as_str().to_owned()),
                note: Set(s.note.clone()),
                ..Default::default()
            }))
            .exec(&txn)
            .await?;
        }
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: "room_funding.save",
                entity: "room_funding",
                entity_id: format!("{}/{year}", room.id),
                district_id: Some(room.district_id),
                before: before.map(|fen| json!({ "budget_fen": fen })),
                after: Some(json!({
                    "budget_fen": line.budget_fen,
                    "spent_fen": line.spent.iter().map(|s| s.amount_fen).sum::<i64>(),
                    "lines": line.spent.len(),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
