//! Rooms' rules (工作室制度) and districts' templates (区制度模板): documents and their versions. A
//! version is only ever added, and only on top of the version the writer read, so two people revising
//! one rule at once cannot both land.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::room_rules::{Dated, RuleText};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{rule_document, rule_version};
use crate::{Store, StoreError};

/// One version as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRuleVersion {
    pub version: i32,
    pub title: String,
    pub text: String,
    pub effective_from: NaiveDate,
    /// The template's version this one copies, if it does.
    pub from_template_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl Dated for StoredRuleVersion {
    fn version(&self) -> i32 {
        self.version
    }
    fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }
}

/// A rule document with its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    pub id: i64,
    pub district_id: i64,
    /// `None` for a district's template.
    pub room_id: Option<i64>,
    /// The template a room's rule was adopted from.
    pub template_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub versions: Vec<StoredRuleVersion>,
}

impl StoredRule {
    pub fn latest(&self) -> Option<&StoredRuleVersion> {
        self.versions.last()
    }
}

/// A new rule document and its first version.
#[derive(Debug, Clone)]
pub struct NewRule {
    pub district_id: i64,
    pub room_id: Option<i64>,
    pub template_id: Option<i64>,
    pub first: RuleText,
    /// The template's version the first version copies.
    pub from_template_version: Option<i32>,
}

/// What adding a version came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionAdded {
    Added {
        version: i32,
    },
    /// Someone added a version since the writer read `expected`.
    Stale,
}

fn version_from(row: rule_version::Model) -> StoredRuleVersion {
    StoredRuleVersion {
        version: row.version,
        title: row.title,
        text: row.text,
        effective_from: row.effective_from,
        from_template_version: row.from_template_version,
        created_at: row.created_at,
        created_by: row.created_by,
    }
}

fn entity_name(room_id: Option<i64>) -> &'static str {
    if room_id.is_some() {
        "room_rule"
    } else {
        "rule_template"
    }
}

impl Store {
    /// Documents with their versions, in the order they were made.
    async fn rules_where(&self, filter: sea_orm::Condition) -> Result<Vec<StoredRule>, StoreError> {
        let documents = rule_document::Entity::find()
            .filter(filter)
            .order_by_asc(rule_document::Column::Id)
            .all(&self.read)
            .await?;
        let ids: Vec<i64> = documents.iter().map(|d| d.id).collect();
        let mut versions: BTreeMap<i64, Vec<StoredRuleVersion>> = BTreeMap::new();
        // In chunks: a district's templates and a room's rules are few, but keep the bind list bounded.
        for chunk in ids.chunks(500) {
            for row in rule_version::Entity::find()
                .filter(rule_version::Column::DocumentId.is_in(chunk.iter().copied()))
                .order_by_asc(rule_version::Column::DocumentId)
                .order_by_asc(rule_version::Column::Version)
                .all(&self.read)
                .await?
            {
                versions
                    .entry(row.document_id)
                    .or_default()
                    .push(version_from(row));
            }
        }
        Ok(documents
            .into_iter()
            .map(|d| StoredRule {
                versions: versions.remove(&d.id).unwrap_or_default(),
                id: d.id,
                district_id: d.district_id,
                room_id: d.room_id,
                template_id: d.template_id,
                created_at: d.created_at,
            })
            .collect())
    }

    /// A room's rules.
    pub async fn room_rules(&self, room_id: i64) -> Result<Vec<StoredRule>, StoreError> {
        self.rules_where(sea_orm::Condition::all().add(rule_document::Column::RoomId.eq(room_id)))
            .await
    }

    /// The rules of several rooms at once (the public room list, a district's overview).
    pub async fn rules_of_rooms(&self, room_ids: &[i64]) -> Result<Vec<StoredRule>, StoreError> {
        let mut all = Vec::new();
        for chunk in room_ids.chunks(500) {
            all.extend(
                self.rules_where(
                    sea_orm::Condition::all().add(rule_document::Column::RoomId.is_in(chunk.iter().copied())),
                )
                .await?,
            );
        }
        Ok(all)
    }

    /// A district's templates.
    pub async fn rule_templates(&self, district_id: i64) -> Result<Vec<StoredRule>, StoreError> {
        self.rules_where(
            sea_orm::Condition::all()
                .add(rule_document::Column::DistrictId.eq(district_id))
                .add(rule_document::Column::RoomId.is_null()),
        )
        .await
    }

    /// One document, a room's rule or a template.
    pub async fn rule_document(&self, id: i64) -> Result<Option<StoredRule>, StoreError> {
        Ok(self
            .rules_where(sea_orm::Condition::all().add(rule_document::Column::Id.eq(id)))
            .await?
            .pop())
    }

    /// Writes a new document with its first version and the audit entry, in one transaction. A room
    /// adopting a template it has already adopted is a [`StoreError::Duplicate`].
    pub async fn add_rule(&self, who: &Who, rule: &NewRule, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let txn = self.write.begin().await?;
        let document = rule_document::ActiveModel {
            district_id: Set(rule.district_id),
            room_id: Set(rule.room_id),
            template_id: Set(rule.template_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        rule_version::ActiveModel {
            document_id: Set(document.id),
            version: Set(1),
            title: Set(rule.first.title.clone()),
            text: Set(rule.first.text.clone()),
            effective_from: Set(rule.first.effective_from),
            from_template_version: Set(rule.from_template_version),
            created_at: Set(now),
            created_by: Set(who.label.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: if rule.template_id.is_some() {
                    "room_rule.adopt"
                } else if rule.room_id.is_some() {
                    "room_rule.create"
                } else {
                    "rule_template.publish"
                },
                entity: entity_name(rule.room_id),
                entity_id: document.id.to_string(),
                district_id: Some(rule.district_id),
                before: None,
                after: Some(json!({
                    "room_id": rule.room_id,
                    "template_id": rule.template_id,
                    "from_template_version": rule.from_template_version,
                    "version": 1,
                    "title": rule.first.title,
                    "effective_from": rule.first.effective_from,
                    "text_chars": rule.first.text.chars().count(),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(document.id)
    }

    /// Adds a version on top of version `expected` (the latest the writer read), with the audit entry.
    pub async fn add_rule_version(
        &self,
        who: &Who,
        document_id: i64,
        expected: i32,
        version: &RuleText,
        from_template_version: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<VersionAdded, StoreError> {
        let txn = self.write.begin().await?;
        let Some(document) = rule_document::Entity::find_by_id(document_id)
            .lock_exclusive()
            .one(&txn)
            .await?
        else {
            txn.rollback().await?;
            return Err(StoreError::MissingReference(format!(
                "rule document {document_id}"
            )));
        };
        let latest = rule_version::Entity::find()
            .filter(rule_version::Column::DocumentId.eq(document_id))
            .order_by_desc(rule_version::Column::Version)
            .one(&txn)
            .await?
            .map_or(0, |v| v.version);
        if latest != expected {
            txn.rollback().await?;
            return Ok(VersionAdded::Stale);
        }
        let number = latest + 1;
        let inserted = rule_version::ActiveModel {
            document_id: Set(document_id),
            version: Set(number),
            title: Set(version.title.clone()),
            text: Set(version.text.clone()),
            effective_from: Set(version.effective_from),
            from_template_version: Set(from_template_version),
            created_at: Set(now),
            created_by: Set(who.label.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(_) => {}
            // SQLite has no row lock: a writer that raced past the check meets the unique index.
            Err(StoreError::Duplicate(_)) => {
                txn.rollback().await?;
                return Ok(VersionAdded::Stale);
            }
            Err(err) => return Err(err),
        }
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: if document.room_id.is_some() {
                    "room_rule.revise"
                } else {
                    "rule_template.revise"
                },
                entity: entity_name(document.room_id),
                entity_id: document_id.to_string(),
                district_id: Some(document.district_id),
                before: Some(json!({ "version": latest })),
                after: Some(json!({
                    "version": number,
                    "from_template_version": from_template_version,
                    "title": version.title,
                    "effective_from": version.effective_from,
                    "text_chars": version.text.chars().count(),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(VersionAdded::Added { version: number })
    }
}
