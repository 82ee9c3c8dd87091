//! Districts' annual summaries (年度工作总结, R14): the row of each district and year, and every
//! submitted version with its frozen figures. Steps are conditional on the status they were decided
//! on, so two people cannot both move one summary.

use chrono::{DateTime, Utc};
use domain::annual::{AnnualFigures, SummaryStatus};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{annual_summary, annual_summary_version};
use crate::error::{corrupt, stored};
use crate::{Store, StoreError};

/// A district's summary of one year as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSummary {
    pub district_id: i64,
    pub year: i32,
    pub status: SummaryStatus,
    pub text: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// One submitted version, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryVersion {
    pub version: i32,
    pub text: String,
    pub figures: AnnualFigures,
    pub submitted_at: DateTime<Utc>,
    pub submitted_by: String,
}

/// What one step writes.
#[derive(Debug, Clone)]
pub struct SummaryWrite {
    pub status: SummaryStatus,
    /// The district's new text (saving a draft).
    pub text: Option<String>,
    /// Submitting: the figures to freeze into a new version.
    pub freeze: Option<AnnualFigures>,
    /// Returning: the city's reason.
    pub return_reason: Option<String>,
    /// The audit action, e.g. `annual_summary.submit`.
    pub action: &'static str,
}

fn to_summary(row: annual_summary::Model) -> Result<StoredSummary, StoreError> {
    let status = stored(
        |raw| SummaryStatus::parse(raw).filter(|s| SummaryStatus::STORED.contains(s)),
        "annual_summaries.status",
        &row.status,
    )?;
    Ok(StoredSummary {
        district_id: row.district_id,
        year: row.year,
        status,
        text: row.text,
        submitted_at: row.submitted_at,
        received_at: row.received_at,
        return_reason: row.return_reason,
        updated_at: row.updated_at,
    })
}

impl Store {
    /// The stored summaries of `year` for these districts (districts without one have no entry).
    pub async fn annual_summaries(
        &self,
        district_ids: &[i64],
        year: i32,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        annual_summary::Entity::find()
            .filter(annual_summary::Column::DistrictId.is_in(district_ids.iter().copied()))
            .filter(annual_summary::Column::Year.eq(year))
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_summary)
            .collect()
    }

    /// One district's summary of `year` with its submitted versions, oldest first.
    pub async fn annual_summary(
        &self,
        district_id: i64,
        year: i32,
    ) -> Result<Option<(StoredSummary, Vec<SummaryVersion>)>, StoreError> {
        let Some(row) = annual_summary::Entity::find()
            .filter(annual_summary::Column::DistrictId.eq(district_id))
            .filter(annual_summary::Column::Year.eq(year))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let versions = annual_summary_version::Entity::find()
            .filter(annual_summary_version::Column::SummaryId.eq(row.id))
            .order_by_asc(annual_summary_version::Column::Version)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|v| {
                Ok(SummaryVersion {
                    version: v.version,
                    figures: serde_json::from_str(&v.figures).map_err(|err| {
                        corrupt(
                            "annual_summary_versions.figures",
                            format!("version {}: {err}", v.version),
                        )
                    })?,
                    text: v.text,
                    submitted_at: v.submitted_at,
                    submitted_by: v.submitted_by,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((to_summary(row)?, versions)))
    }

    /// Writes one step if the summary is still in `expected` (no row = not started); `false` when
    /// someone moved it first. The step, a frozen version when submitting, and the audit entry go in one
    /// transaction.
    pub async fn write_annual_summary(
        &self,
        who: &Who,
        district_id: i64,
        year: i32,
        expected: SummaryStatus,
        write: &SummaryWrite,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let current = annual_summary::Entity::find()
            .filter(annual_summary::Column::DistrictId.eq(district_id))
            .filter(annual_summary::Column::Year.eq(year))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let status_now = match &current {
            None => SummaryStatus::NotStarted,
            Some(row) => to_summary(row.clone())?.status,
        };
        if status_now != expected {
            txn.rollback().await?;
            return Ok(false);
        }
        let row = match current {
            None => {
                annual_summary::ActiveModel {
                    district_id: Set(district_id),
                    year: Set(year),
                    status: Set(write.status.as_str().to_owned()),
                    text: Set(write.text.clone().unwrap_or_default()),
                    submitted_at: Set(None),
                    received_at: Set(None),
                    return_reason: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
            Some(row) => {
                let mut active: annual_summary::ActiveModel = row.into();
                active.status = Set(write.status.as_str().to_owned());
                if let Some(text) = &write.text {
                    active.text = Set(text.clone());
                }
                match write.status {
                    SummaryStatus::Submitted => {
                        active.submitted_at = Set(Some(now));
                        active.received_at = Set(None);
                    }
                    SummaryStatus::Received => active.received_at = Set(Some(now)),
                    SummaryStatus::Returned => active.return_reason = Set(write.return_reason.clone()),
                    SummaryStatus::Draft | SummaryStatus::NotStarted => {}
                }
                active.updated_at = Set(now);
                active.update(&txn).await?
            }
        };
        let mut version_no = None;
        if let Some(figures) = &write.freeze {
            let last = annual_summary_version::Entity::find()
                .filter(annual_summary_version::Column::SummaryId.eq(row.id))
                .order_by_desc(annual_summary_version::Column::Version)
                .one(&txn)
                .await?
                .map_or(0, |v| v.version);
            annual_summary_version::ActiveModel {
                summary_id: Set(row.id),
                version: Set(last + 1),
                text: Set(row.text.clone()),
                figures: Set(
                    serde_json::to_string(figures).map_err(|err| StoreError::Database(err.to_string()))?
                ),
                submitted_at: Set(now),
                submitted_by: Set(who.label.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            version_no = Some(last + 1);
        }
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: write.action,
                entity: "annual_summary",
                entity_id: format!("{district_id}/{year}"),
                district_id: Some(district_id),
                before: Some(json!({ "status": expected.as_str() })),
                after: Some(json!({
                    "status": write.status.as_str(),
                    "version": version_no,
                    "return_reason": write.return_reason,
                    "text_chars": write.text.as_ref().map(|t| t.chars().count()),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
