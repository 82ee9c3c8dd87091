//! `/api/v1/annual-summaries`: districts' annual summaries (年度工作总结, R14) — the list of the year,
//! one summary with its computed figures, the district's draft, submit, the city's receive and return,
//! and the Word document.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::annual::{SummaryListing, SummaryView};
use domain::annual::SummaryStep;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_summaries))
        .routes(routes!(get_summary, put_summary))
        .routes(routes!(submit_summary))
        .routes(routes!(receive_summary))
        .routes(routes!(return_summary))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryYear {
    /// The year (2019 or later, at most next year).
    #[param(minimum = 2019, maximum = 2100)]
    year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryListingJson {
    district: String,
    /// The district's six-digit division code, e.g. `440104`.
    district_code: String,
    /// `not_started`, `draft`, `submitted`, `received` or `returned`.
    status: String,
    status_label: String,
    submitted_at: Option<DateTime<Utc>>,
    /// Submitted on or after the due day (December 20 by default); for a summary not submitted, the due
    /// day has come.
    late: bool,
    due_date: NaiveDate,
    /// Days from today to the due day (negative once past).
    days_left: i64,
}

impl From<&SummaryListing> for SummaryListingJson {
    fn from(l: &SummaryListing) -> Self {
        Self {
            district: l.district.name.clone(),
            district_code: l.district.code.clone(),
            status: l.status.as_str().to_owned(),
            status_label: l.status.label_zh().to_owned(),
            submitted_at: l.submitted_at,
            late: l.late,
            due_date: l.due,
            days_left: l.days_left,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SummaryVersionJson {
    version: i32,
    submitted_at: DateTime<Utc>,
    submitted_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryJson {
    #[serde(flatten)]
    listing: SummaryListingJson,
    year: i32,
    /// The district's own text (work done, experience, problems, plans).
    text: String,
    received_at: Option<DateTime<Utc>>,
    return_reason: Option<String>,
    /// Every figure of the year, computed from the records; frozen at the last submission once
    /// submitted.
    #[schema(value_type = Object)]
    figures: serde_json::Value,
    versions: Vec<SummaryVersionJson>,
    /// What the caller may do now: `save_text`, `submit`, `receive`, `return`.
    actions: Vec<String>,
}

fn step_code(step: SummaryStep) -> &'static str {
    match step {
        SummaryStep::SaveText => "save_text",
        SummaryStep::Submit => "submit",
        SummaryStep::Receive => "receive",
        SummaryStep::Return => "return",
    }
}

fn summary_json(view: &SummaryView) -> SummaryJson {
    SummaryJson {
        listing: SummaryListingJson::from(&view.listing),
        year: view.year,
        text: view.text.clone(),
        received_at: view.received_at,
        return_reason: view.return_reason.clone(),
        figures: serde_json::to_value(&view.figures).unwrap_or_default(),
        versions: view
            .versions
            .iter()
            .map(|v| SummaryVersionJson {
                version: v.version,
                submitted_at: v.submitted_at,
                submitted_by: v.submitted_by.clone(),
            })
            .collect(),
        actions: view.actions.iter().map(|s| step_code(*s).to_owned()).collect(),
    }
}

/// Each district in the caller's scope with its summary's status for the year: the city general office
/// sees all eleven, district staff their own; everyone else 403.
#[utoipa::path(
    get, path = "/api/v1/annual-summaries", tag = "annual-summaries", params(SummaryYear),
    responses(
        (status = 200, body = [SummaryListingJson]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn list_summaries(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<SummaryYear>,
) -> Result<ApiJson<Vec<SummaryListingJson>>, ApiError> {
    let listings = state.app.annual_summaries(&caller.acting(), query.year).await?;
    Ok(ApiJson(listings.iter().map(SummaryListingJson::from).collect()))
}

/// One district's summary of a year: status, the district's text, the figures and the steps the
/// caller may take. The same path with `.docx` after the year is the Word document
/// (`summary_docx` below; one route, since a path segment holds one parameter).
#[utoipa::path(
    get, path = "/api/v1/annual-summaries/{district_code}/{year}", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)),
    responses(
        (status = 200, body = SummaryJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn get_summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, year)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let acting = caller.acting();
    if let Some(year) = year.strip_suffix(".docx") {
        let (file_name, bytes) = state
            .app
            .annual_summary_docx(&acting, &code, parse_year(year)?)
            .await?;
        return Ok(crate::download::docx(&file_name, bytes));
    }
    let view = state
        .app
        .annual_summary(&acting, &code, parse_year(&year)?)
        .await?;
    Ok(ApiJson(summary_json(&view)).into_response())
}

/// A year in the path: four digits.
fn parse_year(raw: &str) -> Result<i32, ApiError> {
    domain::calendar::Year::number(raw).map_err(|_| {
        ApiError::from(app::AppError::invalid(
            "year",
            format!("路径中的年份“{raw}”应为 4 位数字，如 2026"),
        ))
    })
}

#[derive(Deserialize, ToSchema)]
pub struct SummaryTextJson {
    /// The district's own text, up to 20,000 characters.
    #[schema(max_length = 20000)]
    text: String,
}

/// Saves the district's text as a draft (district staff of that district). A submitted or received
/// summary is not edited (409); a returned one is, and goes back to draft.
#[utoipa::path(
    put, path = "/api/v1/annual-summaries/{district_code}/{year}", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)), request_body = SummaryTextJson,
    responses(
        (status = 200, body = SummaryJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn put_summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<SummaryTextJson>,
) -> Result<ApiJson<SummaryJson>, ApiError> {
    let view = state
        .app
        .save_annual_text(&caller.acting(), &code, year, &body.text)
        .await?;
    Ok(ApiJson(summary_json(&view)))
}

/// Submits the summary to the city general office; its figures are frozen into a new version. An
/// empty text is refused (422), a second submit too (409).
#[utoipa::path(
    post, path = "/api/v1/annual-summaries/{district_code}/{year}/submit", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)),
    responses(
        (status = 200, body = SummaryJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn submit_summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> Result<ApiJson<SummaryJson>, ApiError> {
    let view = state
        .app
        .submit_annual_summary(&caller.acting(), &code, year)
        .await?;
    Ok(ApiJson(summary_json(&view)))
}

/// The city general office receives a submitted summary.
#[utoipa::path(
    post, path = "/api/v1/annual-summaries/{district_code}/{year}/receive", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)),
    responses(
        (status = 200, body = SummaryJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)
    )
)]
async fn receive_summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> Result<ApiJson<SummaryJson>, ApiError> {
    let view = state
        .app
        .receive_annual_summary(&caller.acting(), &code, year)
        .await?;
    Ok(ApiJson(summary_json(&view)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReturnReasonJson {
    /// Why it goes back, up to 1,000 characters.
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
}

/// The city general office returns a submitted summary with its reason; the district edits and
/// submits it again.
#[utoipa::path(
    post, path = "/api/v1/annual-summaries/{district_code}/{year}/return", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)), request_body = ReturnReasonJson,
    responses(
        (status = 200, body = SummaryJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn return_summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<ReturnReasonJson>,
) -> Result<ApiJson<SummaryJson>, ApiError> {
    let view = state
        .app
        .return_annual_summary(&caller.acting(), &code, year, &body.reason)
        .await?;
    Ok(ApiJson(summary_json(&view)))
}

/// The summary as a Word document in official-document layout: the submitted version once submitted
/// (its frozen figures), the draft otherwise. Served by `get_summary` (documented here only).
#[utoipa::path(
    get, path = "/api/v1/annual-summaries/{district_code}/{year}.docx", tag = "annual-summaries",
    params(("district_code" = String, Path), ("year" = i32, Path)),
    responses(
        (status = 200, description = "The .docx", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)
    )
)]
#[allow(dead_code)] // documents the `.docx` form of `get_summary`'s path
pub(super) fn summary_docx() {}
