//! Storing an imported member roster (委员名册): all rows in one transaction or none, members matched
//! by name + level + district + mobile so that importing the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::member::MemberLevel;
use domain::roster::{MemberKey, RosterMember};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{division, member, room, room_member};
use crate::error::stored;
use crate::{Store, StoreError};

/// Rows per INSERT.
const BATCH: usize = 500;

/// What a roster may refer to, by name.
#[derive(Debug, Clone, Default)]
pub struct RosterTargets {
    /// District name (e.g. 越秀区) → id.
    pub districts: HashMap<String, i64>,
    /// Room name → (id, district id). Where two rooms share a name, the first is kept.
    pub rooms: HashMap<String, (i64, i64)>,
}

/// One roster file to apply.
#[derive(Clone, Copy)]
pub struct RosterImport<'a> {
    /// Every row, already checked.
    pub members: &'a [RosterMember],
    pub targets: &'a RosterTargets,
    /// SHA-256 of the file, for the audit entry.
    pub file_digest: &'a str,
    /// Roll everything back at the end and only report.
    pub dry_run: bool,
}

/// How an import went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RosterCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// New member–room assignments.
    pub assigned: usize,
}

/// A stored member as the roster sees it.
#[derive(Debug, Clone)]
struct Existing {
    id: i64,
    sector: Option<String>,
    resides_hk_macao: bool,
    employer: Option<String>,
    position: Option<String>,
    term: Option<String>,
}

impl Store {
    pub async fn roster_targets(&self) -> Result<RosterTargets, StoreError> {
        let districts = division::Entity::find()
            .filter(division::Column::Level.eq("district"))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| (d.name, d.id))
            .collect();
        let mut rooms = HashMap::new();
        for row in room::Entity::find().all(&self.read).await? {
            rooms.entry(row.name).or_insert((row.id, row.district_id));
        }
        Ok(RosterTargets { districts, rooms })
    }

    /// Applies the roster: creates new members, updates changed ones, assigns rooms, and records one
    /// audit entry for the whole file, all in one transaction. `progress` is called after each batch.
    pub async fn apply_roster(
        &self,
        who: &Who,
        import: &RosterImport<'_>,
        now: DateTime<Utc>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<RosterCounts, StoreError> {
        let RosterImport {
            members,
            targets,
            file_digest,
            dry_run,
        } = *import;
        let txn = self.write.begin().await?;
        let district_names: HashMap<i64, String> =
            targets.districts.iter().map(|(n, id)| (*id, n.clone())).collect();
        let mut existing: HashMap<MemberKey, Existing> = HashMap::new();
        for row in member::Entity::find().all(&txn).await? {
            let level = stored(MemberLevel::parse, "members.level", &row.level)?;
            let key = MemberKey {
                name: row.name.clone(),
                level,
                district: row.district_id.and_then(|id| district_names.get(&id).cloned()),
                mobile: row.mobile.clone(),
            };
            existing.insert(
                key,
                Existing {
                    id: row.id,
                    sector: row.sector,
                    resides_hk_macao: row.resides_hk_macao,
                    employer: row.employer,
                    position: row.position,
                    term: row.term,
                },
            );
        }
        let assigned_before: HashSet<(i64, i64)> = room_member::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|rm| (rm.room_id, rm.member_id))
            .collect();

        let mut counts = RosterCounts::default();
        let mut ids_by_row: HashMap<usize, i64> = HashMap::new();
        let mut to_create = Vec::new();
        let mut updated_ids = Vec::new();
        for member in members {
            match existing.get(&member.key()) {
                None => to_create.push(member),
                Some(found) => {
                    ids_by_row.insert(member.row, found.id);
                    // An empty term in the file keeps the one on record.
                    let term = member.term.clone().or_else(|| found.term.clone());
                    let same = found.sector == member.sector
                        && found.term == term
                        && found.resides_hk_macao == member.resides_in_hk_macao
                        && found.employer == member.employer
                        && found.position == member.position;
                    if same {
                        counts.unchanged += 1;
                    } else {
                        counts.updated += 1;
                        updated_ids.push(found.id);
                        member::ActiveModel {
                            id: Set(found.id),
                            sector: Set(member.sector.clone()),
                            resides_hk_macao: Set(member.resides_in_hk_macao),
                            employer: Set(member.employer.clone()),
                            position: Set(member.position.clone()),
                            term: Set(term),
                            updated_at: Set(Some(now)),
                            ..Default::default()
                        }
                        .update(&txn)
                        .await?;
                    }
                }
            }
        }
        let mut done = counts.unchanged + counts.updated;
        progress(done);
        for chunk in to_create.chunks(BATCH) {
            let models = chunk.iter().map(|m| member::ActiveModel {
                name: Set(m.name.clone()),
                level: Set(m.level.as_str().to_owned()),
                district_id: Set(m
                    .district
                    .as_ref()
                    .and_then(|d| targets.districts.get(d).copied())),
                sector: Set(m.sector.clone()),
                created_at: Set(now),
                employer: Set(m.employer.clone()),
                position: Set(m.position.clone()),
                term: Set(m.term.clone()),
                mobile: Set(m.mobile.as_ref().map(|n| n.as_str().to_owned())),
                resides_hk_macao: Set(m.resides_in_hk_macao),
                status: Set("serving".to_owned()),
                ceased_on: Set(None),
                updated_at: Set(None),
                ..Default::default()
            });
            let ids = member::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?;
            for (m, id) in chunk.iter().zip(ids) {
                ids_by_row.insert(m.row, id);
            }
            counts.created += chunk.len();
            done += chunk.len();
            progress(done);
        }
        let mut assignments = HashSet::new();
        for m in members {
            let room = m.room.as_ref().and_then(|name| targets.rooms.get(name));
            if let (Some((room_id, _)), Some(member_id)) = (room, ids_by_row.get(&m.row)) {
                let pair = (*room_id, *member_id);
                if !assigned_before.contains(&pair) {
                    assignments.insert(pair);
                }
            }
        }
        let pairs: Vec<(i64, i64)> = assignments.into_iter().collect();
        for chunk in pairs.chunks(BATCH) {
            let models = chunk.iter().map(|(room_id, member_id)| room_member::ActiveModel {
                room_id: Set(*room_id),
                member_id: Set(*member_id),
            });
            room_member::Entity::insert_many(models)
                .exec_without_returning(&txn)
                .await?;
        }
        counts.assigned = pairs.len();
        if counts.created + counts.updated + counts.assigned > 0 {
            let change = Change {
                action: "member.import",
                entity: "roster",
                entity_id: file_digest.chars().take(16).collect(),
                district_id: None,
                before: None,
                after: Some(json!({
                    "file_sha256": file_digest,
                    "rows": members.len(),
                    "created": counts.created,
                    "updated": counts.updated,
                    "updated_ids": updated_ids,
                    "assigned": counts.assigned,
                })),
            };
            audit::append(&txn, who, now, change).await?;
        }
        if dry_run {
            txn.rollback().await?;
        } else {
            txn.commit().await?;
        }
        Ok(counts)
    }
}
