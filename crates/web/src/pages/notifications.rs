//! The caller's notifications (提醒): the list behind the bell, each opening the thing it is about
//! (and marked read on the way), and one button to mark all read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::AppError;
use app::reminders::NotificationPage;

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::extract::{CsrfForm, NoFields, PagePath};
use crate::layout::{PageContext, safe_local_path};

#[derive(Template, WebTemplate)]
#[template(path = "account/notifications.html")]
pub(super) struct NotificationsPage {
    page: PageContext,
    list: NotificationPage,
    number: u64,
    pages: u64,
    message: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    page: String,
    /// Set after "mark all read": how many were marked.
    #[serde(default)]
    marked: String,
}

pub(super) async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<ListQuery>,
) -> Result<NotificationsPage, PageError> {
    let message = query
        .marked
        .trim()
        .parse::<u64>()
        .map(|count| format!("已将 {count} 条提醒标为已读"))
        .unwrap_or_default();
    render(&state, page, &caller, &query.page, message).await
}

async fn render(
    state: &AppState,
    page: PageContext,
    caller: &crate::auth::Caller,
    raw_page: &str,
    message: String,
) -> Result<NotificationsPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let number = match raw_page.trim() {
        "" => 1,
        raw => raw
            .parse()
            .map_err(|_| fail(AppError::invalid("page", "页码应为数字")))?,
    };
    let list = state
        .app
        .notifications(&caller.acting(), false, Some(number), None)
        .await
        .map_err(fail)?;
    let pages = list.total.div_ceil(app::reminders::NOTIFICATIONS_PER_PAGE).max(1);
    Ok(NotificationsPage {
        page,
        list,
        number,
        pages,
        message,
    })
}

/// Opens a notification's thing, marking it read.
pub(super) async fn open(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let read = state
        .app
        .read_notification(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page, err))?;
    Ok(Redirect::to(safe_local_path(&read.link)).into_response())
}

/// Marks all read, then shows the list again by its address (so the bell in the header is fresh).
pub(super) async fn read_all(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let count = state
        .app
        .read_all_notifications(&caller.acting())
        .await
        .map_err(|err| PageError::new(page, err))?;
    Ok(Redirect::to(&format!("/notifications?marked={count}")).into_response())
}
