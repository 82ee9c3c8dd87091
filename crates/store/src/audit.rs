//! The append-only, tamper-evident audit trail (审计日志). Every change is recorded in the same
//! transaction as the change; each entry stores the hash of the previous one, so editing or deleting
//! any entry breaks the chain, which [`Store::verify_audit_chain`] finds.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entity::{audit_head, audit_log};
use crate::{Store, StoreError};

/// The "previous hash" of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change, as the trail records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub account_id: Option<i64>,
    /// The username, or what ran the change (`cli`, `migration`, `demo`).
    pub label: String,
}

impl Who {
    pub fn account(account_id: i64, username: &str) -> Self {
        Self {
            account_id: Some(account_id),
            label: username.to_owned(),
        }
    }

    pub fn system(label: &str) -> Self {
        Self {
            account_id: None,
            label: label.to_owned(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    /// What was done, e.g. `account.create`, `division.rename`.
    pub action: &'static str,
    /// The kind of record changed, e.g. `account`.
    pub entity: &'static str,
    pub entity_id: String,
    /// The district the record belongs to, when it belongs to one.
    pub district_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An entry as read back.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_account_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub district_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    /// The first entry that does not match, and why.
    pub broken: Option<(i64, String)>,
}

/// The fields an entry's hash covers, in a fixed order.
#[derive(Serialize)]
struct Hashed<'a> {
    prev: &'a str,
    at: String,
    actor_account_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    district_id: Option<i64>,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

fn entry_hash(row: &Hashed<'_>) -> String {
    let canonical = serde_json::to_string(row).expect("plain fields serialise");
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Appends one entry inside the caller's transaction.
pub async fn append<C: ConnectionTrait>(
    db: &C,
    who: &Who,
    at: DateTime<Utc>,
    change: Change,
) -> Result<(), DbErr> {
    // Both databases keep microseconds; truncating first makes the hashed time the stored time.
    let at = at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at);
    // Touching the head row first takes its lock on PostgreSQL, so concurrent appends queue up and
    // the chain never forks (SQLite has a single writer already).
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastId, Expr::col(audit_head::Column::LastId))
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("audit_head row missing".into()))?;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let hash = entry_hash(&Hashed {
        prev: &head.last_hash,
        at: timestamp(at),
        actor_account_id: who.account_id,
        actor: &who.label,
        action: change.action,
        entity: change.entity,
        entity_id: &change.entity_id,
        district_id: change.district_id,
        before: before.as_deref(),
        after: after.as_deref(),
    });
    let inserted = audit_log::ActiveModel {
        at: Set(at),
        actor_account_id: Set(who.account_id),
        actor: Set(who.label.clone()),
        action: Set(change.action.to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        district_id: Set(change.district_id),
        before: Set(before),
        after: Set(after),
        prev_hash: Set(head.last_hash.clone()),
        hash: Set(hash.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastId, Expr::value(inserted.id))
        .col_expr(audit_head::Column::LastHash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(())
}

/// Filters for reading the trail.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub actor: Option<String>,
    /// Entries with an id below this (for paging back in time).
    pub before_id: Option<i64>,
    pub limit: u64,
}

impl Store {
    /// Entries newest first.
    pub async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let mut select = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
        if let Some(entity) = &query.entity {
            select = select.filter(audit_log::Column::Entity.eq(entity.clone()));
        }
        if let Some(actor) = &query.actor {
            select = select.filter(audit_log::Column::Actor.eq(actor.clone()));
        }
        if let Some(before_id) = query.before_id {
            select = select.filter(audit_log::Column::Id.lt(before_id));
        }
        let rows = select.limit(query.limit.clamp(1, 500)).all(&self.read).await?;
        Ok(rows.into_iter().map(to_entry).collect())
    }

    /// Walks the whole chain and reports the first entry whose hash or link does not match.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        const PAGE: u64 = 1000;
        let mut expected_prev = GENESIS_HASH.to_owned();
        let mut last_id = 0i64;
        let mut entries = 0u64;
        loop {
            let rows = audit_log::Entity::find()
                .filter(audit_log::Column::Id.gt(last_id))
                .order_by_asc(audit_log::Column::Id)
                .limit(PAGE)
                .all(&self.read)
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                entries += 1;
                if row.prev_hash != expected_prev {
                    return Ok(ChainReport {
                        entries,
                        broken: Some((row.id, "与前一条记录的链接不符（前一条被改动或删除）".into())),
                    });
                }
                let recomputed = entry_hash(&Hashed {
                    prev: &row.prev_hash,
                    at: timestamp(row.at),
                    actor_account_id: row.actor_account_id,
                    actor: &row.actor,
                    action: &row.action,
                    entity: &row.entity,
                    entity_id: &row.entity_id,
                    district_id: row.district_id,
                    before: row.before.as_deref(),
                    after: row.after.as_deref(),
                });
                if recomputed != row.hash {
                    return Ok(ChainReport {
                        entries,
                        broken: Some((row.id, "内容与其哈希不符（记录被改动）".into())),
                    });
                }
                expected_prev.clone_from(&row.hash);
                last_id = row.id;
            }
        }
        let head = audit_head::Entity::find_by_id(1)
            .one(&self.read)
            .await?
            .ok_or_else(|| StoreError::Database("audit_head row missing".into()))?;
        if head.last_hash != expected_prev || head.last_id != last_id {
            return Ok(ChainReport {
                entries,
                broken: Some((head.last_id, "链尾与最后一条记录不符（末尾记录被删除）".into())),
            });
        }
        Ok(ChainReport {
            entries,
            broken: None,
        })
    }

    pub async fn audit_count(&self) -> Result<u64, StoreError> {
        Ok(audit_log::Entity::find().count(&self.read).await?)
    }
}

fn to_entry(row: audit_log::Model) -> AuditEntry {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    AuditEntry {
        id: row.id,
        at: row.at,
        actor_account_id: row.actor_account_id,
        actor: row.actor,
        action: row.action,
        entity: row.entity,
        entity_id: row.entity_id,
        district_id: row.district_id,
        before: parse(row.before),
        after: parse(row.after),
        hash: row.hash,
    }
}
