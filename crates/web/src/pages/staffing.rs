//! Staffing (人员配备, R7): each district's conveners and how many leads and staff hold accounts.

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::AppError;

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::extract::{CsrfForm, NoFields, PagePath};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "members/staffing.html")]
pub(super) struct StaffingPage {
    page: PageContext,
    reports: Vec<app::staffing::StaffingReport>,
    message: String,
    error: String,
}

async fn staffing_page(
    state: &AppState,
    page: PageContext,
    caller: &crate::auth::Caller,
    message: String,
    error: String,
) -> Result<StaffingPage, PageError> {
    let reports = state
        .app
        .staffing(&caller.acting(), None)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(StaffingPage {
        page,
        reports,
        message,
        error,
    })
}

pub(super) async fn staffing(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<StaffingPage, PageError> {
    staffing_page(&state, page, &caller, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct ConvenerForm {
    #[serde(default)]
    district: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    name: String,
}

pub(super) async fn add_convener(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<ConvenerForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .add_convener(&caller.acting(), &form.district, &form.title, &form.name)
        .await
    {
        Ok(convener) => {
            let message = format!(
                "已登记召集人 {}（{}）。",
                convener.name,
                convener.title.label_zh()
            );
            Ok(staffing_page(&state, page, &caller, message, String::new())
                .await?
                .into_response())
        }
        Err(err @ AppError::Invalid { .. }) => {
            let body = staffing_page(&state, page, &caller, String::new(), err.to_string()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

pub(super) async fn remove_convener(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    _: CsrfForm<NoFields>,
) -> Result<StaffingPage, PageError> {
    state
        .app
        .remove_convener(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    staffing_page(&state, page, &caller, "已移除召集人记录。".into(), String::new()).await
}
