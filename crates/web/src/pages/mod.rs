//! Pages for people: the public portal, the division browser, sign-in and the workbench,
//! administration, preferences. No page needs JavaScript.

mod account;
mod activities;
mod admin;
mod annual;
mod calendar;
mod dashboard;
mod insights;
mod ledgers;
mod member_admin;
mod opinions;
mod room_admin;
mod room_rules;
mod rooms;
mod sessions;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use app::{AppError, DivisionDetail, DivisionMatch};
use domain::org::{Division, DivisionLevel};

use crate::AppState;
use crate::auth::{Caller, PageCaller, optional_caller};
use crate::download::FileKind;
use crate::error::PageError;
use crate::extract::{CsrfForm, PageForm, PagePath};
use crate::layout::{PageContext, TEXT_SIZE_COOKIE, safe_local_path};

/// The stylesheet, compiled in so the binary is all there is to deploy.
const APP_CSS: &str = include_str!("../../static/app.css");
const POSTER_CSS: &str = include_str!("../../static/poster.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/divisions", get(divisions))
        .route("/divisions/{code}", get(division))
        .route("/divisions/{code}/children.csv", get(children_csv))
        .route("/divisions/{code}/rename", post(rename_division))
        .route("/divisions/{code}/children", post(add_division))
        .route("/login", get(account::login_form).post(account::login_submit))
        .route("/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/dashboard", get(dashboard::dashboard))
        .route(
            "/account/password",
            get(account::password_form).post(account::password_submit),
        )
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{id}", get(admin::account))
        .route("/admin/accounts/{id}/{action}", post(admin::account_action))
        .route("/admin/audit", get(admin::audit))
        .route(
            "/admin/members/import",
            get(admin::members_import_form).post(admin::members_import).layer(
                axum::extract::DefaultBodyLimit::max(app::roster::MAX_ROSTER_BYTES + 64 * 1024),
            ),
        )
        .route("/admin/members/template.xlsx", get(admin::members_template))
        .route("/admin/calendar", get(calendar::calendar))
        .route("/admin/calendar/district-day", post(calendar::add_district_day))
        .route("/admin/calendar/blocked", post(calendar::add_blocked_date))
        .route(
            "/admin/calendar/blocked/{id}/remove",
            post(calendar::remove_blocked_date),
        )
        .route("/admin/calendar/rules", post(calendar::add_rule_set))
        .route("/admin/calendar/arrangements", post(calendar::import_arrangement))
        .route("/admin/staffing", get(admin::staffing))
        .route("/admin/staffing/conveners", post(admin::add_convener))
        .route(
            "/admin/staffing/conveners/{id}/remove",
            post(admin::remove_convener),
        )
        .route("/preferences/text-size", post(set_text_size))
        .route("/static/app.css", get(stylesheet))
        .route("/static/poster.css", get(poster_stylesheet))
        .route("/rooms", get(rooms::rooms))
        .route("/rooms/{id}", get(rooms::room))
        .route("/rooms/{id}/poster", get(rooms::poster))
        .route("/reception-days", get(rooms::coming_reception_days))
        .route("/rooms/{id}/calendar.ics", get(sessions::room_feed))
        .route("/sessions/{id}/notice", get(sessions::notice))
        .route("/feeds/members/{token}/calendar.ics", get(sessions::member_feed))
        .route("/me/calendar-feed", post(sessions::member_feed_form))
        .route("/me/calendar-feed/revoke", post(sessions::member_feed_form))
        .route("/admin/members", get(member_admin::members))
        .route(
            "/admin/activities",
            get(activities::activities).post(activities::record),
        )
        .route("/admin/activities/{id}/confirm", post(activities::confirm))
        .route("/admin/activities/{id}/return", post(activities::return_report))
        .route("/admin/activities/{id}/details", post(activities::details))
        .route(
            "/admin/activities/{id}/photos",
            post(activities::photo_form).layer(axum::extract::DefaultBodyLimit::max(
                documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/admin/activities/{id}/photos/{photo}/remove",
            post(activities::photo_form),
        )
        .route("/activities/{id}/photos/{file}", get(activities::photo))
        .route("/admin/activity-kinds", post(activities::add_kind))
        .route("/rooms/{id}/opinions", post(opinions::submit))
        .route("/track", get(opinions::track_form))
        .route("/track/{code}", get(opinions::track))
        .route("/track/{code}/rating", post(opinions::rate))
        .route("/admin/opinions", get(opinions::cases).post(opinions::register))
        .route("/admin/opinions/{id}", get(opinions::case))
        .route("/admin/opinions/{id}/actions", post(opinions::step))
        .route("/admin/duty", get(activities::duty))
        .route("/admin/insights", get(insights::insights))
        .route("/admin/annual-summaries", get(annual::list))
        .route(
            "/admin/annual-summaries/{code}/{year}",
            get(annual::show).post(annual::act),
        )
        .route("/admin/insights/social-report.docx", post(insights::draft_docx))
        .route("/admin/duty/score-sheet.xlsx", get(activities::score_sheet))
        .route(
            "/admin/members/{id}",
            get(member_admin::member).post(member_admin::save),
        )
        // Phones take photos of several MB: the photo forms take up to the photo limit.
        .route(
            "/admin/members/{id}/photo",
            post(member_admin::photo_form).layer(axum::extract::DefaultBodyLimit::max(
                documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route("/admin/members/{id}/photo/remove", post(member_admin::photo_form))
        .route("/members/{id}/photo.jpg", get(member_admin::photo))
        .route("/admin/rooms", get(room_admin::rooms).post(room_admin::create))
        .route("/admin/rooms/{id}", post(room_admin::update))
        .route("/admin/rooms/{id}/places", post(room_admin::places))
        .route("/admin/rooms/{id}/sessions", get(sessions::sessions))
        .route("/admin/rooms/{id}/ledgers", get(ledgers::ledgers))
        .route(
            "/admin/rooms/{id}/rules",
            get(room_rules::room_rules).post(room_rules::room_rules_act),
        )
        .route(
            "/admin/rule-templates",
            get(room_rules::templates).post(room_rules::templates_act),
        )
        .route("/admin/rooms/{id}/ledgers/{file}", get(ledgers::download))
        .route("/admin/rooms/{id}/sessions/generate", post(sessions::generate))
        .route("/admin/sessions/{id}/adjust", post(sessions::adjust))
        .route("/admin/sessions/{id}/notice", post(sessions::notice_posted))
}

#[derive(Template, WebTemplate)]
#[template(path = "index.html")]
struct IndexPage {
    page: PageContext,
    query: String,
    districts: Vec<Division>,
}

async fn index(State(state): State<AppState>, page: PageContext) -> Result<IndexPage, PageError> {
    let districts = state
        .app
        .division_children(None)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(IndexPage {
        page,
        query: String::new(),
        districts,
    })
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "divisions.html")]
struct DivisionsPage {
    page: PageContext,
    query: String,
    districts: Vec<Division>,
    matches: Vec<DivisionMatch>,
    limit: usize,
}

async fn divisions(
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
#[template(path = "division.html")]
struct DivisionPage {
    page: PageContext,
    detail: DivisionDetail,
    children: Vec<Division>,
    child_label: &'static str,
    /// The open work rooms of its town/street, each with its next reception day when one is known.
    rooms: Vec<(app::Room, Option<rooms::ScheduleRow>)>,
    /// The signed-in person may rename it and add below it.
    can_manage: bool,
    today: String,
    message: String,
    error: String,
}

async fn division_page(
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
                .map(|u| rooms::upcoming_row(u, today_date));
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

async fn division(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(code): PagePath<String>,
    request: axum::http::request::Parts,
) -> Result<DivisionPage, PageError> {
    let caller = optional_caller(&request);
    division_page(&state, page, caller.as_ref(), &code, String::new(), String::new()).await
}

#[derive(Deserialize)]
struct DivisionForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    note: String,
}

async fn rename_division(
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

async fn add_division(
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
async fn division_form_outcome(
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
async fn children_csv(
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

#[derive(Deserialize)]
struct TextSizeForm {
    size: String,
    #[serde(default)]
    back: String,
}

/// Switches large-text mode on or off for a year, then returns to the page the button was on.
async fn set_text_size(jar: CookieJar, PageForm(form): PageForm<TextSizeForm>) -> (CookieJar, Redirect) {
    let cookie = Cookie::build((
        TEXT_SIZE_COOKIE,
        if form.size == "large" { "large" } else { "normal" },
    ))
    .path("/")
    .http_only(true)
    .same_site(SameSite::Lax)
    .max_age(time_year())
    .build();
    (jar.add(cookie), Redirect::to(safe_local_path(&form.back)))
}

fn time_year() -> cookie::time::Duration {
    cookie::time::Duration::days(365)
}

async fn stylesheet() -> Response {
    let mut response = APP_CSS.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

async fn poster_stylesheet() -> Response {
    let mut response = POSTER_CSS.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// A stored JPEG with its ETag: 304 when the browser already has this one, else the picture.
pub(super) fn jpeg_response(
    headers: &axum::http::HeaderMap,
    etag: &str,
    jpeg: Vec<u8>,
    cache_control: &'static str,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let etag = format!("\"{etag}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if fresh {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control.to_owned()),
            ],
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "image/jpeg".to_owned()),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache_control.to_owned()),
        ],
        jpeg,
    )
        .into_response()
}
