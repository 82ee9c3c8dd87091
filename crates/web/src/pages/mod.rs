//! Pages for people: the public portal, the division browser, preferences. No page needs JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use app::{AppError, DivisionDetail, DivisionMatch};
use domain::org::Division;

use crate::AppState;
use crate::error::PageError;
use crate::layout::{PageContext, TEXT_SIZE_COOKIE, safe_local_path};

/// The stylesheet, compiled in so the binary is all there is to deploy.
const APP_CSS: &str = include_str!("../../static/app.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/divisions", get(divisions))
        .route("/divisions/{code}", get(division))
        .route("/divisions/{code}/children.csv", get(children_csv))
        .route("/preferences/text-size", post(set_text_size))
        .route("/static/app.css", get(stylesheet))
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
}

async fn division(
    State(state): State<AppState>,
    page: PageContext,
    Path(code): Path<String>,
) -> Result<DivisionPage, PageError> {
    let fail = |err: AppError| PageError::new(page.clone(), err);
    let detail = state.app.division(&code).await.map_err(fail)?;
    let children = if detail.division.child_count > 0 {
        state.app.division_children(Some(&code)).await.map_err(fail)?
    } else {
        Vec::new()
    };
    let child_label = detail
        .division
        .code
        .level()
        .child()
        .map_or("", |level| level.label_zh());
    Ok(DivisionPage {
        page,
        detail,
        children,
        child_label,
    })
}

/// The children of a division as a CSV file offices can open in Excel or WPS.
async fn children_csv(
    State(state): State<AppState>,
    page: PageContext,
    Path(code): Path<String>,
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
    let filename = format!("{}-{}.csv", detail.division.code, detail.division.name);
    let disposition = format!(
        "attachment; filename=\"{}.csv\"; filename*=UTF-8''{}",
        detail.division.code,
        utf8_percent(&filename)
    );
    let mut response = documents::csv_export::divisions_csv(&children).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Percent-encodes every byte outside unreserved ASCII (RFC 5987 `filename*`).
fn utf8_percent(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct TextSizeForm {
    size: String,
    #[serde(default)]
    back: String,
}

/// Switches large-text mode on or off for a year, then returns to the page the button was on.
async fn set_text_size(jar: CookieJar, Form(form): Form<TextSizeForm>) -> (CookieJar, Redirect) {
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
