//! Inspections (督查检查, R15) and rectification tasks (整改任务): an inspection is written with its
//! tasks in one transaction; a task's step is written only if the task is still in the status it was
//! decided on, with the step row and the audit entry, so two people cannot both move one task.

use chrono::{DateTime, NaiveDate, Utc};
use domain::authz::Scope;
use domain::inspection::{CheckResult, Finding, Owner, TaskStatus, TaskStep};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{
    inspection, inspection_plan, rectification_photo, rectification_step, rectification_task,
};
use crate::error::{corrupt, stored};
use crate::scope::{PlaceColumns, place_condition};
use crate::{Recorded, Store, StoreError};

/// An inspection to record: the room and where it sits, the day, the checklist, and the findings.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub inspected_on: NaiveDate,
    pub inspector_name: String,
    pub checklist: Vec<CheckResult>,
    pub remarks: String,
    pub findings: Vec<Finding>,
    /// The client's idempotency key and a digest of what it sent with it.
    pub client_key: Option<(String, String)>,
}

/// One step on a task as decided: from `expected` to `next`, with its text.
#[derive(Debug, Clone, Copy)]
pub struct TaskChange<'a> {
    pub task_id: i64,
    pub expected: TaskStatus,
    pub step: TaskStep,
    pub next: TaskStatus,
    pub text: &'a str,
}

/// An inspection as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionRecord {
    pub id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub inspected_on: NaiveDate,
    pub inspector_name: String,
    pub checklist: Vec<CheckResult>,
    pub remarks: String,
    pub created_at: DateTime<Utc>,
}

/// A rectification task as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    pub id: i64,
    pub inspection_id: i64,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub finding: String,
    pub owner: Owner,
    pub due_date: NaiveDate,
    pub status: TaskStatus,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// One step taken on a task, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStepRecord {
    pub task_id: i64,
    pub step: TaskStep,
    pub text: String,
    pub actor_name: String,
    pub at: DateTime<Utc>,
}

fn to_inspection(row: inspection::Model) -> Result<InspectionRecord, StoreError> {
    let checklist: Vec<CheckResult> = serde_json::from_str(&row.checklist)
        .map_err(|err| corrupt("inspections.checklist", format!("inspection {}: {err}", row.id)))?;
    Ok(InspectionRecord {
        id: row.id,
        room_id: row.room_id,
        district_id: row.district_id,
        street_id: row.street_id,
        inspected_on: row.inspected_on,
        inspector_name: row.inspector_name,
        checklist,
        remarks: row.remarks,
        created_at: row.created_at,
    })
}

fn to_task(row: rectification_task::Model) -> Result<TaskRecord, StoreError> {
    Ok(TaskRecord {
        owner: stored(Owner::parse, "rectification_tasks.owner", &row.owner)?,
        status: stored(TaskStatus::parse, "rectification_tasks.status", &row.status)?,
        id: row.id,
        inspection_id: row.inspection_id,
        room_id: row.room_id,
        district_id: row.district_id,
        street_id: row.street_id,
        finding: row.finding,
        due_date: row.due_date,
        created_at: row.created_at,
        closed_at: row.closed_at,
    })
}

fn inspection_place() -> PlaceColumns<inspection::Column> {
    PlaceColumns {
        district: Some(inspection::Column::DistrictId),
        street: Some(inspection::Column::StreetId),
        room: Some(inspection::Column::RoomId),
    }
}

fn task_place() -> PlaceColumns<rectification_task::Column> {
    PlaceColumns {
        district: Some(rectification_task::Column::DistrictId),
        street: Some(rectification_task::Column::StreetId),
        room: Some(rectification_task::Column::RoomId),
    }
}

impl Store {
    /// Records an inspection and one open task per finding; returns the inspection's id.
    pub async fn create_inspection(
        &self,
        who: &Who,
        new: &NewInspection,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let txn = self.write.begin().await?;
        if let Some((key, digest)) = &new.client_key {
            let earlier = inspection::Entity::find()
                .filter(inspection::Column::ClientKey.eq(key.as_str()))
                .filter(match who.account_id {
                    Some(id) => inspection::Column::InspectorAccountId.eq(id),
                    None => inspection::Column::InspectorAccountId.is_null(),
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
        let checklist =
            serde_json::to_string(&new.checklist).map_err(|err| StoreError::Database(err.to_string()))?;
        let row = inspection::ActiveModel {
            room_id: Set(new.room_id),
            district_id: Set(new.district_id),
            street_id: Set(new.street_id),
            inspected_on: Set(new.inspected_on),
            inspector_account_id: Set(who.account_id),
            inspector_name: Set(new.inspector_name.clone()),
            checklist: Set(checklist),
            remarks: Set(new.remarks.clone()),
            created_at: Set(now),
            client_key: Set(new.client_key.as_ref().map(|(k, _)| k.clone())),
            request_digest: Set(new.client_key.as_ref().map(|(_, d)| d.clone())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for finding in &new.findings {
            rectification_task::ActiveModel {
                inspection_id: Set(row.id),
                room_id: Set(new.room_id),
                district_id: Set(new.district_id),
                street_id: Set(new.street_id),
                finding: Set(finding.text.clone()),
                owner: Set(finding.owner.as_str().to_owned()),
                due_date: Set(finding.due_date),
                status: Set(TaskStatus::Open.as_str().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                closed_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: "inspection.record",
                entity: "inspection",
                entity_id: row.id.to_string(),
                district_id: Some(new.district_id),
                before: None,
                after: Some(json!({
                    "room_id": new.room_id,
                    "inspected_on": new.inspected_on,
                    "failed_items": new.checklist.iter().filter(|c| !c.passed).map(|c| c.item.as_str()).collect::<Vec<_>>(),
                    "findings": new.findings.len(),
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Recorded::Created(row.id))
    }

    /// The inspections in `scope` dated within `from..=to`, newest first.
    pub async fn inspections_in_scope(
        &self,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<InspectionRecord>, StoreError> {
        inspection::Entity::find()
            .filter(place_condition(scope, &inspection_place()))
            .filter(inspection::Column::InspectedOn.between(from, to))
            .order_by_desc(inspection::Column::InspectedOn)
            .order_by_desc(inspection::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_inspection)
            .collect()
    }

    pub async fn inspection(&self, id: i64) -> Result<Option<InspectionRecord>, StoreError> {
        inspection::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .map(to_inspection)
            .transpose()
    }

    /// The tasks in `scope`, optionally only those in `statuses` or of one inspection, the earliest due
    /// first.
    pub async fn rectification_tasks(
        &self,
        scope: &Scope,
        statuses: Option<&[TaskStatus]>,
        inspection_id: Option<i64>,
    ) -> Result<Vec<TaskRecord>, StoreError> {
        let mut query = rectification_task::Entity::find().filter(place_condition(scope, &task_place()));
        if let Some(statuses) = statuses {
            query = query.filter(
                rectification_task::Column::Status.is_in(statuses.iter().map(|s| s.as_str().to_owned())),
            );
        }
        if let Some(id) = inspection_id {
            query = query.filter(rectification_task::Column::InspectionId.eq(id));
        }
        query
            .order_by_asc(rectification_task::Column::DueDate)
            .order_by_asc(rectification_task::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_task)
            .collect()
    }

    pub async fn rectification_task(&self, id: i64) -> Result<Option<TaskRecord>, StoreError> {
        rectification_task::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .map(to_task)
            .transpose()
    }

    /// Every step of these tasks, oldest first.
    pub async fn rectification_steps(&self, task_ids: &[i64]) -> Result<Vec<TaskStepRecord>, StoreError> {
        rectification_step::Entity::find()
            .filter(rectification_step::Column::TaskId.is_in(task_ids.iter().copied()))
            .order_by_asc(rectification_step::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|row| {
                Ok(TaskStepRecord {
                    task_id: row.task_id,
                    step: stored(TaskStep::parse, "rectification_steps.step", &row.step)?,
                    text: row.text,
                    actor_name: row.actor_name,
                    at: row.at,
                })
            })
            .collect()
    }

    /// Takes one step on a task if it is still in `expected`; `false` when someone moved it first.
    pub async fn take_rectification_step(
        &self,
        who: &Who,
        change: &TaskChange<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let TaskChange {
            task_id,
            expected,
            step,
            next,
            text,
        } = *change;
        let txn = self.write.begin().await?;
        let mut update = rectification_task::Entity::update_many()
            .col_expr(
                rectification_task::Column::Status,
                sea_orm::sea_query::Expr::value(next.as_str()),
            )
            .col_expr(
                rectification_task::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            );
        if next == TaskStatus::Closed {
            update = update.col_expr(
                rectification_task::Column::ClosedAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            );
        }
        let moved = update
            .filter(rectification_task::Column::Id.eq(task_id))
            .filter(rectification_task::Column::Status.eq(expected.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        let task = rectification_task::Entity::find_by_id(task_id)
            .one(&txn)
            .await?
            .ok_or_else(|| corrupt("rectification_tasks.id", task_id.to_string()))?;
        rectification_step::ActiveModel {
            task_id: Set(task_id),
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
                action: match step {
                    TaskStep::Report => "rectification.report",
                    TaskStep::Accept => "rectification.accept",
                    TaskStep::Return => "rectification.return",
                },
                entity: "rectification_task",
                entity_id: task_id.to_string(),
                district_id: Some(task.district_id),
                before: Some(json!({ "status": expected.as_str() })),
                after: Some(json!({ "status": next.as_str(), "text_chars": text.chars().count() })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The display name of an account (the inspector's name on the record).
    pub async fn display_name_of(&self, who: &Who) -> Result<String, StoreError> {
        crate::accounts::display_name(&self.read, who).await
    }
}

/// A line of the year's inspection plan (年度检查计划).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub room_id: i64,
    pub district_id: i64,
    pub year: i32,
    pub planned_on: NaiveDate,
    pub inspectors: String,
    pub planned_by: String,
    pub updated_at: DateTime<Utc>,
}

fn plan_place() -> PlaceColumns<inspection_plan::Column> {
    PlaceColumns {
        district: Some(inspection_plan::Column::DistrictId),
        street: Some(inspection_plan::Column::StreetId),
        room: Some(inspection_plan::Column::RoomId),
    }
}

impl Store {
    /// The plan of `year` for the rooms of `scope`.
    pub async fn inspection_plans(&self, scope: &Scope, year: i32) -> Result<Vec<PlanRecord>, StoreError> {
        Ok(inspection_plan::Entity::find()
            .filter(place_condition(scope, &plan_place()))
            .filter(inspection_plan::Column::Year.eq(year))
            .order_by_asc(inspection_plan::Column::PlannedOn)
            .order_by_asc(inspection_plan::Column::RoomId)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|row| PlanRecord {
                room_id: row.room_id,
                district_id: row.district_id,
                year: row.year,
                planned_on: row.planned_on,
                inspectors: row.inspectors,
                planned_by: row.planned_by_name,
                updated_at: row.updated_at,
            })
            .collect())
    }

    /// Plans (or moves) the inspection of `room` in `year`: one line per room and year, written as an
    /// upsert so two planners at once leave one line, with an audit entry of what it was before.
    pub async fn plan_inspection(
        &self,
        who: &Who,
        room: &crate::units::Room,
        year: i32,
        planned_on: NaiveDate,
        inspectors: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        use sea_orm::sea_query::OnConflict;
        let txn = self.write.begin().await?;
        let before = inspection_plan::Entity::find()
            .filter(inspection_plan::Column::RoomId.eq(room.id))
            .filter(inspection_plan::Column::Year.eq(year))
            .one(&txn)
            .await?;
        let planned_by = crate::accounts::display_name(&txn, who).await?;
        inspection_plan::Entity::insert(inspection_plan::ActiveModel {
            room_id: Set(room.id),
            district_id: Set(room.district_id),
            street_id: Set(room.street_id),
            year: Set(year),
            planned_on: Set(planned_on),
            inspectors: Set(inspectors.to_owned()),
            planned_by_account_id: Set(who.account_id),
            planned_by_name: Set(planned_by),
            updated_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([inspection_plan::Column::RoomId, inspection_plan::Column::Year])
                .update_columns([
                    inspection_plan::Column::PlannedOn,
                    inspection_plan::Column::Inspectors,
                    inspection_plan::Column::PlannedByAccountId,
                    inspection_plan::Column::PlannedByName,
                    inspection_plan::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: "inspection_plan.put",
                entity: "inspection_plan",
                entity_id: format!("{}/{year}", room.id),
                district_id: Some(room.district_id),
                before: before.map(|b| json!({ "planned_on": b.planned_on, "inspectors": b.inspectors })),
                after: Some(json!({ "planned_on": planned_on, "inspectors": inspectors })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The photos of each task, oldest first, by id.
    pub async fn rectification_photo_ids(
        &self,
        task_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<i64>>, StoreError> {
        use sea_orm::QuerySelect;
        let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        for (task_id, id) in rectification_photo::Entity::find()
            .select_only()
            .column(rectification_photo::Column::TaskId)
            .column(rectification_photo::Column::Id)
            .filter(rectification_photo::Column::TaskId.is_in(task_ids.iter().copied()))
            .order_by_asc(rectification_photo::Column::Id)
            .into_tuple::<(i64, i64)>()
            .all(&self.read)
            .await?
        {
            out.entry(task_id).or_default().push(id);
        }
        Ok(out)
    }

    /// Adds a photo to `task` if it has fewer than `limit` and is still `expected` (the owner's to
    /// report); the task row is locked first, so photos sent at once cannot pass the limit. `None`
    /// when full or moved on.
    pub async fn add_rectification_photo(
        &self,
        who: &Who,
        task: &TaskRecord,
        photo: &crate::activities::NewPhoto<'_>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        use sea_orm::{PaginatorTrait, QuerySelect};
        let txn = self.write.begin().await?;
        let current = rectification_task::Entity::find_by_id(task.id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| corrupt("rectification_tasks.id", task.id.to_string()))?;
        let kept = rectification_photo::Entity::find()
            .filter(rectification_photo::Column::TaskId.eq(task.id))
            .count(&txn)
            .await?;
        if current.status != task.status.as_str() || usize::try_from(kept).unwrap_or(usize::MAX) >= limit {
            txn.rollback().await?;
            return Ok(None);
        }
        let row = rectification_photo::ActiveModel {
            task_id: Set(task.id),
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
        audit::append(
            &txn,
            who,
            now,
            Change {
                action: "rectification.photo.add",
                entity: "rectification_task",
                entity_id: task.id.to_string(),
                district_id: Some(task.district_id),
                before: None,
                after: Some(json!({ "photo_id": row.id, "etag": photo.etag })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Some(row.id))
    }

    pub async fn rectification_photo(
        &self,
        task_id: i64,
        photo_id: i64,
    ) -> Result<Option<crate::members::PhotoFile>, StoreError> {
        Ok(rectification_photo::Entity::find_by_id(photo_id)
            .filter(rectification_photo::Column::TaskId.eq(task_id))
            .one(&self.read)
            .await?
            .map(|row| crate::members::PhotoFile {
                jpeg: row.jpeg,
                etag: row.etag,
            }))
    }
}
