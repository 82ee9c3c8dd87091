//! `/api/v1/inspections` and `/api/v1/rectifications`: inspections of rooms (督查检查, R15) with the
//! checklist prefilled from the records, and rectification tasks (整改任务) to closure — the owner
//! reports, the inspecting working department accepts or returns.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::AppError;
use app::inspections::{
    ChecklistDraft, DistrictInspections, InspectionInput, InspectionListing, InspectionView,
    InspectionsOverview, PlanLine, TaskCommand, TaskFilter, TaskView,
};
use domain::inspection::{CheckDecision, CheckItem, CheckResult, FindingInput};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inspections, record_inspection))
        .routes(routes!(inspection_plan))
        .routes(routes!(plan_inspection))
        .routes(routes!(checklist))
        .routes(routes!(get_inspection))
        .routes(routes!(list_rectifications))
        .routes(routes!(get_rectification))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_rectification_photo))
                .layer(axum::extract::DefaultBodyLimit::max(
                    documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
        .routes(routes!(rectification_action))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionYear {
    /// The year, 2019 to next year (default: this year in Beijing).
    #[param(minimum = 2019, maximum = 2100)]
    year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckJson {
    /// `staffing`, `reception_days_held`, `notices_on_time`, `ledgers_kept`, `rules_posted`,
    /// `opinions_answered`.
    item: String,
    label: String,
    passed: bool,
    /// What the records said (系统核对).
    evidence: String,
    note: String,
}

impl From<&CheckResult> for CheckJson {
    fn from(c: &CheckResult) -> Self {
        Self {
            item: c.item.as_str().to_owned(),
            label: c.item.label_zh().to_owned(),
            passed: c.passed,
            evidence: c.evidence.clone(),
            note: c.note.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskStepJson {
    /// `report`, `accept` or `return`.
    step: String,
    text: String,
    by: String,
    at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RectificationJson {
    id: i64,
    inspection_id: i64,
    room_id: i64,
    room_name: String,
    district: String,
    finding: String,
    /// `room_staff`, `street_lead` or `district`.
    owner: String,
    owner_label: String,
    due_date: NaiveDate,
    /// `open`, `reported`, `returned` or `closed`.
    status: String,
    status_label: String,
    /// Days past the due day while with its owner (negative: days left).
    days_past_due: Option<i64>,
    closed_at: Option<DateTime<Utc>>,
    steps: Vec<TaskStepJson>,
    /// The photos given as evidence (整改佐证), as URLs a signed-in page may show.
    photos: Vec<String>,
    /// Whether the caller may add a photo now (the owner, before reporting).
    may_add_photo: bool,
    /// What the caller may do now: `report`, `accept`, `return`.
    actions: Vec<String>,
}

/// Where a page shows a task's photo (signed in, in the task's scope).
pub(crate) fn rectification_photo_url(task_id: i64, photo_id: i64) -> String {
    format!("/admin/rectifications/{task_id}/photos/{photo_id}.jpg")
}

#[derive(Serialize, ToSchema)]
pub struct RectificationPhotoJson {
    photo_id: i64,
    url: String,
}

impl From<&TaskView> for RectificationJson {
    fn from(t: &TaskView) -> Self {
        Self {
            id: t.task.id,
            inspection_id: t.task.inspection_id,
            room_id: t.task.room_id,
            room_name: t.room_name.clone(),
            district: t.district_name.clone(),
            finding: t.task.finding.clone(),
            owner: t.task.owner.as_str().to_owned(),
            owner_label: t.task.owner.label_zh().to_owned(),
            due_date: t.task.due_date,
            status: t.task.status.as_str().to_owned(),
            status_label: t.task.status.label_zh().to_owned(),
            days_past_due: t.days_past_due,
            closed_at: t.task.closed_at,
            photos: t
                .photo_ids
                .iter()
                .map(|p| rectification_photo_url(t.task.id, *p))
                .collect(),
            may_add_photo: t.may_add_photo,
            steps: t
                .steps
                .iter()
                .map(|s| TaskStepJson {
                    step: s.step.as_str().to_owned(),
                    text: s.text.clone(),
                    by: s.actor_name.clone(),
                    at: s.at,
                })
                .collect(),
            actions: t.actions.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InspectionListingJson {
    id: i64,
    room_id: i64,
    room_name: String,
    date: NaiveDate,
    inspector: String,
    failed_items: usize,
    tasks: usize,
    open_tasks: usize,
}

impl From<&InspectionListing> for InspectionListingJson {
    fn from(l: &InspectionListing) -> Self {
        Self {
            id: l.record.id,
            room_id: l.record.room_id,
            room_name: l.room_name.clone(),
            date: l.record.inspected_on,
            inspector: l.record.inspector_name.clone(),
            failed_items: l.failed_items,
            tasks: l.tasks,
            open_tasks: l.open_tasks,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomRefJson {
    id: i64,
    name: String,
    district: String,
    street: String,
}

#[derive(Serialize, ToSchema)]
pub struct DistrictInspectionsJson {
    district: String,
    rooms: usize,
    inspected: usize,
    open_tasks: usize,
    overdue_tasks: usize,
}

impl From<&DistrictInspections> for DistrictInspectionsJson {
    fn from(d: &DistrictInspections) -> Self {
        Self {
            district: d.district.clone(),
            rooms: d.rooms,
            inspected: d.inspected,
            open_tasks: d.open_tasks,
            overdue_tasks: d.overdue_tasks,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InspectionsJson {
    year: i32,
    items: Vec<InspectionListingJson>,
    /// Open rooms not inspected in the year.
    not_inspected: Vec<RoomRefJson>,
    /// Rectification tasks not closed, the longest past due first.
    open_rectifications: Vec<RectificationJson>,
    by_district: Vec<DistrictInspectionsJson>,
    /// The year's plan: every open room, the earliest planned first, the unplanned last.
    plan: Vec<PlanLineJson>,
    /// Whether the caller records inspections (a CPPCC working department).
    may_inspect: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PlanLineJson {
    room: RoomRefJson,
    /// The planned day, if planned.
    planned_on: Option<NaiveDate>,
    /// Who goes, as the planner wrote it.
    inspectors: Option<String>,
    /// The account that planned it last.
    planned_by: Option<String>,
    /// `unplanned`, `planned`, `overdue` (the day passed, not inspected) or `inspected`.
    standing: String,
    standing_label: String,
    inspected_on: Option<NaiveDate>,
    /// Whether the caller may plan or move it.
    may_plan: bool,
}

impl From<&PlanLine> for PlanLineJson {
    fn from(line: &PlanLine) -> Self {
        Self {
            room: RoomRefJson {
                id: line.room.id,
                name: line.room.name.clone(),
                district: line.room.district_name.clone(),
                street: line.room.street_name.clone(),
            },
            planned_on: line.planned.as_ref().map(|p| p.planned_on),
            inspectors: line.planned.as_ref().map(|p| p.inspectors.clone()),
            planned_by: line.planned.as_ref().map(|p| p.planned_by.clone()),
            standing: line.standing.as_str().to_owned(),
            standing_label: line.standing.label_zh().to_owned(),
            inspected_on: line.inspected_on,
            may_plan: line.may_plan,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PlanJson {
    /// The planned day, in the plan's year and not past.
    #[schema(example = "2026-12-15")]
    planned_on: String,
    /// Who goes.
    #[schema(example = "市政协社会和法制委员会 王某、李某", max_length = 200)]
    inspectors: String,
}

impl From<&InspectionsOverview> for InspectionsJson {
    fn from(o: &InspectionsOverview) -> Self {
        Self {
            year: o.year,
            items: o.inspections.iter().map(Into::into).collect(),
            not_inspected: o
                .not_inspected
                .iter()
                .map(|r| RoomRefJson {
                    id: r.id,
                    name: r.name.clone(),
                    district: r.district_name.clone(),
                    street: r.street_name.clone(),
                })
                .collect(),
            open_rectifications: o.open_tasks.iter().map(Into::into).collect(),
            by_district: o.by_district.iter().map(Into::into).collect(),
            plan: o.plan.iter().map(Into::into).collect(),
            may_inspect: o.may_inspect,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InspectionJson {
    id: i64,
    room_id: i64,
    room_name: String,
    date: NaiveDate,
    inspector: String,
    checklist: Vec<CheckJson>,
    remarks: String,
    recorded_at: DateTime<Utc>,
    rectifications: Vec<RectificationJson>,
}

impl From<&InspectionView> for InspectionJson {
    fn from(v: &InspectionView) -> Self {
        Self {
            id: v.record.id,
            room_id: v.room.id,
            room_name: v.room.name.clone(),
            date: v.record.inspected_on,
            inspector: v.record.inspector_name.clone(),
            checklist: v.record.checklist.iter().map(Into::into).collect(),
            remarks: v.record.remarks.clone(),
            recorded_at: v.record.created_at,
            rectifications: v.tasks.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistJson {
    room_id: i64,
    room_name: String,
    date: NaiveDate,
    checklist: Vec<CheckJson>,
}

impl From<&ChecklistDraft> for ChecklistJson {
    fn from(d: &ChecklistDraft) -> Self {
        Self {
            room_id: d.room.id,
            room_name: d.room.name.clone(),
            date: d.date,
            checklist: d.lines.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CheckDecisionJson {
    #[schema(example = "notices_on_time")]
    item: String,
    passed: bool,
    /// Needed when `passed` differs from what the records say.
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, ToSchema)]
pub struct InspectionFindingJson {
    #[schema(example = "9 月接待日公告未提前三个工作日张贴", max_length = 1000)]
    text: String,
    /// `room_staff`, `street_lead` or `district`.
    #[schema(example = "room_staff")]
    owner: Option<String>,
    #[schema(example = "2026-12-31")]
    due_date: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewInspectionJson {
    room_id: i64,
    /// The day of the inspection (not in the future).
    #[schema(example = "2026-11-27")]
    date: NaiveDate,
    /// The inspector's decisions; an item left out keeps what the records say.
    #[serde(default)]
    checklist: Vec<CheckDecisionJson>,
    #[serde(default)]
    remarks: String,
    /// Each finding becomes a rectification task for its owner.
    #[serde(default)]
    findings: Vec<InspectionFindingJson>,
    /// An idempotency key (8–64 letters, digits, `-`, `_`): the same inspection sent again with it
    /// answers 201 with the first one's id instead of recording a second; the key sent with
    /// something else answers 409.
    client_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedInspectionJson {
    id: i64,
}

/// The year's inspections in the caller's scope, with the rooms not yet inspected, the open
/// rectification tasks by age and the figures per district.
#[utoipa::path(
    get, path = "/api/v1/inspections", tag = "inspections", params(InspectionYear),
    responses((status = 200, body = InspectionsJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_inspections(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<InspectionYear>,
) -> Result<ApiJson<InspectionsJson>, ApiError> {
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    Ok(ApiJson(
        (&state.app.inspections_overview(&caller.acting(), year).await?).into(),
    ))
}

/// The year's inspection plan in the caller's scope (年度检查计划): every open room, planned or not.
#[utoipa::path(
    get, path = "/api/v1/inspection-plans", tag = "inspections", params(InspectionYear),
    responses((status = 200, body = Vec<PlanLineJson>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn inspection_plan(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<InspectionYear>,
) -> Result<ApiJson<Vec<PlanLineJson>>, ApiError> {
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    let overview = state.app.inspections_overview(&caller.acting(), year).await?;
    Ok(ApiJson(overview.plan.iter().map(Into::into).collect()))
}

/// Plans or moves the year's inspection of a room: the day and who goes (a CPPCC working department
/// whose scope holds the room, before it is inspected).
#[utoipa::path(
    put, path = "/api/v1/inspection-plans/{room_id}/{year}", tag = "inspections",
    params(("room_id" = i64, Path), ("year" = i32, Path)), request_body = PlanJson,
    responses((status = 200, body = PlanLineJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "The room was inspected this year already", body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn plan_inspection(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((room_id, year)): ApiPath<(i64, i32)>,
    ApiJson(body): ApiJson<PlanJson>,
) -> Result<ApiJson<PlanLineJson>, ApiError> {
    let line = state
        .app
        .plan_inspection(
            &caller.acting(),
            room_id,
            year,
            &body.planned_on,
            &body.inspectors,
        )
        .await?;
    Ok(ApiJson((&line).into()))
}

/// Records an inspection (a CPPCC working department of the room's district or the city): the
/// checklist is confirmed against the records; each finding becomes an open rectification task.
#[utoipa::path(
    post, path = "/api/v1/inspections", tag = "inspections", request_body = NewInspectionJson,
    responses((status = 201, description = "Recorded, or the earlier inspection with the same client_key", body = CreatedInspectionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "The room is closed, or the client_key was used for a different inspection", body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn record_inspection(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewInspectionJson>,
) -> Result<(StatusCode, ApiJson<CreatedInspectionJson>), ApiError> {
    let mut checklist = Vec::with_capacity(body.checklist.len());
    for c in body.checklist {
        let item = CheckItem::parse(c.item.trim())
            .ok_or_else(|| AppError::invalid("checklist", format!("不认识的检查项“{}”", c.item.trim())))?;
        checklist.push(CheckDecision {
            item,
            passed: c.passed,
            note: c.note,
        });
    }
    let input = InspectionInput {
        room_id: body.room_id,
        date: body.date,
        checklist,
        remarks: body.remarks,
        findings: body
            .findings
            .into_iter()
            .map(|f| FindingInput {
                text: f.text,
                owner: f.owner,
                due_date: f.due_date,
            })
            .collect(),
        client_key: body.client_key,
    };
    let (id, _) = state.app.record_inspection(&caller.acting(), &input).await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedInspectionJson { id })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChecklistParams {
    /// The day of the inspection (default: today).
    date: Option<NaiveDate>,
}

/// The checklist for inspecting a room on a day, prefilled from its records (the inspector confirms).
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/inspection-checklist", tag = "inspections",
    params(("id" = i64, Path), ChecklistParams),
    responses((status = 200, body = ChecklistJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn checklist(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ChecklistParams>,
) -> Result<ApiJson<ChecklistJson>, ApiError> {
    let date = params.date.unwrap_or_else(|| state.app.clock().today());
    Ok(ApiJson(
        (&state.app.inspection_checklist(&caller.acting(), id, date).await?).into(),
    ))
}

/// One inspection with its checklist and rectification tasks.
#[utoipa::path(
    get, path = "/api/v1/inspections/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = InspectionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_inspection(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<InspectionJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.inspection(&caller.acting(), id).await?).into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RectificationParams {
    /// `open` (not closed: open, reported or returned; the default), `closed` or `all`.
    status: Option<String>,
}

/// Rectification tasks in the caller's scope: those the caller can act on first, then by due day.
#[utoipa::path(
    get, path = "/api/v1/rectifications", tag = "inspections", params(RectificationParams),
    responses((status = 200, body = Vec<RectificationJson>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_rectifications(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<RectificationParams>,
) -> Result<ApiJson<Vec<RectificationJson>>, ApiError> {
    let raw = params.status.as_deref().map_or("open", str::trim);
    let filter = TaskFilter::parse(raw).ok_or_else(|| {
        AppError::invalid(
            "status",
            format!("status 应为 open、closed 或 all，而不是“{raw}”"),
        )
    })?;
    let tasks = state.app.rectifications(&caller.acting(), filter).await?;
    Ok(ApiJson(tasks.iter().map(Into::into).collect()))
}

/// One rectification task with its history.
#[utoipa::path(
    get, path = "/api/v1/rectifications/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = RectificationJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_rectification(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<RectificationJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.rectification(&caller.acting(), id).await?).into(),
    ))
}

/// A step on a rectification task, tagged by `action`.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RectificationActionJson {
    /// The owner reports what was done (报告整改情况).
    Report { text: String },
    /// The inspecting department accepts: the task is closed (验收销号).
    Accept,
    /// The inspecting department returns it with a reason (退回重改).
    Return { reason: String },
}

/// The owner reports; the inspecting working department accepts or returns. 409 for a step the task's
/// status does not allow, 403 for anyone else.
#[utoipa::path(
    post, path = "/api/v1/rectifications/{id}/actions", tag = "inspections", params(("id" = i64, Path)),
    request_body = RectificationActionJson,
    responses((status = 200, body = RectificationJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn rectification_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RectificationActionJson>,
) -> Result<ApiJson<RectificationJson>, ApiError> {
    let command = match body {
        RectificationActionJson::Report { text } => TaskCommand::Report { text },
        RectificationActionJson::Accept => TaskCommand::Accept,
        RectificationActionJson::Return { reason } => TaskCommand::Return { reason },
    };
    Ok(ApiJson(
        (&state
            .app
            .rectification_step(&caller.acting(), id, &command)
            .await?)
            .into(),
    ))
}

/// Adds a photo as evidence of a rectification (JPEG, PNG or WebP, at most 5 MB; at most 6 a task):
/// the owner, while the task is theirs to report; re-encoded as JPEG without metadata.
#[utoipa::path(
    post, path = "/api/v1/rectifications/{id}/photos", tag = "inspections", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 201, body = RectificationPhotoJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn add_rectification_photo(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, ApiJson<RectificationPhotoJson>), ApiError> {
    let photo_id = state
        .app
        .add_rectification_photo(&caller.acting(), id, body.to_vec())
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(RectificationPhotoJson {
            photo_id,
            url: rectification_photo_url(id, photo_id),
        }),
    ))
}
