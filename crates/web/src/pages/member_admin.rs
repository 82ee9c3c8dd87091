//! Members' records on pages (R5): the list in the caller's scope (mobile numbers masked) and one
//! member's form for those who keep the roster, including ceasing (不再担任) with a date.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use app::AppError;
use app::members::{MemberChange, MemberRecord};
use domain::calendar::Year;

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::PageError;
use crate::extract::{CsrfForm, PagePath, check_upload_csrf};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "members/members.html")]
pub(super) struct MembersPage {
    page: PageContext,
    members: Vec<MemberRecord>,
}

pub(super) async fn members(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<MembersPage, PageError> {
    let members = state
        .app
        .members(&caller.acting())
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(MembersPage { page, members })
}

#[derive(Template, WebTemplate)]
#[template(path = "members/member.html")]
pub(super) struct MemberPage {
    page: PageContext,
    member: MemberRecord,
    manages: bool,
    has_photo: bool,
    /// The year's activities with the points each gave (R5, R14).
    year: app::activities::MemberYear,
    today: String,
    message: String,
    error: String,
}

async fn render(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    id: i64,
    year: Option<i32>,
    message: String,
    error: String,
) -> Result<MemberPage, PageError> {
    let (member, manages) = state
        .app
        .member_record(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    let has_photo = state
        .app
        .member_has_photo(member.id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.app.clock().today()));
    let year = state
        .app
        .member_year(&caller.acting(), member.id, year)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(MemberPage {
        has_photo,
        year,
        today: state.app.clock().today().to_string(),
        page,
        member,
        manages,
        message,
        error,
    })
}

#[derive(Deserialize, Default)]
pub(super) struct MemberQuery {
    year: Option<String>,
}

pub(super) async fn member(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    axum::extract::Query(query): axum::extract::Query<MemberQuery>,
) -> Result<MemberPage, PageError> {
    let year = match query.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(raw) => Some(Year::number(raw).map_err(|err| PageError::new(page.clone(), err.into()))?),
        None => None,
    };
    render(&state, page, &caller, id, year, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct MemberForm {
    #[serde(default)]
    sector: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    mobile: String,
    resides_hk_macao: Option<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    ceased_on: String,
}

pub(super) async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let result = async {
        let ceased_on = match form.ceased_on.trim() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("ceased_on", format!("「{raw}」不是有效日期")))?,
            ),
        };
        let change = MemberChange {
            sector: Some(form.sector),
            employer: Some(form.employer),
            position: Some(form.position),
            term: Some(form.term),
            mobile: Some(form.mobile),
            resides_hk_macao: Some(matches!(form.resides_hk_macao.as_deref(), Some("on" | "true"))),
            status: Some(form.status),
            ceased_on,
        };
        state.app.update_member(&caller.acting(), id, &change).await
    }
    .await;
    match result {
        Ok(member) => Ok(render(
            &state,
            page,
            &caller,
            id,
            None,
            format!("已保存{}的信息。", member.name),
            String::new(),
        )
        .await?
        .into_response()),
        Err(err @ AppError::Invalid { .. }) => {
            let body = render(&state, page, &caller, id, None, String::new(), err.to_string()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

/// A member's published photo, with an ETag so browsers revalidate cheaply.
pub(super) async fn photo(
    State(state): State<AppState>,
    page: PageContext,
    headers: axum::http::HeaderMap,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let photo = state
        .app
        .public_member_photo(id)
        .await
        .map_err(|err| PageError::new(page, err))?;
    // Published (R8): any cache may keep it; the ETag changes with the photo.
    Ok(super::assets::jpeg_response(
        &headers,
        &photo.etag,
        photo.jpeg,
        "public, max-age=86400",
    ))
}

/// Receives a photo upload (multipart: `csrf`, `photo`) or, at `/remove`, removes the photo.
pub(super) async fn photo_form(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    uri: axum::http::Uri,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mut multipart) = multipart else {
        let body = render(
            &state,
            page,
            &caller,
            id,
            None,
            String::new(),
            "请通过页面上的表单上传照片。".into(),
        )
        .await?;
        return Ok((StatusCode::BAD_REQUEST, body).into_response());
    };
    let (mut csrf, mut file) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("photo") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    check_upload_csrf(&page, &caller, &csrf)?;
    let result = if uri.path().ends_with("/remove") {
        state
            .app
            .remove_member_photo(&caller.acting(), id)
            .await
            .map(|()| "已删除照片。".to_owned())
    } else {
        state
            .app
            .upload_member_photo(&caller.acting(), id, file.map(|f| f.to_vec()).unwrap_or_default())
            .await
            .map(|_| "已更新照片（已去除拍摄位置等信息）。".to_owned())
    };
    match result {
        Ok(message) => Ok(render(&state, page, &caller, id, None, message, String::new())
            .await?
            .into_response()),
        Err(err @ AppError::Invalid { .. }) => {
            let body = render(&state, page, &caller, id, None, String::new(), err.to_string()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}
