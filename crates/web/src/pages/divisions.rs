//! The organisation tree's pages (区划): search, a division with its names and children, renaming
//! and adding, and the children as CSV.

use crate::AppState;
use crate::auth::{Caller, PageCaller, optional_caller};
use crate::download::FileKind;
use crate::error::PageError;
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;
use app::{AppError, DivisionDetail, DivisionMatch};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::org::{Division, DivisionLevel};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct SearchParams {
    #[serde(default)]
    q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/divisions.html")]
pub(super) struct DivisionsPage {
    page: PageContext,
    query: String,
    districts: Vec<Division>,
    matches: Vec<DivisionMatch>,
    limit: usize,
}

pub(super) async fn divisions(
    State(state): State<AppState>,
    page: PageContext,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<DivisionsPage, PageError> {
    // A mangled query string is treated as no search at all rather than an error page.
    let query = params.map(|Query(p)| p.q.trim().to_owned()).unwrap_or_default();
    let fail = |err: AppError| PageError::new(page.clone(), err);
    let (districts, matches) = if query.is_empty() {
        (state.app.division_children(None).await.map_err(fail)?, Vec::new())
    } else {
        (
            Vec::new(),
            state.app.search_divisions(&query).await.map_err(fail)?,
        )
    };
    Ok(DivisionsPage {
        page,
        query,
        districts,
        matches,
        limit: usize::try_from(app::divisions::SEARCH_LIMIT).unwrap_or(usize::MAX),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "public/division.html")]
pub(super) struct DivisionPage {
    page: PageContext,
    detail: DivisionDetail,
    children: Vec<Division>,
    child_label: &'static str,
    /// The open work rooms of its town/street, each with its next reception day when one is known.
    rooms: Vec<(app::Room, Option<super::rooms::ScheduleRow>)>,
    /// The signed-in person may rename it and add below it.
    can_manage: bool,
    today: String,
    message: String,
    error: String,
}

pub(super) async fn division_page(
    state: &AppState,
    page: PageContext,
    caller: Option<&Caller>,
    code: &str,
    message: String,
    error: String,
) -> Result<DivisionPage, PageError> {
    let fail = |err: AppError| PageError::new(page.clone(), err);
    let detail = state.app.division(code).await.map_err(fail)?;
    let children = if detail.division.child_count > 0 {
        state.app.division_children(Some(code)).await.map_err(fail)?
    } else {
        Vec::new()
    };
    let child_label = detail
        .division
        .code
        .level()
        .child()
        .map_or("", |level| level.label_zh());
    let can_manage = match caller {
        Some(caller) if detail.division.code.level() != DivisionLevel::City => state
            .app
            .may_manage_division(&caller.acting(), &detail.division.code)
            .await
            .map_err(fail)?,
        _ => false,
    };
    let today = state.app.clock().today().to_string();
    let serving = state.app.rooms_serving(code).await.map_err(fail)?;
    let today_date = state.app.clock().today();
    let upcoming = state
        .app
        .upcoming_reception_days(&serving, today_date, 400)
        .await
        .map_err(fail)?;
    let rooms = serving
        .into_iter()
        .map(|room| {
            let next = upcoming
                .iter()
                .find(|u| u.room.id == room.id)
                .map(|u| super::rooms::upcoming_row(u, today_date));
            (room, next)
        })
        .collect();
    Ok(DivisionPage {
        page,
        detail,
        children,
        child_label,
        rooms,
        can_manage,
        today,
        message,
        error,
    })
}

pub(super) async fn division(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(code): PagePath<String>,
    request: axum::http::request::Parts,
) -> Result<DivisionPage, PageError> {
    let caller = optional_caller(&request);
    division_page(&state, page, caller.as_ref(), &code, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct DivisionForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn rename_division(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<DivisionForm>,
) -> Result<Response, PageError> {
    let input = app::divisions::Rename {
        code: code.clone(),
        name: form.name,
        valid_from: Some(form.valid_from),
        note: Some(form.note),
    };
    let outcome = state.app.rename_division(&caller.acting(), &input).await;
    let outcome = outcome.map(|d| format!("已更名为“{}”。", d.division.name));
    division_form_outcome(&state, page, &caller, &code, outcome).await
}

pub(super) async fn add_division(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<DivisionForm>,
) -> Result<Response, PageError> {
    let input = app::divisions::NewDivision {
        parent_code: code.clone(),
        code: form.code,
        name: form.name,
        valid_from: Some(form.valid_from),
        note: Some(form.note),
    };
    let outcome = state.app.add_division(&caller.acting(), &input).await;
    let outcome = outcome.map(|d| format!("已新增“{}”（{}）。", d.name, d.code));
    division_form_outcome(&state, page, &caller, &code, outcome).await
}

/// Shows the division page again with what happened: a success line, or the mistake to fix (4xx).
pub(super) async fn division_form_outcome(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    code: &str,
    outcome: Result<String, AppError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(message) => Ok(
            division_page(state, page, Some(caller), code, message, String::new())
                .await?
                .into_response(),
        ),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&err);
            let body = division_page(state, page, Some(caller), code, String::new(), err.to_string()).await?;
            Ok((status, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

/// The children of a division as a CSV file offices can open in Excel or WPS.
pub(super) async fn children_csv(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let detail = state
        .app
        .division(&code)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    let children = state
        .app
        .division_children(Some(&code))
        .await
        .map_err(|err| PageError::new(page, err))?;
    let code = &detail.division.code;
    Ok(crate::download::attachment(
        FileKind::Csv,
        &format!("{code}-{}.csv", detail.division.name),
        &format!("{code}.csv"),
        documents::csv_export::divisions_csv(&children),
    ))
}
