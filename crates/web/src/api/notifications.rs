//! The caller's notifications (提醒, X5): newest first, paged, with the unread count; marked read one
//! by one or all at once.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(read_notification))
        .routes(routes!(read_all_notifications))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 100_000)]
    page: Option<u64>,
    /// Per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
    /// `true`: only those not yet read.
    unread: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationJson {
    id: i64,
    /// `case_arrived`, `step_due_tomorrow`, `step_overdue`, `step_escalated`, `notice_due`,
    /// `notice_urgent`, `below_minimum`, `summary_due` or `summary_overdue`.
    kind: String,
    kind_label: String,
    /// What it is about: `case:12:received`, `session:7`, `member:3:2026`, `summary:440104:2026`.
    subject: String,
    due_date: Option<NaiveDate>,
    title: String,
    /// The page of the thing it is about.
    link: String,
    read: bool,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationListJson {
    items: Vec<NotificationJson>,
    total: u64,
    unread: u64,
    page: u64,
    per_page: u64,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    get, path = "/api/v1/notifications", tag = "notifications", params(NotificationParams),
    responses((status = 200, body = NotificationListJson), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_notifications(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<NotificationParams>,
) -> Result<ApiJson<NotificationListJson>, ApiError> {
    let page = params.page.unwrap_or(1);
    let per_page = params.per_page.unwrap_or(app::reminders::NOTIFICATIONS_PER_PAGE);
    let list = state
        .app
        .notifications(
            &caller.acting(),
            params.unread.unwrap_or(false),
            Some(page),
            Some(per_page),
        )
        .await?;
    Ok(ApiJson(NotificationListJson {
        items: list
            .items
            .into_iter()
            .map(|n| NotificationJson {
                id: n.id,
                kind: n.kind.as_str().to_owned(),
                kind_label: n.kind.label_zh().to_owned(),
                subject: n.subject,
                due_date: n.due_date,
                title: n.title,
                link: n.link,
                read: n.read_at.is_some(),
                created_at: n.created_at,
            })
            .collect(),
        total: list.total,
        unread: list.unread,
        page,
        per_page,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct UnreadJson {
    /// The caller's notifications still unread.
    unread: u64,
}

/// Marks one of the caller's notifications read (404 for one that is not the caller's).
#[utoipa::path(
    post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 200, body = UnreadJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn read_notification(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<UnreadJson>, ApiError> {
    let acting = caller.acting();
    state.app.read_notification(&acting, id).await?;
    Ok(ApiJson(UnreadJson {
        unread: state.app.unread_notifications(&acting).await?,
    }))
}

/// Marks all of the caller's notifications read.
#[utoipa::path(
    post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 200, body = UnreadJson), (status = 401, body = ErrorBody))
)]
async fn read_all_notifications(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<UnreadJson>, ApiError> {
    let acting = caller.acting();
    state.app.read_all_notifications(&acting).await?;
    Ok(ApiJson(UnreadJson {
        unread: state.app.unread_notifications(&acting).await?,
    }))
}
