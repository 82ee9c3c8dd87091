//! What every page needs besides itself: the stylesheets (compiled in), the text-size setting and
//! JPEG answers.

use crate::extract::PageForm;
use crate::layout::{TEXT_SIZE_COOKIE, safe_local_path};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

/// The stylesheet, compiled in so the binary is all there is to deploy.
const APP_CSS: &str = include_str!("../../static/app.css");

const POSTER_CSS: &str = include_str!("../../static/poster.css");

#[derive(Deserialize)]
pub(super) struct TextSizeForm {
    size: String,
    #[serde(default)]
    back: String,
}

/// Switches large-text mode on or off for a year, then returns to the page the button was on.
pub(super) async fn set_text_size(
    jar: CookieJar,
    PageForm(form): PageForm<TextSizeForm>,
) -> (CookieJar, Redirect) {
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

pub(super) async fn stylesheet() -> Response {
    css(APP_CSS)
}

pub(super) async fn poster_stylesheet() -> Response {
    css(POSTER_CSS)
}

/// A compiled-in stylesheet, cached by browsers for an hour.
fn css(body: &'static str) -> Response {
    let mut response = body.into_response();
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
