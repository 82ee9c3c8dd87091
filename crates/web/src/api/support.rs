//! `/api/v1/support-requests`: members' requests to the district CPPCC (委员履职支持, R12) — guidance,
//! consultation or people to take part — with the district's answers and the member's confirmation
//! or further questions.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::support::{SupportCommand, SupportView};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, ask))
        .routes(routes!(get_request))
        .routes(routes!(answer))
        .routes(routes!(confirm))
        .routes(routes!(ask_again))
}

#[derive(Serialize, ToSchema)]
pub struct SupportMessageJson {
    /// `ask`, `answer`, `confirm` or `ask_again`.
    step: String,
    text: String,
    by: String,
    at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct SupportRequestJson {
    id: i64,
    /// `guidance` (指导), `consultation` (咨询) or `people` (人员参与).
    kind: String,
    kind_label: String,
    room_id: i64,
    room_name: String,
    asked_by: String,
    /// `open` (with the district), `answered` (with the member) or `closed`.
    status: String,
    status_label: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    history: Vec<SupportMessageJson>,
    /// What the caller may do now: `answer`, `confirm`, `ask_again`.
    actions: Vec<String>,
}

impl From<&SupportView> for SupportRequestJson {
    fn from(v: &SupportView) -> Self {
        let r = &v.record;
        Self {
            id: r.id,
            kind: r.kind.as_str().to_owned(),
            kind_label: r.kind.label_zh().to_owned(),
            room_id: r.room_id,
            room_name: v.room_name.clone(),
            asked_by: v.asked_by.clone(),
            status: r.status.as_str().to_owned(),
            status_label: r.status.label_zh().to_owned(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            history: r
                .messages
                .iter()
                .map(|m| SupportMessageJson {
                    step: m.step.as_str().to_owned(),
                    text: m.text.clone(),
                    by: m.actor_name.clone(),
                    at: m.at,
                })
                .collect(),
            actions: v.actions.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewSupportRequestJson {
    #[schema(example = "people")]
    kind: String,
    #[schema(example = "10 月居民协商会需要一名规划专业的同志参加", max_length = 2000)]
    text: String,
    /// A room the member serves.
    room_id: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct SupportTextJson {
    #[schema(max_length = 2000)]
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedSupportJson {
    id: i64,
}

/// The caller's requests: a member's own, a district's, or every district's for the city general
/// office; newest first.
#[utoipa::path(
    get, path = "/api/v1/support-requests", tag = "support",
    responses((status = 200, body = Vec<SupportRequestJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<SupportRequestJson>>, ApiError> {
    let views = state.app.support_requests(&caller.acting()).await?;
    Ok(ApiJson(views.iter().map(Into::into).collect()))
}

/// A member asks the district about a room the member serves.
#[utoipa::path(
    post, path = "/api/v1/support-requests", tag = "support", request_body = NewSupportRequestJson,
    responses((status = 201, body = CreatedSupportJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn ask(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewSupportRequestJson>,
) -> Result<(StatusCode, ApiJson<CreatedSupportJson>), ApiError> {
    let id = state
        .app
        .ask_support(&caller.acting(), &body.kind, &body.text, body.room_id)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedSupportJson { id })))
}

/// One request with its history.
#[utoipa::path(
    get, path = "/api/v1/support-requests/{id}", tag = "support", params(("id" = i64, Path)),
    responses((status = 200, body = SupportRequestJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<SupportRequestJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.support_request(&caller.acting(), id).await?).into(),
    ))
}

async fn step(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: i64,
    command: SupportCommand,
) -> Result<ApiJson<SupportRequestJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.support_step(&caller.acting(), id, &command).await?).into(),
    ))
}

/// The district's staff answer an open request of their district.
#[utoipa::path(
    post, path = "/api/v1/support-requests/{id}/answer", tag = "support", params(("id" = i64, Path)),
    request_body = SupportTextJson,
    responses((status = 200, body = SupportRequestJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn answer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SupportTextJson>,
) -> Result<ApiJson<SupportRequestJson>, ApiError> {
    step(&state, &caller, id, SupportCommand::Answer { text: body.text }).await
}

/// The member confirms the answer: the request is closed.
#[utoipa::path(
    post, path = "/api/v1/support-requests/{id}/confirm", tag = "support", params(("id" = i64, Path)),
    responses((status = 200, body = SupportRequestJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
async fn confirm(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<SupportRequestJson>, ApiError> {
    step(&state, &caller, id, SupportCommand::Confirm).await
}

/// The member asks again: the request goes back to the district.
#[utoipa::path(
    post, path = "/api/v1/support-requests/{id}/ask-again", tag = "support", params(("id" = i64, Path)),
    request_body = SupportTextJson,
    responses((status = 200, body = SupportRequestJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn ask_again(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SupportTextJson>,
) -> Result<ApiJson<SupportRequestJson>, ApiError> {
    step(&state, &caller, id, SupportCommand::AskAgain { text: body.text }).await
}
