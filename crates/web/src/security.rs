//! Headers every answer carries: a Content-Security-Policy without inline script (the pages need
//! none), no framing, no MIME sniffing, no referrer outside the site, HSTS behind TLS — and
//! `Cache-Control: no-store` on what a signed-in caller or a resident's tracking code sees, since those
//! answers may hold a resident's contact or the code itself.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::auth::SESSION_COOKIE;

/// Scripts from nowhere, styles and images from this site only (inline SVG and `data:` images for
/// QR codes and charts), forms posting back here only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'none'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Two years, as browsers' preload lists expect.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// Whether the request carries credentials or asks about a tracking code: its answer is private.
fn is_private(request: &Request) -> bool {
    let headers = request.headers();
    let path = request.uri().path();
    headers.contains_key(header::AUTHORIZATION)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|cookies| {
                cookies
                    .split(';')
                    .any(|c| c.trim_start().starts_with(&format!("{SESSION_COOKIE}=")))
            })
        || path.starts_with("/track")
        || path.starts_with("/api/v1/public/track")
}

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let private = is_private(&request);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if state.secure_cookies {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(STRICT_TRANSPORT_SECURITY));
    }
    if private {
        // A handler that chose a policy (a photo's private caching) keeps it.
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}
