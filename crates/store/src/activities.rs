//! Community activities as stored (履职活动, R10): who took part, their status, the local kinds districts
//! define, and the reception-day activity each held session carries. Each change is one transaction with
//! its audit entry.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::activity::{ActivityKind, ActivityStatus};
use domain::authz::Scope;
use domain::calendar::{SessionHours, SessionStatus};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{activity, activity_member, activity_photo, local_activity_kind, member, room};
use crate::error::{corrupt, stored};
use crate::scope::{PlaceColumns, place_condition};
use crate::sessions::DutyMember;
use crate::{Store, StoreError};

/// What a reception-day activity says until staff write more.
pub const RECEPTION_DAY_SUMMARY: &str = "委员接待日：在工作室接待来访群众，听取意见建议。";

/// An activity as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    pub id: i64,
    pub room_id: i64,
    pub room_name: String,
    pub district_id: i64,
    pub street_id: i64,
    pub kind: ActivityKind,
    /// For a local kind: its id and name.
    pub local_kind: Option<(i64, String)>,
    pub held_on: NaiveDate,
    pub hours: Option<SessionHours>,
    pub place: String,
    pub summary: String,
    pub residents_reached: Option<u32>,
    pub status: ActivityStatus,
    pub return_reason: Option<String>,
    /// The reception session this activity is, when it is one.
    pub session_id: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub confirmed_by: Option<String>,
    pub members: Vec<DutyMember>,
    /// The ids of its photos, oldest first.
    pub photo_ids: Vec<i64>,
    /// Citizens' opinions registered as collected at it (R10).
    pub opinions_collected: u32,
}

impl ActivityRecord {
    /// The kind as people read it: a local kind by its own name.
    pub fn kind_label(&self) -> String {
        match &self.local_kind {
            Some((_, name)) => name.clone(),
            None => self.kind.label_zh().to_owned(),
        }
    }
}

/// An activity to record.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub kind: ActivityKind,
    pub local_kind_id: Option<i64>,
    pub held_on: NaiveDate,
    pub hours: Option<SessionHours>,
    pub place: String,
    pub summary: String,
    pub residents_reached: Option<u32>,
    pub status: ActivityStatus,
    pub member_ids: Vec<i64>,
    /// The client's idempotency key and a digest of what it sent with it.
    pub client_key: Option<(String, String)>,
}

pub use crate::Recorded;

/// Filters for a list of activities.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub room_id: Option<i64>,
    pub status: Option<ActivityStatus>,
}

/// One confirmed activity a member took part in, as the yearly count and the points need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub member_id: i64,
    pub activity_id: i64,
    pub held_on: NaiveDate,
    pub kind: ActivityKind,
}

/// A photo to store: a JPEG already re-encoded without metadata.
#[derive(Debug, Clone, Copy)]
pub struct NewPhoto<'a> {
    pub jpeg: &'a [u8],
    pub width: u32,
    pub height: u32,
    pub etag: &'a str,
}

/// A district's own kind of activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalKind {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
}

/// A held session's facts, from which its reception-day activity follows.
pub(crate) struct HeldSession<'a> {
    pub session_id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub status: SessionStatus,
    pub date: NaiveDate,
    pub hours: SessionHours,
    pub place: &'a str,
    pub member_ids: &'a [i64],
}

fn activity_columns() -> PlaceColumns<activity::Column> {
    PlaceColumns {
        district: Some(activity::Column::DistrictId),
        street: Some(activity::Column::StreetId),
        room: Some(activity::Column::RoomId),
    }
}

impl Store {
    /// Records an activity and who took part; with a client key, a retry finds the first instead.
    pub async fn create_activity(
        &self,
        who: &Who,
        new: &NewActivity,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let txn = self.write.begin().await?;
        if let Some((key, digest)) = &new.client_key {
            let earlier = activity::Entity::find()
                .filter(activity::Column::ClientKey.eq(key.as_str()))
                .filter(match who.account_id {
                    Some(id) => activity::Column::RecordedByAccount.eq(id),
                    None => activity::Column::RecordedByAccount.is_null(),
                })
                .one(&txn)
                .await?;
            if let Some(earlier) = earlier {
                return Ok(if earlier.request_digest.as_deref() == Some(digest.as_str()) {
                    Recorded::Replayed(earlier.id)
                } else {
                    Recorded::KeyReused(earlier.id)
                });
            }
        }
        let confirmed = new.status == ActivityStatus::Confirmed;
        let row = activity::ActiveModel {
            room_id: Set(new.room_id),
            district_id: Set(new.district_id),
            street_id: Set(new.street_id),
            kind: Set(new.kind.as_str().to_owned()),
            local_kind_id: Set(new.local_kind_id),
            held_on: Set(new.held_on),
            starts_at: Set(new.hours.map(|h| h.starts_text())),
            ends_at: Set(new.hours.map(|h| h.ends_text())),
            place: Set(new.place.clone()),
            summary: Set(new.summary.clone()),
            residents_reached: Set(new
                .residents_reached
                .map(|n| i32::try_from(n).unwrap_or(i32::MAX))),
            status: Set(new.status.as_str().to_owned()),
            return_reason: Set(None),
            session_id: Set(None),
            client_key: Set(new.client_key.as_ref().map(|(k, _)| k.clone())),
            request_digest: Set(new.client_key.as_ref().map(|(_, d)| d.clone())),
            recorded_by: Set(who.label.clone()),
            recorded_by_account: Set(who.account_id),
            recorded_at: Set(now),
            confirmed_by: Set(confirmed.then(|| who.label.clone())),
            confirmed_at: Set(confirmed.then_some(now)),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        set_members(&txn, row.id, &new.member_ids).await?;
        let change = Change {
            action: "activity.create",
            entity: "activity",
            entity_id: row.id.to_string(),
            district_id: Some(new.district_id),
            before: None,
            after: Some(json!({
                "room_id": new.room_id,
                "kind": new.kind.as_str(),
                "held_on": new.held_on.to_string(),
                "members": new.member_ids,
                "status": new.status.as_str(),
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(Recorded::Created(row.id))
    }

    pub async fn activity(&self, id: i64) -> Result<Option<ActivityRecord>, StoreError> {
        let rows: Vec<activity::Model> = activity::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(self.activity_records(rows).await?.pop())
    }

    /// The activities with these ids, in no particular order.
    pub async fn activities_with_ids(&self, ids: &[i64]) -> Result<Vec<ActivityRecord>, StoreError> {
        let rows = activity::Entity::find()
            .filter(activity::Column::Id.is_in(ids.iter().copied()))
            .all(&self.read)
            .await?;
        self.activity_records(rows).await
    }

    /// Activities in `scope` (a member: those the member took part in or reported), newest first.
    pub async fn activities_in_scope(
        &self,
        scope: &Scope,
        filter: &ActivityFilter,
    ) -> Result<Vec<ActivityRecord>, StoreError> {
        let mut condition = place_condition(scope, &activity_columns());
        if let Scope::Member { member_id, .. } = *scope {
            let own: Vec<i64> = activity_member::Entity::find()
                .filter(activity_member::Column::MemberId.eq(member_id))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|l| l.activity_id)
                .collect();
            condition = Condition::all().add(activity::Column::Id.is_in(own));
        }
        let mut query = activity::Entity::find().filter(condition);
        if let Some(from) = filter.from {
            query = query.filter(activity::Column::HeldOn.gte(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(activity::Column::HeldOn.lte(to));
        }
        if let Some(room_id) = filter.room_id {
            query = query.filter(activity::Column::RoomId.eq(room_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(activity::Column::Status.eq(status.as_str()));
        }
        let rows = query
            .order_by_desc(activity::Column::HeldOn)
            .order_by_desc(activity::Column::Id)
            .all(&self.read)
            .await?;
        self.activity_records(rows).await
    }

    async fn activity_records(&self, rows: Vec<activity::Model>) -> Result<Vec<ActivityRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let links = activity_member::Entity::find()
            .filter(activity_member::Column::ActivityId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.read)
            .await?;
        let names: HashMap<i64, String> = member::Entity::find()
            .filter(member::Column::Id.is_in(links.iter().map(|l| l.member_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut by_activity: HashMap<i64, Vec<DutyMember>> = HashMap::new();
        for link in &links {
            by_activity.entry(link.activity_id).or_default().push(DutyMember {
                id: link.member_id,
                name: names.get(&link.member_id).cloned().unwrap_or_default(),
            });
        }
        let rooms: HashMap<i64, String> = room::Entity::find()
            .filter(room::Column::Id.is_in(rows.iter().map(|r| r.room_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let mut photos: HashMap<i64, Vec<i64>> = HashMap::new();
        for (id, activity_id) in activity_photo::Entity::find()
            .select_only()
            .column(activity_photo::Column::Id)
            .column(activity_photo::Column::ActivityId)
            .filter(activity_photo::Column::ActivityId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(activity_photo::Column::Id)
            .into_tuple::<(i64, i64)>()
            .all(&self.read)
            .await?
        {
            photos.entry(activity_id).or_default().push(id);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut collected = self.opinions_collected(&ids).await?;
        let kinds: HashMap<i64, String> = local_activity_kind::Entity::find()
            .filter(local_activity_kind::Column::Id.is_in(rows.iter().filter_map(|r| r.local_kind_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|k| (k.id, k.name))
            .collect();
        rows.into_iter()
            .map(|row| {
                let mut members = by_activity.remove(&row.id).unwrap_or_default();
                members.sort_by(|a, b| a.name.cmp(&b.name));
                let hours = match (&row.starts_at, &row.ends_at) {
                    (Some(s), Some(e)) => Some(
                        SessionHours::parse(s, e)
                            .map_err(|_| corrupt("activities.starts_at", format!("{s}–{e}")))?,
                    ),
                    _ => None,
                };
                let residents_reached = row
                    .residents_reached
                    .map(|n| {
                        u32::try_from(n).map_err(|_| corrupt("activities.residents_reached", n.to_string()))
                    })
                    .transpose()?;
                Ok(ActivityRecord {
                    id: row.id,
                    room_id: row.room_id,
                    room_name: rooms.get(&row.room_id).cloned().unwrap_or_default(),
                    district_id: row.district_id,
                    street_id: row.street_id,
                    kind: stored(ActivityKind::parse, "activities.kind", &row.kind)?,
                    local_kind: row
                        .local_kind_id
                        .map(|id| (id, kinds.get(&id).cloned().unwrap_or_default())),
                    held_on: row.held_on,
                    hours,
                    place: row.place,
                    summary: row.summary,
                    residents_reached,
                    status: stored(ActivityStatus::parse, "activities.status", &row.status)?,
                    return_reason: row.return_reason,
                    session_id: row.session_id,
                    recorded_by: row.recorded_by,
                    recorded_at: row.recorded_at,
                    confirmed_by: row.confirmed_by,
                    photo_ids: photos.remove(&row.id).unwrap_or_default(),
                    opinions_collected: collected.remove(&row.id).unwrap_or(0),
                    members,
                })
            })
            .collect()
    }

    /// Replaces what staff wrote about an activity: its summary and the residents reached.
    pub async fn update_activity_details(
        &self,
        who: &Who,
        before: &ActivityRecord,
        summary: &str,
        residents_reached: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        activity::ActiveModel {
            id: Set(before.id),
            summary: Set(summary.to_owned()),
            residents_reached: Set(residents_reached.map(|n| i32::try_from(n).unwrap_or(i32::MAX))),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let change = Change {
            action: "activity.update",
            entity: "activity",
            entity_id: before.id.to_string(),
            district_id: Some(before.district_id),
            // What residents said stays out of the append-only trail: only that the summary changed.
            before: Some(json!({ "residents_reached": before.residents_reached })),
            after: Some(json!({
                "summary_changed": summary != before.summary,
                "residents_reached": residents_reached,
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds a photo (already re-encoded) to an activity; returns its id.
    pub async fn add_activity_photo(
        &self,
        who: &Who,
        activity: &ActivityRecord,
        photo: &NewPhoto<'_>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let txn = self.write.begin().await?;
        let kept = activity_photo::Entity::find()
            .filter(activity_photo::Column::ActivityId.eq(activity.id))
            .count(&txn)
            .await?;
        if usize::try_from(kept).unwrap_or(usize::MAX) >= limit {
            txn.rollback().await?;
            return Ok(None);
        }
        let row = activity_photo::ActiveModel {
            activity_id: Set(activity.id),
            jpeg: Set(photo.jpeg.to_vec()),
            width: Set(i32::try_from(photo.width).unwrap_or(i32::MAX)),
            height: Set(i32::try_from(photo.height).unwrap_or(i32::MAX)),
            etag: Set(photo.etag.to_owned()),
            uploaded_by: Set(who.label.clone()),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "activity.photo.add",
            entity: "activity",
            entity_id: activity.id.to_string(),
            district_id: Some(activity.district_id),
            before: None,
            after: Some(json!({ "photo_id": row.id, "etag": photo.etag })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(Some(row.id))
    }

    pub async fn remove_activity_photo(
        &self,
        who: &Who,
        activity: &ActivityRecord,
        photo_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let removed = activity_photo::Entity::delete_many()
            .filter(activity_photo::Column::Id.eq(photo_id))
            .filter(activity_photo::Column::ActivityId.eq(activity.id))
            .exec(&txn)
            .await?
            .rows_affected
            > 0;
        if removed {
            let change = Change {
                action: "activity.photo.remove",
                entity: "activity",
                entity_id: activity.id.to_string(),
                district_id: Some(activity.district_id),
                before: Some(json!({ "photo_id": photo_id })),
                after: None,
            };
            audit::append(&txn, who, now, change).await?;
        }
        txn.commit().await?;
        Ok(removed)
    }

    /// A photo of an activity: the JPEG and its ETag.
    pub async fn activity_photo(
        &self,
        activity_id: i64,
        photo_id: i64,
    ) -> Result<Option<crate::members::PhotoFile>, StoreError> {
        Ok(activity_photo::Entity::find_by_id(photo_id)
            .filter(activity_photo::Column::ActivityId.eq(activity_id))
            .one(&self.read)
            .await?
            .map(|row| crate::members::PhotoFile {
                jpeg: row.jpeg,
                etag: row.etag,
            }))
    }

    /// Confirms a pending activity, or returns it with a reason (`None` confirms).
    pub async fn decide_activity(
        &self,
        who: &Who,
        before: &ActivityRecord,
        returned_because: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let status = if returned_because.is_some() {
            ActivityStatus::Returned
        } else {
            ActivityStatus::Confirmed
        };
        // Only a report still pending is decided: two people deciding at once, the second finds it done.
        let decided = activity::Entity::update_many()
            .col_expr(activity::Column::Status, status.as_str().into())
            .col_expr(
                activity::Column::ReturnReason,
                returned_because.map(str::to_owned).into(),
            )
            .col_expr(
                activity::Column::ConfirmedBy,
                returned_because.is_none().then(|| who.label.clone()).into(),
            )
            .col_expr(
                activity::Column::ConfirmedAt,
                returned_because.is_none().then_some(now).into(),
            )
            .col_expr(activity::Column::UpdatedAt, now.into())
            .filter(activity::Column::Id.eq(before.id))
            .filter(activity::Column::Status.eq(ActivityStatus::Pending.as_str()))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !decided {
            txn.rollback().await?;
            return Ok(false);
        }
        let change = Change {
            action: if returned_because.is_some() {
                "activity.return"
            } else {
                "activity.confirm"
            },
            entity: "activity",
            entity_id: before.id.to_string(),
            district_id: Some(before.district_id),
            before: Some(json!({ "status": before.status.as_str() })),
            after: Some(json!({ "status": status.as_str(), "reason": returned_because })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Every confirmed activity between two dates with each member who took part (of `member_ids`, or
    /// of everyone when `None`), by date.
    pub async fn participations(
        &self,
        member_ids: Option<&[i64]>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Participation>, StoreError> {
        let mut query = activity_member::Entity::find()
            .select_only()
            .column(activity_member::Column::MemberId)
            .column(activity::Column::Id)
            .column(activity::Column::HeldOn)
            .column(activity::Column::Kind)
            .join(JoinType::InnerJoin, activity_member::Relation::Activity.def())
            .filter(activity::Column::Status.eq(ActivityStatus::Confirmed.as_str()))
            .filter(activity::Column::HeldOn.between(from, to));
        if let Some(ids) = member_ids {
            query = query.filter(activity_member::Column::MemberId.is_in(ids.iter().copied()));
        }
        let rows: Vec<(i64, i64, NaiveDate, String)> = query
            .order_by_asc(activity::Column::HeldOn)
            .order_by_asc(activity::Column::Id)
            .into_tuple()
            .all(&self.read)
            .await?;
        rows.into_iter()
            .map(|(member_id, activity_id, held_on, kind)| {
                Ok(Participation {
                    member_id,
                    activity_id,
                    held_on,
                    kind: stored(ActivityKind::parse, "activities.kind", &kind)?,
                })
            })
            .collect()
    }

    /// The local kinds of the given districts (all districts when `None`), by district and name.
    pub async fn local_kinds(&self, district_ids: Option<&[i64]>) -> Result<Vec<LocalKind>, StoreError> {
        let mut query = local_activity_kind::Entity::find();
        if let Some(ids) = district_ids {
            query = query.filter(local_activity_kind::Column::DistrictId.is_in(ids.iter().copied()));
        }
        Ok(query
            .order_by_asc(local_activity_kind::Column::DistrictId)
            .order_by_asc(local_activity_kind::Column::Name)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|k| LocalKind {
                id: k.id,
                district_id: k.district_id,
                name: k.name,
            })
            .collect())
    }

    pub async fn create_local_kind(
        &self,
        who: &Who,
        district_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<LocalKind, StoreError> {
        let txn = self.write.begin().await?;
        let row = local_activity_kind::ActiveModel {
            district_id: Set(district_id),
            name: Set(name.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "activity_kind.create",
            entity: "local_activity_kind",
            entity_id: row.id.to_string(),
            district_id: Some(district_id),
            before: None,
            after: Some(json!({ "name": name })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(LocalKind {
            id: row.id,
            district_id,
            name: row.name,
        })
    }
}

/// Keeps a session's reception-day activity in step with it, inside the session's transaction: a held
/// session has exactly one, with its date, hours, place and members; a planned or cancelled one none.
/// What staff wrote about it (summary, residents reached) survives later saves.
pub(crate) async fn sync_session_activity<C: ConnectionTrait>(
    txn: &C,
    who: &Who,
    session: &HeldSession<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut existing = activity::Entity::find()
        .filter(activity::Column::SessionId.eq(session.session_id))
        .one(txn)
        .await?;
    if session.status != SessionStatus::Held {
        if let Some(existing) = existing {
            // The session did not take place after all: its activity goes, and the trail says what
            // went with it.
            activity::Entity::delete_by_id(existing.id).exec(txn).await?;
            let change = Change {
                action: "activity.remove",
                entity: "activity",
                entity_id: existing.id.to_string(),
                district_id: Some(existing.district_id),
                before: Some(json!({
                    "session_id": session.session_id,
                    "held_on": existing.held_on.to_string(),
                    "residents_reached": existing.residents_reached,
                })),
                after: None,
            };
            audit::append(txn, who, now, change).await?;
        }
        return Ok(());
    }
    if existing.is_none() {
        // A reception day recorded by hand for the same room and day becomes the session's, so it is
        // counted once.
        existing = activity::Entity::find()
            .filter(activity::Column::RoomId.eq(session.room_id))
            .filter(activity::Column::HeldOn.eq(session.date))
            .filter(activity::Column::Kind.eq(ActivityKind::ReceptionDay.as_str()))
            .filter(activity::Column::SessionId.is_null())
            .filter(activity::Column::Status.eq(ActivityStatus::Confirmed.as_str()))
            .one(txn)
            .await?;
    }
    let activity_id = if let Some(existing) = existing {
        activity::ActiveModel {
            id: Set(existing.id),
            session_id: Set(Some(session.session_id)),
            held_on: Set(session.date),
            starts_at: Set(Some(session.hours.starts_text())),
            ends_at: Set(Some(session.hours.ends_text())),
            place: Set(session.place.to_owned()),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(txn)
        .await?;
        activity_member::Entity::delete_many()
            .filter(activity_member::Column::ActivityId.eq(existing.id))
            .exec(txn)
            .await?;
        existing.id
    } else {
        let street_id = room::Entity::find_by_id(session.room_id)
            .one(txn)
            .await?
            .map_or(0, |r| r.street_id);
        activity::ActiveModel {
            room_id: Set(session.room_id),
            district_id: Set(session.district_id),
            street_id: Set(street_id),
            kind: Set(ActivityKind::ReceptionDay.as_str().to_owned()),
            local_kind_id: Set(None),
            held_on: Set(session.date),
            starts_at: Set(Some(session.hours.starts_text())),
            ends_at: Set(Some(session.hours.ends_text())),
            place: Set(session.place.to_owned()),
            summary: Set(RECEPTION_DAY_SUMMARY.to_owned()),
            residents_reached: Set(None),
            status: Set(ActivityStatus::Confirmed.as_str().to_owned()),
            return_reason: Set(None),
            session_id: Set(Some(session.session_id)),
            client_key: Set(None),
            request_digest: Set(None),
            recorded_by: Set(who.label.clone()),
            recorded_by_account: Set(who.account_id),
            recorded_at: Set(now),
            confirmed_by: Set(Some(who.label.clone())),
            confirmed_at: Set(Some(now)),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?
        .id
    };
    set_members(txn, activity_id, session.member_ids).await
}

async fn set_members<C: ConnectionTrait>(
    txn: &C,
    activity_id: i64,
    member_ids: &[i64],
) -> Result<(), StoreError> {
    if member_ids.is_empty() {
        return Ok(());
    }
    let links = member_ids.iter().map(|member_id| activity_member::ActiveModel {
        activity_id: Set(activity_id),
        member_id: Set(*member_id),
    });
    activity_member::Entity::insert_many(links)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
