//! Community activities (履职活动, R10), the yearly duty (R5) and points (R14): record, confirm or return
//! a member's report, list in scope, a member's year with the activity behind every point, the score
//! sheet, and the districts' own activity kinds.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::activities::{ActivityFilter, ActivityInput, ActivityRecord, LocalKind};
use domain::activity::ActivityStatus;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_activities, record_activity))
        .routes(routes!(get_activity, update_activity))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_photo))
                .layer(DefaultBodyLimit::max(
                    documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
        .routes(routes!(remove_photo))
        .routes(routes!(confirm_activity))
        .routes(routes!(return_activity))
        .routes(routes!(member_year))
        .routes(routes!(score_sheet))
        .routes(routes!(list_kinds, add_kind))
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantJson {
    id: i64,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityJson {
    id: i64,
    room_id: i64,
    room_name: String,
    /// A code of shared/CONTRACT.md: `reception_day`, `grassroots_research`, `residents_consultation`,
    /// `policy_promotion`, `legal_info_consultation`, `sector_activity` or `local`.
    kind: String,
    /// For `local`: the district's name for it.
    local_kind: Option<String>,
    /// The kind as people read it.
    kind_label: String,
    date: NaiveDate,
    starts_at: Option<String>,
    ends_at: Option<String>,
    place: String,
    summary: String,
    residents_reached: Option<u32>,
    /// `confirmed`, `pending` (a member's report awaiting the room's staff) or `returned`.
    status: String,
    return_reason: Option<String>,
    /// The reception session this activity is (recorded when the session was marked held).
    session_id: Option<i64>,
    members: Vec<ParticipantJson>,
    /// Where each photo is shown to those who may see the activity.
    photo_urls: Vec<String>,
    /// Citizens' opinions registered as collected at it.
    opinions_collected: u32,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

/// Where a photo of an activity is shown (signed-in, in scope).
pub(crate) fn activity_photo_url(activity_id: i64, photo_id: i64) -> String {
    format!("/activities/{activity_id}/photos/{photo_id}.jpg")
}

impl From<&ActivityRecord> for ActivityJson {
    fn from(a: &ActivityRecord) -> Self {
        Self {
            id: a.id,
            room_id: a.room_id,
            room_name: a.room_name.clone(),
            kind: a.kind.as_str().to_owned(),
            local_kind: a.local_kind.as_ref().map(|(_, name)| name.clone()),
            kind_label: a.kind_label(),
            date: a.held_on,
            starts_at: a.hours.map(|h| h.starts_text()),
            ends_at: a.hours.map(|h| h.ends_text()),
            place: a.place.clone(),
            summary: a.summary.clone(),
            residents_reached: a.residents_reached,
            status: a.status.as_str().to_owned(),
            return_reason: a.return_reason.clone(),
            session_id: a.session_id,
            members: a
                .members
                .iter()
                .map(|m| ParticipantJson {
                    id: m.id,
                    name: m.name.clone(),
                })
                .collect(),
            photo_urls: a.photo_ids.iter().map(|p| activity_photo_url(a.id, *p)).collect(),
            opinions_collected: a.opinions_collected,
            recorded_by: a.recorded_by.clone(),
            recorded_at: a.recorded_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListParams {
    /// The year (default: this year in Beijing).
    year: Option<i32>,
    room_id: Option<i64>,
    /// `confirmed`, `pending` or `returned`.
    status: Option<String>,
}

/// Activities in the caller's scope (a member: those the member took part in), newest first.
#[utoipa::path(
    get, path = "/api/v1/activities", tag = "activities", params(ActivityListParams),
    responses((status = 200, body = Vec<ActivityJson>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_activities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<ActivityListParams>,
) -> Result<ApiJson<Vec<ActivityJson>>, ApiError> {
    use chrono::Datelike;
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    domain::calendar::Year::of_records(year, state.app.clock().today()).map_err(app::AppError::from)?;
    let status = match params.status.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(
            ActivityStatus::parse(raw)
                .ok_or_else(|| app::AppError::invalid("status", "状态应为 confirmed、pending 或 returned"))?,
        ),
    };
    let filter = ActivityFilter {
        from: NaiveDate::from_ymd_opt(year, 1, 1),
        to: NaiveDate::from_ymd_opt(year, 12, 31),
        room_id: params.room_id,
        status,
    };
    let list = state.app.activities(&caller.acting(), &filter).await?;
    Ok(ApiJson(list.iter().map(ActivityJson::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewActivityJson {
    room_id: i64,
    /// A code of shared/CONTRACT.md, e.g. `grassroots_research`.
    kind: String,
    /// For `local`: the name of one of the district's own kinds.
    local_kind: Option<String>,
    /// The day it took place (not later than today).
    date: NaiveDate,
    #[schema(example = "14:30")]
    starts_at: Option<String>,
    #[schema(example = "16:30")]
    ends_at: Option<String>,
    /// Where, when not at the room's address.
    place: Option<String>,
    /// The members who took part (a member reporting own activity: only self).
    member_ids: Vec<i64>,
    summary: String,
    /// Residents reached (服务群众人数).
    residents_reached: Option<i64>,
    /// An idempotency key (8–64 letters, digits, - or _): sending the same submission again with it
    /// records nothing new and answers with the first activity.
    client_key: Option<String>,
}

/// Records a community activity: confirmed when staff of the room (or above) record it; pending the
/// staff's confirmation when a member serving in the room reports own participation.
#[utoipa::path(
    post, path = "/api/v1/activities", tag = "activities", request_body = NewActivityJson,
    responses(
        (status = 201, description = "Recorded, or the earlier activity with the same client_key", body = ActivityJson),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "client_key used for a different activity, or a held reception day recorded again", body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
async fn record_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewActivityJson>,
) -> Result<Response, ApiError> {
    let input = ActivityInput {
        room_id: body.room_id,
        kind: body.kind,
        local_kind: body.local_kind,
        date: Some(body.date),
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        place: body.place,
        member_ids: body.member_ids,
        summary: body.summary,
        residents_reached: body.residents_reached,
        client_key: body.client_key,
    };
    let (record, created) = state.app.record_activity(&caller.acting(), &input).await?;
    let mut response = (StatusCode::CREATED, ApiJson(ActivityJson::from(&record))).into_response();
    if !created {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// One activity in the caller's scope.
#[utoipa::path(
    get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<ActivityJson>, ApiError> {
    let record = state.app.activity(&caller.acting(), id).await?;
    Ok(ApiJson(ActivityJson::from(&record)))
}

#[derive(Deserialize, ToSchema)]
pub struct ActivityDetailsJson {
    summary: Option<String>,
    residents_reached: Option<i64>,
}

/// Changes what was written about an activity (its summary, the residents reached): the room's staff and
/// those above, or the member who reported it while it is not yet confirmed.
#[utoipa::path(
    patch, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)), request_body = ActivityDetailsJson,
    responses((status = 200, body = ActivityJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn update_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActivityDetailsJson>,
) -> Result<ApiJson<ActivityJson>, ApiError> {
    let record = state
        .app
        .update_activity_details(
            &caller.acting(),
            id,
            body.summary.as_deref(),
            body.residents_reached.map(Some),
        )
        .await?;
    Ok(ApiJson(ActivityJson::from(&record)))
}

#[derive(Serialize, ToSchema)]
pub struct ActivityPhotoJson {
    photo_id: i64,
    url: String,
}

/// Adds a photo to an activity (JPEG, PNG or WebP, at most 5 MB; at most 6 an activity): re-encoded
/// as JPEG without metadata, scaled to at most 1600 px.
#[utoipa::path(
    post, path = "/api/v1/activities/{id}/photos", tag = "activities", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 201, body = ActivityPhotoJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn add_photo(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, ApiJson<ActivityPhotoJson>), ApiError> {
    let photo_id = state
        .app
        .add_activity_photo(&caller.acting(), id, body.to_vec())
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ActivityPhotoJson {
            photo_id,
            url: activity_photo_url(id, photo_id),
        }),
    ))
}

/// Removes a photo of an activity.
#[utoipa::path(
    delete, path = "/api/v1/activities/{id}/photos/{photo_id}", tag = "activities",
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn remove_photo(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, photo_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .remove_activity_photo(&caller.acting(), id, photo_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms an activity a member reported (the room's staff, street lead, district or city).
#[utoipa::path(
    post, path = "/api/v1/activities/{id}/confirm", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody))
)]
async fn confirm_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<ActivityJson>, ApiError> {
    let record = state.app.decide_activity(&caller.acting(), id, None).await?;
    Ok(ApiJson(ActivityJson::from(&record)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReturnJson {
    /// Why the activity is returned to the member (shown to the member).
    reason: String,
}

/// Returns an activity a member reported, with the reason; it does not count.
#[utoipa::path(
    post, path = "/api/v1/activities/{id}/return", tag = "activities", params(("id" = i64, Path)), request_body = ReturnJson,
    responses((status = 200, body = ActivityJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn return_activity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReturnJson>,
) -> Result<ApiJson<ActivityJson>, ApiError> {
    let record = state
        .app
        .decide_activity(&caller.acting(), id, Some(&body.reason))
        .await?;
    Ok(ApiJson(ActivityJson::from(&record)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year (default: this year in Beijing).
    pub(crate) year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoredActivityJson {
    #[serde(flatten)]
    activity: ActivityJson,
    /// The points this activity gave the member (R14).
    points: u32,
}

#[derive(Serialize, ToSchema)]
pub struct MemberYearJson {
    member_id: i64,
    name: String,
    year: i32,
    activity_count: u32,
    minimum: u32,
    exempt: bool,
    below_minimum: bool,
    /// Activities still needed this year (0 when exempt or done).
    remaining: u32,
    points: u32,
    /// Every confirmed activity of the year, with the points each gave.
    activities: Vec<ScoredActivityJson>,
}

/// A member's year: the count against the minimum, the points, and the activity behind each point.
#[utoipa::path(
    get, path = "/api/v1/members/{id}/activities", tag = "activities", params(("id" = i64, Path), YearParams),
    responses((status = 200, body = MemberYearJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn member_year(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<ApiJson<MemberYearJson>, ApiError> {
    use chrono::Datelike;
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    let y = state.app.member_year(&caller.acting(), id, year).await?;
    Ok(ApiJson(MemberYearJson {
        member_id: y.member.id,
        name: y.member.name.clone(),
        year: y.year,
        activity_count: y.duty.count,
        minimum: y.duty.minimum,
        exempt: y.duty.exempt,
        below_minimum: y.duty.below_minimum(),
        remaining: y.duty.remaining(),
        points: y.points,
        activities: y
            .activities
            .iter()
            .map(|(a, points)| ScoredActivityJson {
                activity: ActivityJson::from(a),
                points: *points,
            })
            .collect(),
    }))
}

/// The year's score sheet (积分表, R14) as .xlsx: one row per member in the caller's scope with the count,
/// the minimum, exemption and points.
#[utoipa::path(
    get, path = "/api/v1/score-sheet", tag = "activities", params(YearParams),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn score_sheet(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<Response, ApiError> {
    use chrono::Datelike;
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    let bytes = state.app.score_sheet(&caller.acting(), year).await?;
    Ok(crate::download::xlsx(&format!("score-sheet-{year}.xlsx"), bytes))
}

#[derive(Serialize, ToSchema)]
pub struct ActivityKindJson {
    /// The code to send as `kind`.
    code: String,
    label: String,
    /// For a district's own kind: its name (send it as `local_kind` with `kind` = `local`) and district.
    local_kind: Option<String>,
    district_id: Option<i64>,
}

/// The kinds of activity: R10's six, and the local kinds of the caller's district (the city: all).
#[utoipa::path(
    get, path = "/api/v1/activity-kinds", tag = "activities",
    responses((status = 200, body = Vec<ActivityKindJson>), (status = 401, body = ErrorBody))
)]
async fn list_kinds(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<ActivityKindJson>>, ApiError> {
    let local = state.app.local_kinds(&caller.acting()).await?;
    let mut kinds: Vec<ActivityKindJson> = domain::activity::ActivityKind::ALL
        .into_iter()
        .filter(|k| *k != domain::activity::ActivityKind::Local)
        .map(|k| ActivityKindJson {
            code: k.as_str().to_owned(),
            label: k.label_zh().to_owned(),
            local_kind: None,
            district_id: None,
        })
        .collect();
    kinds.extend(local.iter().map(local_json));
    Ok(ApiJson(kinds))
}

fn local_json(k: &LocalKind) -> ActivityKindJson {
    ActivityKindJson {
        code: "local".to_owned(),
        label: k.name.clone(),
        local_kind: Some(k.name.clone()),
        district_id: Some(k.district_id),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewKindJson {
    /// The district (default: the caller's).
    district_id: Option<i64>,
    name: String,
}

/// Defines a district's own kind of activity (本地区特色, R10): the district's staff or the city.
#[utoipa::path(
    post, path = "/api/v1/activity-kinds", tag = "activities", request_body = NewKindJson,
    responses((status = 201, body = ActivityKindJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn add_kind(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewKindJson>,
) -> Result<(StatusCode, ApiJson<ActivityKindJson>), ApiError> {
    let kind = state
        .app
        .add_local_kind(&caller.acting(), body.district_id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(local_json(&kind))))
}
