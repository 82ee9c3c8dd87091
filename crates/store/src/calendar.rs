//! The reception calendar as stored: holiday arrangements and their days, rule versions, districts' own
//! reception days and blocked dates. Each change is audited in its own transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{
    Arrangement, BlockedDate, DistrictDay, OfficialKind, RuleBook, RuleSet, WorkCalendar,
};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{
    blocked_date, district_reception_day, division, holiday_arrangement, official_day, rule_set,
};
use crate::error::stored;
use crate::{Store, StoreError};

/// Where a loaded arrangement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrangementSource {
    /// A file of data/holidays/ shipped with this release.
    Shipped,
    /// Loaded by an operator (CLI or admin page).
    Imported,
}

impl ArrangementSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shipped => "shipped",
            Self::Imported => "imported",
        }
    }
}

/// What loading an arrangement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The year had no arrangement.
    Added,
    /// The year's arrangement was different and is now replaced (an amending notice).
    Replaced,
    /// The same file was loaded before.
    Unchanged,
}

/// A loaded arrangement, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementSummary {
    pub year: i32,
    pub notice_title: String,
    pub notice_number: Option<String>,
    pub notice_date: Option<NaiveDate>,
    pub source: String,
    pub loaded_at: DateTime<Utc>,
    pub holidays: usize,
    pub workdays: usize,
}

/// A rule version as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRuleSet {
    pub id: i64,
    pub rules: RuleSet,
    pub created_at: DateTime<Utc>,
}

/// A district's reception day as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDistrictDay {
    pub id: i64,
    pub district_id: i64,
    pub day: DistrictDay,
}

/// A blocked date as stored; `district_id` is empty for the whole city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlockedDate {
    pub id: i64,
    pub district_id: Option<i64>,
    pub blocked: BlockedDate,
}

/// A district as the calendar names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl Store {
    /// A district by its current name ("越秀区", or "越秀") or its 6-digit code.
    pub async fn district_named(&self, name_or_code: &str) -> Result<Option<DistrictRef>, StoreError> {
        let wanted = name_or_code.trim();
        if wanted.is_empty() {
            return Ok(None);
        }
        let with_suffix = format!("{wanted}区");
        Ok(division::Entity::find()
            .filter(division::Column::Level.eq("district"))
            .filter(
                Condition::any()
                    .add(division::Column::Name.eq(wanted))
                    .add(division::Column::Name.eq(with_suffix))
                    .add(division::Column::Code.eq(wanted)),
            )
            .one(&self.read)
            .await?
            .map(district_ref))
    }

    /// Guangzhou's districts, by code.
    pub async fn districts(&self) -> Result<Vec<DistrictRef>, StoreError> {
        Ok(division::Entity::find()
            .filter(division::Column::Level.eq("district"))
            .order_by_asc(division::Column::Code)
            .all(&self.read)
            .await?
            .into_iter()
            .map(district_ref)
            .collect())
    }

    /// A district by id.
    pub async fn district_by_id(&self, id: i64) -> Result<Option<DistrictRef>, StoreError> {
        Ok(division::Entity::find_by_id(id)
            .filter(division::Column::Level.eq("district"))
            .one(&self.read)
            .await?
            .map(district_ref))
    }

    /// Loads one year's arrangement, replacing a different one for that year; the same file twice changes
    /// nothing.
    pub async fn load_arrangement(
        &self,
        who: &Who,
        arrangement: &Arrangement,
        content: &str,
        source: ArrangementSource,
        now: DateTime<Utc>,
    ) -> Result<LoadOutcome, StoreError> {
        let txn = self.write.begin().await?;
        let existing = holiday_arrangement::Entity::find_by_id(arrangement.year)
            .one(&txn)
            .await?;
        let outcome = match &existing {
            Some(row) if row.content == content => return Ok(LoadOutcome::Unchanged),
            Some(_) => LoadOutcome::Replaced,
            None => LoadOutcome::Added,
        };
        if existing.is_some() {
            official_day::Entity::delete_many()
                .filter(official_day::Column::Year.eq(arrangement.year))
                .exec(&txn)
                .await?;
            holiday_arrangement::Entity::delete_by_id(arrangement.year)
                .exec(&txn)
                .await?;
        }
        holiday_arrangement::ActiveModel {
            year: Set(arrangement.year),
            notice_title: Set(arrangement.notice_title.clone()),
            notice_number: Set(arrangement.notice_number.clone()),
            notice_date: Set(arrangement.notice_date),
            source: Set(source.as_str().to_owned()),
            content: Set(content.to_owned()),
            loaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let days: Vec<official_day::ActiveModel> = arrangement
            .days()
            .into_iter()
            .map(|(date, kind, festival)| official_day::ActiveModel {
                year: Set(arrangement.year),
                date: Set(date),
                kind: Set(kind.as_str().to_owned()),
                festival: Set(festival.to_owned()),
            })
            .collect();
        let (holidays, workdays) = count_kinds(&arrangement.days());
        if !days.is_empty() {
            official_day::Entity::insert_many(days)
                .exec_without_returning(&txn)
                .await?;
        }
        let change = Change {
            action: if outcome == LoadOutcome::Added {
                "calendar.arrangement.load"
            } else {
                "calendar.arrangement.replace"
            },
            entity: "holiday_arrangement",
            entity_id: arrangement.year.to_string(),
            district_id: None,
            before: existing.map(|row| json!({ "notice_title": row.notice_title, "source": row.source })),
            after: Some(json!({
                "notice_title": arrangement.notice_title,
                "source": source.as_str(),
                "holidays": holidays,
                "workdays": workdays,
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(outcome)
    }

    /// Every loaded arrangement, newest year first.
    pub async fn arrangements(&self) -> Result<Vec<ArrangementSummary>, StoreError> {
        let rows = holiday_arrangement::Entity::find()
            .order_by_desc(holiday_arrangement::Column::Year)
            .all(&self.read)
            .await?;
        let days = official_day::Entity::find().all(&self.read).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let of_year = days.iter().filter(|d| d.year == row.year);
                let holidays = of_year.clone().filter(|d| d.kind == "holiday").count();
                let workdays = of_year.filter(|d| d.kind == "workday").count();
                ArrangementSummary {
                    year: row.year,
                    notice_title: row.notice_title,
                    notice_number: row.notice_number,
                    notice_date: row.notice_date,
                    source: row.source,
                    loaded_at: row.loaded_at,
                    holidays,
                    workdays,
                }
            })
            .collect())
    }

    /// The working-day calendar around `years`: the arrangements of those years and of the next one (whose
    /// New Year period may start in December).
    pub async fn work_calendar(
        &self,
        years: std::ops::RangeInclusive<i32>,
    ) -> Result<WorkCalendar, StoreError> {
        let wanted = *years.start()..=years.end().saturating_add(1);
        let mut calendar = WorkCalendar::new();
        let loaded = holiday_arrangement::Entity::find()
            .filter(holiday_arrangement::Column::Year.between(*wanted.start(), *wanted.end()))
            .all(&self.read)
            .await?;
        for row in &loaded {
            calendar.mark_year_official(row.year);
        }
        let days = official_day::Entity::find()
            .filter(official_day::Column::Year.between(*wanted.start(), *wanted.end()))
            .order_by_asc(official_day::Column::Year)
            .all(&self.read)
            .await?;
        for day in days {
            let kind = stored(OfficialKind::parse, "official_days.kind", &day.kind)?;
            calendar.mark(day.year, day.date, kind, &day.festival);
        }
        Ok(calendar)
    }

    /// Every version of the rules, oldest first.
    pub async fn rule_sets(&self) -> Result<Vec<StoredRuleSet>, StoreError> {
        let rows = rule_set::Entity::find()
            .order_by_asc(rule_set::Column::EffectiveFrom)
            .all(&self.read)
            .await?;
        rows.into_iter()
            .map(|row| {
                let mut rules: RuleSet = serde_json::from_str(&row.rules)
                    .map_err(|err| StoreError::Database(format!("rule set {}: {err}", row.id)))?;
                rules.effective_from = row.effective_from;
                Ok(StoredRuleSet {
                    id: row.id,
                    rules,
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    pub async fn rule_book(&self) -> Result<RuleBook, StoreError> {
        Ok(RuleBook::new(
            self.rule_sets().await?.into_iter().map(|s| s.rules).collect(),
        ))
    }

    /// Adds a version of the rules; a second version from the same date is a duplicate.
    pub async fn add_rule_set(
        &self,
        who: &Who,
        rules: &RuleSet,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let body = serde_json::to_string(rules).map_err(|err| StoreError::Database(err.to_string()))?;
        let txn = self.write.begin().await?;
        let row = rule_set::ActiveModel {
            effective_from: Set(rules.effective_from),
            rules: Set(body),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "rules.version.add",
            entity: "rule_set",
            entity_id: row.id.to_string(),
            district_id: None,
            before: None,
            after: Some(serde_json::to_value(rules).unwrap_or_default()),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// A district's own reception days, oldest first.
    pub async fn district_days(&self, district_id: i64) -> Result<Vec<StoredDistrictDay>, StoreError> {
        Ok(district_reception_day::Entity::find()
            .filter(district_reception_day::Column::DistrictId.eq(district_id))
            .order_by_asc(district_reception_day::Column::EffectiveFrom)
            .all(&self.read)
            .await?
            .into_iter()
            .map(stored_district_day)
            .collect())
    }

    /// Every district's own reception days, for computing many rooms at once.
    pub async fn all_district_days(&self) -> Result<Vec<StoredDistrictDay>, StoreError> {
        Ok(district_reception_day::Entity::find()
            .order_by_asc(district_reception_day::Column::EffectiveFrom)
            .all(&self.read)
            .await?
            .into_iter()
            .map(stored_district_day)
            .collect())
    }

    pub async fn add_district_day(
        &self,
        who: &Who,
        district_id: i64,
        day: &DistrictDay,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let txn = self.write.begin().await?;
        let row = district_reception_day::ActiveModel {
            district_id: Set(district_id),
            day_of_month: Set(i32::try_from(day.day_of_month).unwrap_or(15)),
            effective_from: Set(day.effective_from),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "calendar.district_day.add",
            entity: "district_reception_day",
            entity_id: row.id.to_string(),
            district_id: Some(district_id),
            before: None,
            after: Some(json!({
                "day_of_month": day.day_of_month,
                "effective_from": day.effective_from.to_string(),
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// Blocked dates in `year` that apply to `district_id` (the city's and that district's); without a
    /// district, the city's only. `all_districts` lists every district's too, for the city office.
    pub async fn blocked_dates(
        &self,
        district_id: Option<i64>,
        all_districts: bool,
        year: i32,
    ) -> Result<Vec<StoredBlockedDate>, StoreError> {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            // A December day may move into January.
            NaiveDate::from_ymd_opt(year + 1, 1, 31),
        ) else {
            return Ok(Vec::new());
        };
        let mut scope = Condition::any().add(blocked_date::Column::DistrictId.is_null());
        if all_districts {
            scope = scope.add(blocked_date::Column::DistrictId.is_not_null());
        } else if let Some(id) = district_id {
            scope = scope.add(blocked_date::Column::DistrictId.eq(id));
        }
        Ok(blocked_date::Entity::find()
            .filter(blocked_date::Column::Date.between(first, last))
            .filter(scope)
            .order_by_asc(blocked_date::Column::Date)
            .order_by_asc(blocked_date::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(stored_blocked)
            .collect())
    }

    pub async fn blocked_date(&self, id: i64) -> Result<Option<StoredBlockedDate>, StoreError> {
        Ok(blocked_date::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .map(stored_blocked))
    }

    pub async fn add_blocked_date(
        &self,
        who: &Who,
        district_id: Option<i64>,
        blocked: &BlockedDate,
        now: DateTime<Utc>,
    ) -> Result<StoredBlockedDate, StoreError> {
        let txn = self.write.begin().await?;
        let row = blocked_date::ActiveModel {
            date: Set(blocked.date),
            district_id: Set(district_id),
            event: Set(blocked.event.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "calendar.blocked_date.add",
            entity: "blocked_date",
            entity_id: row.id.to_string(),
            district_id,
            before: None,
            after: Some(json!({ "date": blocked.date.to_string(), "event": blocked.event })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(stored_blocked(row))
    }

    pub async fn remove_blocked_date(
        &self,
        who: &Who,
        blocked: &StoredBlockedDate,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        blocked_date::Entity::delete_by_id(blocked.id).exec(&txn).await?;
        let change = Change {
            action: "calendar.blocked_date.remove",
            entity: "blocked_date",
            entity_id: blocked.id.to_string(),
            district_id: blocked.district_id,
            before: Some(json!({
                "date": blocked.blocked.date.to_string(),
                "event": blocked.blocked.event,
            })),
            after: None,
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }
}

#[allow(clippy::needless_pass_by_value)] // used as `.map(stored_district_day)` over owned rows
fn stored_district_day(row: district_reception_day::Model) -> StoredDistrictDay {
    StoredDistrictDay {
        id: row.id,
        district_id: row.district_id,
        day: DistrictDay {
            effective_from: row.effective_from,
            day_of_month: u32::try_from(row.day_of_month).unwrap_or(15),
        },
    }
}

fn district_ref(row: division::Model) -> DistrictRef {
    DistrictRef {
        id: row.id,
        code: row.code,
        name: row.name,
    }
}

fn stored_blocked(row: blocked_date::Model) -> StoredBlockedDate {
    StoredBlockedDate {
        id: row.id,
        district_id: row.district_id,
        blocked: BlockedDate {
            date: row.date,
            event: row.event,
        },
    }
}

fn count_kinds(days: &[(NaiveDate, OfficialKind, &str)]) -> (usize, usize) {
    let holidays = days.iter().filter(|d| d.1 == OfficialKind::Holiday).count();
    (holidays, days.len() - holidays)
}
