//! Reception sessions as stored (接待日安排): their members on duty, their notice and the history of every
//! adjustment. Each change is one transaction with its audit entry.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::calendar::{SessionHours, SessionStatus};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::activities::{HeldSession, sync_session_activity};
use crate::audit::{self, Change, Who};
use crate::entity::{
    member, member_feed_token, reception_session, reception_session_change, reception_session_member, room,
};
use crate::error::{corrupt, stored};
use crate::{Store, StoreError};

/// A member on duty, by name (published on the notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyMember {
    pub id: i64,
    pub name: String,
}

/// A session as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub date: NaiveDate,
    pub nominal_date: NaiveDate,
    pub hours: SessionHours,
    pub place: String,
    pub status: SessionStatus,
    pub notice_due: NaiveDate,
    pub notice_posted_on: Option<NaiveDate>,
    pub notice_posted_where: Option<String>,
    pub notice_posted_by: Option<String>,
    pub members: Vec<DutyMember>,
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub room_id: i64,
    pub district_id: i64,
    pub date: NaiveDate,
    pub nominal_date: NaiveDate,
    pub hours: SessionHours,
    pub place: String,
    pub notice_due: NaiveDate,
    pub member_ids: Vec<i64>,
    /// `Planned` for a session planned ahead; the demo set also records past ones as held.
    pub status: SessionStatus,
    /// When and where the notice went up, if it already did.
    pub notice_posted: Option<(NaiveDate, String)>,
}

/// A session's values after an adjustment.
#[derive(Debug, Clone)]
pub struct SessionValues {
    pub date: NaiveDate,
    pub hours: SessionHours,
    pub place: String,
    pub status: SessionStatus,
    pub notice_due: NaiveDate,
    pub member_ids: Vec<i64>,
}

/// One adjustment in a session's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionChange {
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub summary: String,
    pub reason: String,
}

impl Store {
    /// Creates the sessions whose (room, nominal date) slot is still free; returns how many were new.
    pub async fn create_sessions(
        &self,
        who: &Who,
        sessions: &[NewSession],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let txn = self.write.begin().await?;
        let mut created = 0;
        for new in sessions {
            // One session per room and month slot, whatever nominal day a later rule gives it.
            let first = new.nominal_date.with_day(1).unwrap_or(new.nominal_date);
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .map_or(new.nominal_date, |next| next - chrono::Days::new(1));
            let taken = reception_session::Entity::find()
                .filter(reception_session::Column::RoomId.eq(new.room_id))
                .filter(reception_session::Column::NominalDate.between(first, last))
                .one(&txn)
                .await?
                .is_some();
            if taken {
                continue;
            }
            let row = reception_session::ActiveModel {
                room_id: Set(new.room_id),
                date: Set(new.date),
                nominal_date: Set(new.nominal_date),
                starts_at: Set(new.hours.starts_text()),
                ends_at: Set(new.hours.ends_text()),
                place: Set(new.place.clone()),
                status: Set(new.status.as_str().to_owned()),
                notice_due: Set(new.notice_due),
                notice_posted_on: Set(new.notice_posted.as_ref().map(|(on, _)| *on)),
                notice_posted_where: Set(new.notice_posted.as_ref().map(|(_, at)| at.clone())),
                notice_posted_by: Set(new.notice_posted.as_ref().map(|_| who.label.clone())),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            set_members(&txn, row.id, &new.member_ids).await?;
            let held = HeldSession {
                session_id: row.id,
                room_id: new.room_id,
                district_id: new.district_id,
                status: new.status,
                date: new.date,
                hours: new.hours,
                place: &new.place,
                member_ids: &new.member_ids,
            };
            sync_session_activity(&txn, who, &held, now).await?;
            let change = Change {
                action: "session.create",
                entity: "reception_session",
                entity_id: row.id.to_string(),
                district_id: Some(new.district_id),
                before: None,
                after: Some(json!({
                    "room_id": new.room_id,
                    "date": new.date.to_string(),
                    "members": new.member_ids,
                })),
            };
            audit::append(&txn, who, now, change).await?;
            created += 1;
        }
        txn.commit().await?;
        Ok(created)
    }

    /// Sessions of the given rooms between two dates (inclusive), by date.
    pub async fn sessions_in_rooms(
        &self,
        room_ids: &[i64],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = reception_session::Entity::find()
            .filter(reception_session::Column::RoomId.is_in(room_ids.iter().copied()))
            .filter(reception_session::Column::Date.between(from, to))
            .order_by_asc(reception_session::Column::Date)
            .order_by_asc(reception_session::Column::RoomId)
            .all(&self.read)
            .await?;
        self.records(rows).await
    }

    pub async fn reception_session(&self, id: i64) -> Result<Option<SessionRecord>, StoreError> {
        let rows: Vec<reception_session::Model> = reception_session::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(self.records(rows).await?.pop())
    }

    async fn records(&self, rows: Vec<reception_session::Model>) -> Result<Vec<SessionRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = reception_session_member::Entity::find()
            .filter(reception_session_member::Column::SessionId.is_in(ids))
            .all(&self.read)
            .await?;
        let mut member_ids: Vec<i64> = links.iter().map(|l| l.member_id).collect();
        member_ids.sort_unstable();
        member_ids.dedup();
        let mut by_session: HashMap<i64, Vec<i64>> = HashMap::new();
        for link in &links {
            by_session
                .entry(link.session_id)
                .or_default()
                .push(link.member_id);
        }
        let names: HashMap<i64, String> = member::Entity::find()
            .filter(member::Column::Id.is_in(member_ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let rooms: HashMap<i64, (i64, i64)> = room::Entity::find()
            .filter(room::Column::Id.is_in(rows.iter().map(|r| r.room_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|r| (r.id, (r.district_id, r.street_id)))
            .collect();
        rows.into_iter()
            .map(|row| {
                let mut members: Vec<DutyMember> = by_session
                    .get(&row.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|id| DutyMember {
                        id: *id,
                        name: names.get(id).cloned().unwrap_or_default(),
                    })
                    .collect();
                members.sort_by(|a, b| a.name.cmp(&b.name));
                let (district_id, street_id) = rooms
                    .get(&row.room_id)
                    .copied()
                    .ok_or_else(|| corrupt("reception_sessions.room_id", row.room_id.to_string()))?;
                Ok(SessionRecord {
                    id: row.id,
                    room_id: row.room_id,
                    district_id,
                    street_id,
                    date: row.date,
                    nominal_date: row.nominal_date,
                    hours: SessionHours::parse(&row.starts_at, &row.ends_at).map_err(|_| {
                        corrupt(
                            "reception_sessions.starts_at",
                            format!("{}–{}", row.starts_at, row.ends_at),
                        )
                    })?,
                    place: row.place,
                    status: stored(SessionStatus::parse, "reception_sessions.status", &row.status)?,
                    notice_due: row.notice_due,
                    notice_posted_on: row.notice_posted_on,
                    notice_posted_where: row.notice_posted_where,
                    notice_posted_by: row.notice_posted_by,
                    members,
                })
            })
            .collect()
    }

    /// Replaces a session's values and records the change with its reason in the session's history.
    pub async fn update_session(
        &self,
        who: &Who,
        before: &SessionRecord,
        values: &SessionValues,
        summary: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        let date_changed = values.date != before.date;
        let mut row = reception_session::ActiveModel {
            id: Set(before.id),
            date: Set(values.date),
            starts_at: Set(values.hours.starts_text()),
            ends_at: Set(values.hours.ends_text()),
            place: Set(values.place.clone()),
            status: Set(values.status.as_str().to_owned()),
            notice_due: Set(values.notice_due),
            updated_at: Set(now),
            ..Default::default()
        };
        if date_changed {
            // A notice put up for the old date does not announce the new one.
            row.notice_posted_on = Set(None);
            row.notice_posted_where = Set(None);
            row.notice_posted_by = Set(None);
        }
        row.update(&txn).await?;
        reception_session_member::Entity::delete_many()
            .filter(reception_session_member::Column::SessionId.eq(before.id))
            .exec(&txn)
            .await?;
        set_members(&txn, before.id, &values.member_ids).await?;
        // A session that took place is a reception-day activity (R10), never typed again (X11).
        let held = HeldSession {
            session_id: before.id,
            room_id: before.room_id,
            district_id: before.district_id,
            status: values.status,
            date: values.date,
            hours: values.hours,
            place: &values.place,
            member_ids: &values.member_ids,
        };
        sync_session_activity(&txn, who, &held, now).await?;
        reception_session_change::ActiveModel {
            session_id: Set(before.id),
            changed_at: Set(now),
            changed_by: Set(who.label.clone()),
            summary: Set(summary.to_owned()),
            reason: Set(reason.to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "session.update",
            entity: "reception_session",
            entity_id: before.id.to_string(),
            district_id: Some(before.district_id),
            before: Some(json!({
                "date": before.date.to_string(),
                "place": before.place,
                "status": before.status.as_str(),
            })),
            after: Some(json!({
                "date": values.date.to_string(),
                "place": values.place,
                "status": values.status.as_str(),
                "summary": summary,
                "reason": reason,
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records that the session's notice went up on `posted_on` at `place`.
    pub async fn mark_notice_posted(
        &self,
        who: &Who,
        session: &SessionRecord,
        posted_on: NaiveDate,
        place: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        reception_session::ActiveModel {
            id: Set(session.id),
            notice_posted_on: Set(Some(posted_on)),
            notice_posted_where: Set(Some(place.to_owned())),
            notice_posted_by: Set(Some(who.label.clone())),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let change = Change {
            action: "session.notice_posted",
            entity: "reception_session",
            entity_id: session.id.to_string(),
            district_id: Some(session.district_id),
            before: session
                .notice_posted_on
                .map(|d| json!({ "posted_on": d.to_string() })),
            after: Some(json!({ "posted_on": posted_on.to_string(), "where": place })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sessions a member is on duty at between two dates, by date.
    pub async fn sessions_of_member(
        &self,
        member_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let ids: Vec<i64> = reception_session_member::Entity::find()
            .filter(reception_session_member::Column::MemberId.eq(member_id))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|l| l.session_id)
            .collect();
        let rows = reception_session::Entity::find()
            .filter(reception_session::Column::Id.is_in(ids))
            .filter(reception_session::Column::Date.between(from, to))
            .order_by_asc(reception_session::Column::Date)
            .all(&self.read)
            .await?;
        self.records(rows).await
    }

    /// Replaces a member's feed token: the old one stops working.
    pub async fn replace_member_feed_token(
        &self,
        who: &Who,
        member_id: i64,
        token_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        member_feed_token::Entity::update_many()
            .col_expr(
                member_feed_token::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(member_feed_token::Column::MemberId.eq(member_id))
            .filter(member_feed_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if let Some(hash) = token_hash {
            member_feed_token::ActiveModel {
                member_id: Set(member_id),
                token_hash: Set(hash.to_owned()),
                created_at: Set(now),
                revoked_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let change = Change {
            action: if token_hash.is_some() {
                "member.feed.issue"
            } else {
                "member.feed.revoke"
            },
            entity: "member",
            entity_id: member_id.to_string(),
            district_id: None,
            before: None,
            after: None,
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The member whose live feed token has this hash.
    pub async fn member_by_feed_token(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        Ok(member_feed_token::Entity::find()
            .filter(member_feed_token::Column::TokenHash.eq(token_hash))
            .filter(member_feed_token::Column::RevokedAt.is_null())
            .one(&self.read)
            .await?
            .map(|row| row.member_id))
    }

    /// Whether the member has a live feed token.
    pub async fn member_has_feed(&self, member_id: i64) -> Result<bool, StoreError> {
        Ok(member_feed_token::Entity::find()
            .filter(member_feed_token::Column::MemberId.eq(member_id))
            .filter(member_feed_token::Column::RevokedAt.is_null())
            .one(&self.read)
            .await?
            .is_some())
    }

    /// A session's adjustments, oldest first.
    pub async fn session_changes(&self, id: i64) -> Result<Vec<SessionChange>, StoreError> {
        Ok(self
            .sessions_changes(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default())
    }

    /// The adjustments of several sessions in one query, by session id, oldest first.
    pub async fn sessions_changes(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<SessionChange>>, StoreError> {
        let mut by_session: HashMap<i64, Vec<SessionChange>> = HashMap::new();
        for row in reception_session_change::Entity::find()
            .filter(reception_session_change::Column::SessionId.is_in(ids.iter().copied()))
            .order_by_asc(reception_session_change::Column::Id)
            .all(&self.read)
            .await?
        {
            by_session.entry(row.session_id).or_default().push(SessionChange {
                changed_at: row.changed_at,
                changed_by: row.changed_by,
                summary: row.summary,
                reason: row.reason,
            });
        }
        Ok(by_session)
    }
}

async fn set_members<C: sea_orm::ConnectionTrait>(
    txn: &C,
    session_id: i64,
    member_ids: &[i64],
) -> Result<(), StoreError> {
    if member_ids.is_empty() {
        return Ok(());
    }
    let links: Vec<reception_session_member::ActiveModel> = member_ids
        .iter()
        .map(|member_id| reception_session_member::ActiveModel {
            session_id: Set(session_id),
            member_id: Set(*member_id),
        })
        .collect();
    reception_session_member::Entity::insert_many(links)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
