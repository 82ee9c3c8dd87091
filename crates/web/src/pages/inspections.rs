//! Inspections and rectification on pages (督查检查与整改, R15): the year's overview, the form that
//! records an inspection with its checklist prefilled from the room's records, one inspection, and the
//! rectification tasks with the owner's report and the inspector's acceptance or return. What the
//! caller may do comes from `app`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use app::AppError;
use app::inspections::{
    ChecklistDraft, InspectionInput, InspectionView, InspectionsOverview, TaskCommand, TaskFilter, TaskView,
};
use domain::inspection::{CheckDecision, FindingInput, Owner, TaskStep};

use super::activities::{YearOnly, parse_year};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

/// How many finding rows the form offers (an inspection with more is recorded by API or in two goes).
const FINDING_ROWS: usize = 5;

#[derive(Template, WebTemplate)]
#[template(path = "office/inspections.html")]
pub(super) struct OverviewPage {
    page: PageContext,
    view: InspectionsOverview,
    /// A plan that could not be saved, shown again to mend.
    typed: PlanForm,
    error: String,
}

impl OverviewPage {
    fn plannable(&self) -> bool {
        self.view.plan.iter().any(|line| line.may_plan)
    }
}

/// The plan form: a room, its day and who goes.
#[derive(Deserialize, Default, Clone)]
pub(super) struct PlanForm {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    inspectors: String,
}

pub(super) async fn plan(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> Response {
    let acting = caller.acting();
    let today = state.app.clock().today();
    let year = match parse_year(Some(form.year.as_str()), today) {
        Ok(year) => year,
        Err(err) => return PageError::new(page, err).into_response(),
    };
    let outcome = match form.room_id.trim().parse::<i64>() {
        Ok(room_id) => {
            state
                .app
                .plan_inspection(&acting, room_id, year, &form.planned_on, &form.inspectors)
                .await
        }
        Err(_) => Err(AppError::invalid("room_id", "请选择要列入计划的工作室")),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/inspections?year={year}#plan")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            match state.app.inspections_overview(&acting, year).await {
                Ok(view) => form_again(
                    &err,
                    OverviewPage {
                        page,
                        view,
                        error: err.to_string(),
                        typed: form,
                    },
                ),
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

pub(super) async fn overview(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<YearOnly>,
) -> Result<OverviewPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let view = state
        .app
        .inspections_overview(&caller.acting(), year)
        .await
        .map_err(fail)?;
    Ok(OverviewPage {
        page,
        view,
        typed: PlanForm::default(),
        error: String::new(),
    })
}

/// One row of findings as the form shows it.
#[derive(Debug, Clone, Default)]
pub(super) struct FindingRow {
    n: usize,
    text: String,
    owner: String,
    due: String,
}

/// One checklist line as the form shows it: what the records say, and what was chosen.
pub(super) struct CheckRow {
    code: &'static str,
    label: &'static str,
    evidence: String,
    suggested: bool,
    passed: bool,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/inspection_new.html")]
pub(super) struct NewInspectionPage {
    page: PageContext,
    draft: ChecklistDraft,
    checks: Vec<CheckRow>,
    remarks: String,
    findings: Vec<FindingRow>,
    owners: Vec<(&'static str, &'static str)>,
    error: String,
    /// A fresh idempotency key each time the form is shown: a double tap sends one inspection.
    client_key: String,
}

impl NewInspectionPage {
    fn new(
        page: PageContext,
        draft: ChecklistDraft,
        typed: Option<&HashMap<String, String>>,
        error: String,
    ) -> Self {
        let field = |name: String| typed.and_then(|t| t.get(&name)).cloned().unwrap_or_default();
        let checks = draft
            .lines
            .iter()
            .map(|line| {
                let code = line.item.as_str();
                let chosen = field(format!("check_{code}"));
                CheckRow {
                    code,
                    label: line.item.label_zh(),
                    evidence: line.evidence.clone(),
                    suggested: line.passed,
                    passed: match chosen.as_str() {
                        "pass" => true,
                        "fail" => false,
                        _ => line.passed,
                    },
                    note: field(format!("note_{code}")),
                }
            })
            .collect();
        let findings = (1..=FINDING_ROWS)
            .map(|n| FindingRow {
                n,
                text: field(format!("finding_{n}_text")),
                owner: field(format!("finding_{n}_owner")),
                due: field(format!("finding_{n}_due")),
            })
            .collect();
        Self {
            page,
            checks,
            remarks: field("remarks".into()),
            findings,
            owners: Owner::ALL.iter().map(|o| (o.as_str(), o.label_zh())).collect(),
            draft,
            error,
            client_key: app::activities::new_client_key(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NewQuery {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    date: String,
}

fn parse_room(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("room_id", "请选择要检查的工作室"))
}

fn parse_date(raw: &str, field: &'static str, what: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(today);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, format!("{what}“{raw}”不是日期，应写作 2026-11-27")))
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<NewQuery>,
) -> Result<NewInspectionPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let today = state.app.clock().today();
    let room_id = parse_room(&query.room_id).map_err(fail)?;
    let date = parse_date(&query.date, "date", "检查日期", today).map_err(fail)?;
    let draft = state
        .app
        .inspection_checklist(&caller.acting(), room_id, date)
        .await
        .map_err(fail)?;
    Ok(NewInspectionPage::new(page, draft, None, String::new()))
}

/// The form's fields into the use case's input; an unparsable date is bad input of its row.
fn inspection_input(form: &HashMap<String, String>, today: NaiveDate) -> Result<InspectionInput, AppError> {
    let get = |name: &str| form.get(name).map_or("", String::as_str);
    let room_id = parse_room(get("room_id"))?;
    let date = parse_date(get("date"), "date", "检查日期", today)?;
    let checklist = domain::inspection::CheckItem::ALL
        .into_iter()
        .filter_map(|item| {
            let passed = match get(&format!("check_{}", item.as_str())) {
                "pass" => true,
                "fail" => false,
                _ => return None,
            };
            Some(CheckDecision {
                item,
                passed,
                note: get(&format!("note_{}", item.as_str())).to_owned(),
            })
        })
        .collect();
    let mut findings = Vec::new();
    for n in 1..=FINDING_ROWS {
        let text = get(&format!("finding_{n}_text"));
        let owner = get(&format!("finding_{n}_owner"));
        let due = get(&format!("finding_{n}_due"));
        // A row left wholly empty is no finding.
        if text.trim().is_empty() && owner.trim().is_empty() && due.trim().is_empty() {
            continue;
        }
        let due_date = if due.trim().is_empty() {
            None
        } else {
            Some(parse_date(
                due,
                "findings",
                &format!("第 {n} 条问题的整改期限"),
                today,
            )?)
        };
        findings.push(FindingInput {
            text: text.to_owned(),
            owner: (!owner.trim().is_empty()).then(|| owner.to_owned()),
            due_date,
        });
    }
    Ok(InspectionInput {
        room_id,
        date,
        checklist,
        remarks: get("remarks").to_owned(),
        findings,
        client_key: Some(get("client_key").to_owned()).filter(|k| !k.trim().is_empty()),
    })
}

/// Records the inspection; a refusal shows the form again with the message and everything typed.
pub(super) async fn record(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let today = app.clock().today();
    let outcome = match inspection_input(&form, today) {
        Ok(input) => app.record_inspection(&acting, &input).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok((id, _)) => Redirect::to(&format!("/admin/inspections/{id}?recorded=1")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let room_id = form.get("room_id").and_then(|r| r.trim().parse::<i64>().ok());
            let date = form
                .get("date")
                .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                .filter(|d| *d <= today)
                .unwrap_or(today);
            let Some(room_id) = room_id else {
                return PageError::new(page, err).into_response();
            };
            match app.inspection_checklist(&acting, room_id, date).await {
                Ok(draft) => form_again(
                    &err,
                    NewInspectionPage::new(page, draft, Some(&form), err.to_string()),
                ),
                Err(_) => PageError::new(page, err).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "office/inspection.html")]
pub(super) struct InspectionPage {
    page: PageContext,
    view: InspectionView,
    recorded: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct RecordedQuery {
    #[serde(default)]
    recorded: String,
}

pub(super) async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    Query(query): Query<RecordedQuery>,
) -> Result<InspectionPage, PageError> {
    let view = state
        .app
        .inspection(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(InspectionPage {
        page,
        view,
        recorded: !query.recorded.is_empty(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "office/rectifications.html")]
pub(super) struct TasksPage {
    page: PageContext,
    tasks: Vec<TaskView>,
    status: &'static str,
}

#[derive(Deserialize, Default)]
pub(super) struct TasksQuery {
    #[serde(default)]
    status: String,
}

pub(super) async fn tasks(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<TasksQuery>,
) -> Result<TasksPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let (filter, status) = match query.status.trim() {
        "" | "open" => (TaskFilter::Open, "open"),
        "closed" => (TaskFilter::Closed, "closed"),
        "all" => (TaskFilter::All, "all"),
        _ => return Err(fail(AppError::invalid("status", "状态应为待办、已销号或全部"))),
    };
    let tasks = state
        .app
        .rectifications(&caller.acting(), filter)
        .await
        .map_err(fail)?;
    Ok(TasksPage { page, tasks, status })
}

#[derive(Template, WebTemplate)]
#[template(path = "office/rectification.html")]
pub(super) struct TaskPage {
    page: PageContext,
    view: TaskView,
    error: String,
    typed: String,
}

impl TaskPage {
    fn may(&self, step: &str) -> bool {
        self.view.actions.iter().any(|s| s.as_str() == step)
    }
}

pub(super) async fn task(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<TaskPage, PageError> {
    let view = state
        .app
        .rectification(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(TaskPage {
        page,
        view,
        error: String::new(),
        typed: String::new(),
    })
}

#[derive(Deserialize, Default)]
pub(super) struct TaskForm {
    /// `report`, `accept` or `return`.
    #[serde(default)]
    step: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn task_act(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let command = match TaskStep::parse(form.step.trim()) {
        Some(TaskStep::Report) => Ok(TaskCommand::Report {
            text: form.text.clone(),
        }),
        Some(TaskStep::Accept) => Ok(TaskCommand::Accept),
        Some(TaskStep::Return) => Ok(TaskCommand::Return {
            reason: form.reason.clone(),
        }),
        None => Err(AppError::invalid("step", "不认识的操作")),
    };
    let outcome = match command {
        Ok(command) => app.rectification_step(&acting, id, &command).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/rectifications/{id}")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            match app.rectification(&acting, id).await {
                Ok(view) => form_again(
                    &err,
                    TaskPage {
                        page,
                        view,
                        error: err.to_string(),
                        typed: if form.step == "return" {
                            form.reason
                        } else {
                            form.text
                        },
                    },
                ),
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

/// Receives a photo as evidence of a rectification (multipart: `csrf`, `photo`); shows the task again
/// with what happened.
pub(super) async fn task_photo_form(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let acting = caller.acting();
    let outcome = match multipart {
        // Not a form upload: its token cannot be read, so it is refused as a form without one.
        Err(_) => {
            crate::extract::check_upload_csrf(&page, &caller, "")?;
            Err(AppError::invalid("photo", "请通过页面上的表单上传照片。"))
        }
        Ok(mut multipart) => {
            let (mut csrf, mut file) = (String::new(), None);
            while let Ok(Some(field)) = multipart.next_field().await {
                match field.name() {
                    Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                    Some("photo") => file = field.bytes().await.ok(),
                    _ => {}
                }
            }
            crate::extract::check_upload_csrf(&page, &caller, &csrf)?;
            state
                .app
                .add_rectification_photo(&acting, id, file.map(|f| f.to_vec()).unwrap_or_default())
                .await
        }
    };
    Ok(match outcome {
        Ok(_) => Redirect::to(&format!("/admin/rectifications/{id}#photos")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let view = state
                .app
                .rectification(&acting, id)
                .await
                .map_err(|other| PageError::new(page.clone(), other))?;
            form_again(
                &err,
                TaskPage {
                    page,
                    view,
                    error: err.to_string(),
                    typed: String::new(),
                },
            )
        }
        Err(err) => PageError::new(page, err).into_response(),
    })
}

/// A photo of a task, for those who may read the task.
pub(super) async fn task_photo(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    headers: axum::http::HeaderMap,
    PagePath((id, file)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let photo_id = file
        .strip_suffix(".jpg")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::NotFound("没有这张照片".into())))?;
    let photo = state
        .app
        .rectification_photo(&caller.acting(), id, photo_id)
        .await
        .map_err(fail)?;
    // Private to those in scope: browsers may keep it, shared caches may not.
    Ok(super::assets::jpeg_response(
        &headers,
        &photo.etag,
        photo.jpeg,
        "private, max-age=86400",
    ))
}
