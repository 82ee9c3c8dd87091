//! The organisation tree: browse, search, add a community or town/street, rename with history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{division, division_name};
use crate::error::stored;
use crate::{Store, StoreError};
use domain::org::{Division, DivisionCode, DivisionLevel, GUANGZHOU_CODE, NameRecord};

/// One division with where it sits and how its name changed.
#[derive(Debug, Clone)]
pub struct DivisionDetail {
    pub division: Division,
    /// From 广州市 down to the direct parent.
    pub ancestors: Vec<Division>,
    /// Oldest first.
    pub names: Vec<NameRecord>,
}

/// A search hit with the path that tells same-named communities apart.
#[derive(Debug, Clone)]
pub struct DivisionMatch {
    pub division: Division,
    /// District and town/street above the hit (広州市 left out), top first.
    pub path: Vec<Division>,
}

/// A name change or a new division, as recorded.
#[derive(Debug, Clone)]
pub struct NameChange<'a> {
    pub name: &'a str,
    pub valid_from: NaiveDate,
    pub note: Option<&'a str>,
}

/// Why a change to the tree was refused by what is already stored.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("区划 {0} 不存在")]
    NotFound(DivisionCode),
    #[error("区划代码 {0} 已被使用")]
    CodeInUse(DivisionCode),
    #[error("{parent} 下已有名为“{name}”的区划")]
    NameInUse { parent: String, name: String },
    #[error(transparent)]
    Rename(#[from] domain::org::RenameError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for TreeError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Store(err.into())
    }
}

impl Store {
    /// The children of `parent` (without one: 广州市's districts), ordered by code; `None` when
    /// `parent` does not exist.
    pub async fn division_children(
        &self,
        parent: Option<&DivisionCode>,
    ) -> Result<Option<Vec<Division>>, StoreError> {
        let parent_code = parent.map_or(GUANGZHOU_CODE, DivisionCode::as_str);
        let Some(parent) = find_by_code(&self.read, parent_code).await? else {
            return Ok(None);
        };
        let children = division::Entity::find()
            .filter(division::Column::ParentId.eq(parent.id))
            .order_by_asc(division::Column::Code)
            .all(&self.read)
            .await?;
        Ok(Some(self.with_child_counts(children).await?))
    }

    /// One division with its ancestors and name history.
    pub async fn division(&self, code: &DivisionCode) -> Result<Option<DivisionDetail>, StoreError> {
        let Some(row) = find_by_code(&self.read, code.as_str()).await? else {
            return Ok(None);
        };
        let mut ancestor_codes = Vec::new();
        let mut next = code.parent();
        while let Some(parent) = next {
            next = parent.parent();
            ancestor_codes.push(parent.to_string());
        }
        let ancestor_rows = division::Entity::find()
            .filter(division::Column::Code.is_in(ancestor_codes))
            .order_by_asc(division::Column::Code)
            .all(&self.read)
            .await?;
        let names = division_name::Entity::find()
            .filter(division_name::Column::DivisionId.eq(row.id))
            .order_by_asc(division_name::Column::ValidFrom)
            .order_by_asc(division_name::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|name| NameRecord {
                name: name.name,
                valid_from: name.valid_from,
                valid_until: name.valid_until,
                note: name.note,
            })
            .collect();
        let mut with_counts = self.with_child_counts(vec![row]).await?;
        let division = with_counts.pop().expect("one row in, one out");
        // Codes sort top-down (shorter prefixes first) when they share a prefix.
        let mut ancestors = ancestor_rows
            .into_iter()
            .map(to_division_without_count)
            .collect::<Result<Vec<_>, _>>()?;
        ancestors.sort_by_key(|a| a.code.as_str().len());
        Ok(Some(DivisionDetail {
            division,
            ancestors,
            names,
        }))
    }

    /// Divisions whose current name contains `query` (or whose code starts with it, when it is all
    /// digits), districts and streets first, at most `limit`.
    pub async fn search_divisions(&self, query: &str, limit: u64) -> Result<Vec<DivisionMatch>, StoreError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let condition = if query.bytes().all(|b| b.is_ascii_digit()) {
            Expr::col(division::Column::Code)
                .like(LikeExpr::new(format!("{}%", escape_like(query))).escape('\\'))
        } else {
            Expr::col(division::Column::Name)
                .like(LikeExpr::new(format!("%{}%", escape_like(query))).escape('\\'))
        };
        let rows = division::Entity::find()
            .filter(condition)
            .filter(division::Column::Code.ne(GUANGZHOU_CODE))
            .order_by_asc(Expr::cust("LENGTH(code)"))
            .order_by_asc(division::Column::Code)
            .limit(limit)
            .all(&self.read)
            .await?;
        let hits = self.with_child_counts(rows).await?;
        let ancestor_codes: Vec<String> = hits
            .iter()
            .flat_map(|hit| {
                let district = hit.code.as_str().get(..6).map(str::to_owned);
                let street = (hit.code.as_str().len() == 12).then(|| hit.code.as_str()[..9].to_owned());
                district.into_iter().chain(street)
            })
            .filter(|code| code != GUANGZHOU_CODE)
            .collect();
        let ancestors: HashMap<String, Division> = division::Entity::find()
            .filter(division::Column::Code.is_in(ancestor_codes))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|row| Ok((row.code.clone(), to_division_without_count(row)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(hits
            .into_iter()
            .map(|division| {
                let code = division.code.as_str();
                let path = [6usize, 9]
                    .into_iter()
                    .filter(|len| *len < code.len())
                    .filter_map(|len| ancestors.get(&code[..len]).cloned())
                    .collect();
                DivisionMatch { division, path }
            })
            .collect())
    }

    /// Adds a town/street under a district or a community under a town/street (divisions change:
    /// a new residents' committee is set up). The caller has checked the placement rule.
    pub async fn add_division(
        &self,
        who: &Who,
        code: &DivisionCode,
        parent: &DivisionCode,
        change: &NameChange<'_>,
        now: DateTime<Utc>,
    ) -> Result<Division, TreeError> {
        let txn = self.write.begin().await?;
        let parent_row = find_by_code(&txn, parent.as_str())
            .await?
            .ok_or_else(|| TreeError::NotFound(parent.clone()))?;
        if find_by_code(&txn, code.as_str()).await?.is_some() {
            return Err(TreeError::CodeInUse(code.clone()));
        }
        ensure_name_free(&txn, &parent_row, change.name, None).await?;
        let row = division::ActiveModel {
            code: Set(code.to_string()),
            name: Set(change.name.to_owned()),
            level: Set(code.level().as_str().to_owned()),
            parent_id: Set(Some(parent_row.id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        open_name_period(&txn, row.id, change, now).await?;
        let audited = Change {
            action: "division.add",
            entity: "division",
            entity_id: code.to_string(),
            district_id: district_id_of(&txn, code).await?,
            before: None,
            after: Some(
                json!({ "name": change.name, "parent": parent.as_str(), "valid_from": change.valid_from, "note": change.note }),
            ),
        };
        audit::append(&txn, who, now, audited).await?;
        txn.commit().await?;
        Ok(Division {
            code: code.clone(),
            name: row.name,
            child_count: 0,
        })
    }

    /// Renames a division from a date: the current name's period ends that day, a new one begins.
    pub async fn rename_division(
        &self,
        who: &Who,
        code: &DivisionCode,
        change: &NameChange<'_>,
        now: DateTime<Utc>,
    ) -> Result<DivisionDetail, TreeError> {
        let txn = self.write.begin().await?;
        let row = find_by_code(&txn, code.as_str())
            .await?
            .ok_or_else(|| TreeError::NotFound(code.clone()))?;
        let current = division_name::Entity::find()
            .filter(division_name::Column::DivisionId.eq(row.id))
            .filter(division_name::Column::ValidUntil.is_null())
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::Database(format!("区划 {code} 缺少现名称记录")))?;
        domain::org::check_rename(&row.name, current.valid_from, change.name, change.valid_from)?;
        if let Some(parent_id) = row.parent_id {
            let parent_row = division::Entity::find_by_id(parent_id)
                .one(&txn)
                .await?
                .ok_or_else(|| StoreError::Database(format!("区划 {code} 的上级不存在")))?;
            ensure_name_free(&txn, &parent_row, change.name, Some(row.id)).await?;
        }
        let mut closing: division_name::ActiveModel = current.into();
        closing.valid_until = Set(Some(change.valid_from));
        closing.update(&txn).await?;
        open_name_period(&txn, row.id, change, now).await?;
        let old_name = row.name.clone();
        let mut renamed: division::ActiveModel = row.into();
        renamed.name = Set(change.name.to_owned());
        renamed.update(&txn).await?;
        let audited = Change {
            action: "division.rename",
            entity: "division",
            entity_id: code.to_string(),
            district_id: district_id_of(&txn, code).await?,
            before: Some(json!({ "name": old_name })),
            after: Some(json!({ "name": change.name, "valid_from": change.valid_from, "note": change.note })),
        };
        audit::append(&txn, who, now, audited).await?;
        txn.commit().await?;
        self.division(code)
            .await?
            .ok_or_else(|| TreeError::NotFound(code.clone()))
    }

    /// Total divisions per level, for the start-up message and the health of the tree.
    pub async fn division_counts(&self) -> Result<Vec<(DivisionLevel, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = division::Entity::find()
            .select_only()
            .column(division::Column::Level)
            .column_as(division::Column::Id.count(), "n")
            .group_by(division::Column::Level)
            .into_tuple()
            .all(&self.read)
            .await?;
        let mut counts: Vec<(DivisionLevel, u64)> = rows
            .into_iter()
            .filter_map(|(level, n)| Some((DivisionLevel::parse(&level)?, u64::try_from(n).unwrap_or(0))))
            .collect();
        counts.sort();
        Ok(counts)
    }

    async fn with_child_counts(&self, rows: Vec<division::Model>) -> Result<Vec<Division>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let counts: HashMap<i64, i64> = if ids.is_empty() {
            HashMap::new()
        } else {
            division::Entity::find()
                .select_only()
                .column(division::Column::ParentId)
                .column_as(division::Column::Id.count(), "n")
                .filter(division::Column::ParentId.is_in(ids))
                .group_by(division::Column::ParentId)
                .into_tuple::<(i64, i64)>()
                .all(&self.read)
                .await?
                .into_iter()
                .collect()
        };
        rows.into_iter()
            .map(|row| {
                let count = counts.get(&row.id).copied().unwrap_or(0);
                let mut division = to_division_without_count(row)?;
                division.child_count = u64::try_from(count).unwrap_or(0);
                Ok(division)
            })
            .collect()
    }
}

/// Starts a division's current name period (the name history's newest row).
async fn open_name_period<C: ConnectionTrait>(
    db: &C,
    division_id: i64,
    change: &NameChange<'_>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    division_name::ActiveModel {
        division_id: Set(division_id),
        name: Set(change.name.to_owned()),
        valid_from: Set(change.valid_from),
        valid_until: Set(None),
        note: Set(change.note.map(str::to_owned)),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The id of the district a division belongs to (itself, for a district).
async fn district_id_of<C: ConnectionTrait>(
    db: &C,
    code: &DivisionCode,
) -> Result<Option<i64>, sea_orm::DbErr> {
    match code.as_str().get(..6) {
        Some(district) if district != GUANGZHOU_CODE => Ok(find_by_code(db, district).await?.map(|d| d.id)),
        _ => Ok(None),
    }
}

async fn find_by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> Result<Option<division::Model>, sea_orm::DbErr> {
    division::Entity::find()
        .filter(division::Column::Code.eq(code))
        .one(db)
        .await
}

async fn ensure_name_free<C: ConnectionTrait>(
    db: &C,
    parent: &division::Model,
    name: &str,
    except_id: Option<i64>,
) -> Result<(), TreeError> {
    let mut query = division::Entity::find()
        .filter(division::Column::ParentId.eq(parent.id))
        .filter(division::Column::Name.eq(name));
    if let Some(id) = except_id {
        query = query.filter(division::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(TreeError::NameInUse {
            parent: parent.name.clone(),
            name: name.to_owned(),
        });
    }
    Ok(())
}

fn to_division_without_count(row: division::Model) -> Result<Division, StoreError> {
    // Codes were validated on the way in; a stored code that no longer parses is a corrupt row.
    let code = stored(|raw| DivisionCode::parse(raw).ok(), "divisions.code", &row.code)?;
    Ok(Division {
        code,
        name: row.name,
        child_count: 0,
    })
}

/// Escapes LIKE wildcards so a user's `%` or `_` matches itself.
fn escape_like(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
