//! Reception sessions (接待日安排) and their notices (公告, R9): generate a room's year from the calendar,
//! adjust a session with a reason, mark its notice posted, list late notices.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::sessions::{SessionAdjustment, SessionChange, SessionView};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(room_sessions))
        .routes(routes!(generate_sessions))
        .routes(routes!(get_session, adjust_session))
        .routes(routes!(mark_notice_posted))
        .routes(routes!(late_notices))
        .routes(routes!(issue_member_feed, revoke_member_feed))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionYearParams {
    /// The year (default: this year in Beijing).
    year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct DutyMemberJson {
    id: i64,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionJson {
    id: i64,
    room_id: i64,
    room_name: String,
    date: NaiveDate,
    nominal_date: NaiveDate,
    #[schema(example = "09:00")]
    starts_at: String,
    #[schema(example = "11:30")]
    ends_at: String,
    place: String,
    /// `planned`, `held` or `cancelled`.
    status: String,
    members: Vec<DutyMemberJson>,
    /// The last day the notice may go up.
    notice_due: NaiveDate,
    notice_posted_on: Option<NaiveDate>,
    notice_posted_where: Option<String>,
    /// `pending`, `on_time`, `posted_late` or `overdue`.
    notice_status: String,
    /// True when the notice went up after its due day or has not gone up past it; kept in the record.
    notice_late: bool,
    /// The printable notice (A4, with a QR code to the room's page).
    notice_url: String,
    /// In a room's list, for a planned session whose day is now a day off or blocked (e.g. a holiday
    /// arrangement loaded after planning): the day the reception calendar gives instead; absent otherwise.
    calendar_date: Option<NaiveDate>,
}

impl From<&SessionView> for SessionJson {
    fn from(view: &SessionView) -> Self {
        let s = &view.session;
        Self {
            id: s.id,
            room_id: s.room_id,
            room_name: view.room.name.clone(),
            date: s.date,
            nominal_date: s.nominal_date,
            starts_at: s.hours.starts_text(),
            ends_at: s.hours.ends_text(),
            place: s.place.clone(),
            status: s.status.as_str().to_owned(),
            members: s
                .members
                .iter()
                .map(|m| DutyMemberJson {
                    id: m.id,
                    name: m.name.clone(),
                })
                .collect(),
            notice_due: s.notice_due,
            notice_posted_on: s.notice_posted_on,
            notice_posted_where: s.notice_posted_where.clone(),
            notice_status: view.notice.as_str().to_owned(),
            notice_late: view.notice.is_late(),
            notice_url: format!("/sessions/{}/notice", s.id),
            calendar_date: view.calendar_differs.as_ref().map(|(date, _)| *date),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionChangeJson {
    changed_at: DateTime<Utc>,
    changed_by: String,
    summary: String,
    reason: String,
}

impl From<&SessionChange> for SessionChangeJson {
    fn from(c: &SessionChange) -> Self {
        Self {
            changed_at: c.changed_at,
            changed_by: c.changed_by.clone(),
            summary: c.summary.clone(),
            reason: c.reason.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionDetailJson {
    #[serde(flatten)]
    session: SessionJson,
    /// Every adjustment, oldest first, with its reason.
    history: Vec<SessionChangeJson>,
}

fn this_year(state: &AppState) -> i32 {
    chrono::Datelike::year(&state.app.clock().today())
}

/// A room's sessions of a year (its staff, street lead, district and the city).
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/sessions", tag = "sessions", params(("id" = i64, Path), SessionYearParams),
    responses((status = 200, body = Vec<SessionJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn room_sessions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<SessionYearParams>,
) -> Result<ApiJson<Vec<SessionJson>>, ApiError> {
    let year = params.year.unwrap_or_else(|| this_year(&state));
    let (_, sessions) = state.app.room_sessions(&caller.acting(), id, year).await?;
    Ok(ApiJson(sessions.iter().map(SessionJson::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct GeneratedJson {
    /// Sessions created now.
    created: usize,
    /// Coming reception days of the year (those already planned are left as they are).
    coming_days: usize,
}

/// Plans a session for each coming reception day of the room's year that has none: the room's address,
/// 09:00–11:30, the room's members on duty. Running it again adds nothing.
#[utoipa::path(
    post, path = "/api/v1/rooms/{id}/sessions/generate", tag = "sessions", params(("id" = i64, Path), SessionYearParams),
    responses((status = 200, body = GeneratedJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody))
)]
async fn generate_sessions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<SessionYearParams>,
) -> Result<ApiJson<GeneratedJson>, ApiError> {
    let year = params.year.unwrap_or_else(|| this_year(&state));
    let (created, coming_days) = state.app.generate_sessions(&caller.acting(), id, year).await?;
    Ok(ApiJson(GeneratedJson { created, coming_days }))
}

/// One session with its history of adjustments.
#[utoipa::path(
    get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path)),
    responses((status = 200, body = SessionDetailJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_session(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<SessionDetailJson>, ApiError> {
    let (view, history) = state.app.session_detail(&caller.acting(), id).await?;
    Ok(ApiJson(SessionDetailJson {
        session: (&view).into(),
        history: history.iter().map(SessionChangeJson::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AdjustSessionJson {
    date: Option<NaiveDate>,
    #[schema(example = "14:30")]
    starts_at: Option<String>,
    #[schema(example = "17:00")]
    ends_at: Option<String>,
    place: Option<String>,
    /// The members on duty (each must serve in the room).
    member_ids: Option<Vec<i64>>,
    /// `planned`, `held` or `cancelled`.
    status: Option<String>,
    /// Why: required, kept in the session's history.
    reason: String,
}

/// Adjusts a session; the reason is required and kept in its history.
#[utoipa::path(
    patch, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path)), request_body = AdjustSessionJson,
    responses(
        (status = 200, body = SessionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn adjust_session(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AdjustSessionJson>,
) -> Result<ApiJson<SessionJson>, ApiError> {
    let adjustment = SessionAdjustment {
        date: body.date,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        place: body.place,
        member_ids: body.member_ids,
        status: body.status,
    };
    let view = state
        .app
        .adjust_session(&caller.acting(), id, &adjustment, &body.reason)
        .await?;
    Ok(ApiJson((&view).into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NoticePostedJson {
    /// Where it went up, e.g. 三眼井社区公告栏.
    #[serde(rename = "where")]
    place: String,
    /// The day it went up (default today); not in the future.
    posted_on: Option<NaiveDate>,
}

/// Marks a session's notice posted, with when and where.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/notice", tag = "sessions", params(("id" = i64, Path)), request_body = NoticePostedJson,
    responses(
        (status = 200, body = SessionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn mark_notice_posted(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoticePostedJson>,
) -> Result<ApiJson<SessionJson>, ApiError> {
    let view = state
        .app
        .mark_notice_posted(&caller.acting(), id, &body.place, body.posted_on)
        .await?;
    Ok(ApiJson((&view).into()))
}

/// Sessions in the caller's rooms whose notice is late (overdue, or posted after its due day), 60 days
/// back to 60 ahead. Empty for callers who keep no sessions.
#[utoipa::path(
    get, path = "/api/v1/notices/late", tag = "sessions",
    responses((status = 200, body = Vec<SessionJson>), (status = 401, body = ErrorBody))
)]
async fn late_notices(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<SessionJson>>, ApiError> {
    let late = state.app.late_notices(&caller.acting()).await?;
    Ok(ApiJson(late.iter().map(SessionJson::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct MemberFeedJson {
    /// The private iCalendar feed of the member's reception duties; shown once, keep it private.
    url: String,
}

/// Issues the signed-in member a private calendar feed of their reception duties (the previous link
/// stops working). Members only.
#[utoipa::path(
    post, path = "/api/v1/me/calendar-feed", tag = "sessions",
    responses((status = 201, body = MemberFeedJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn issue_member_feed(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<(axum::http::StatusCode, ApiJson<MemberFeedJson>), ApiError> {
    let token = state.app.issue_member_feed(&caller.acting()).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        ApiJson(MemberFeedJson {
            url: format!("/feeds/members/{token}/calendar.ics"),
        }),
    ))
}

/// Revokes the member's calendar feed: the link stops working.
#[utoipa::path(
    delete, path = "/api/v1/me/calendar-feed", tag = "sessions",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn revoke_member_feed(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<axum::http::StatusCode, ApiError> {
    state.app.revoke_member_feed(&caller.acting()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
