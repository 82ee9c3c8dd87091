//! Who is calling: one middleware reads the session cookie or the `Authorization: Bearer` token once
//! per request and leaves the caller in the request's extensions; extractors then demand a caller
//! (401 / redirect to sign-in), the CSRF token for cookie-borne changes, and a changed initial password.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use app::auth::{Authenticated, same_secret};
use app::{Acting, AppError};

use crate::AppState;
use crate::error::ApiError;

/// The cookie holding a browser session's secret.
pub const SESSION_COOKIE: &str = "wr_session";
/// The header carrying the CSRF token on cookie-authenticated API calls that change something.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller's secret arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `Authorization: Bearer`: a browser never adds it by itself, so no CSRF check is needed.
    Bearer,
    /// The session cookie: a browser sends it with cross-site requests too, so changes need the token.
    Cookie,
}

/// The caller of this request, when signed in.
#[derive(Debug, Clone)]
pub struct Caller {
    pub auth: Authenticated,
    pub transport: Transport,
}

impl Caller {
    pub fn acting(&self) -> Acting {
        Acting::Account(self.auth.account.actor())
    }

    pub fn csrf_token(&self) -> &str {
        self.auth.session.csrf_token.as_deref().unwrap_or_default()
    }

    pub fn csrf_matches(&self, presented: &str) -> bool {
        !presented.is_empty() && same_secret(self.csrf_token(), presented)
    }
}

fn secret_of(parts: &Parts) -> Option<(String, Transport)> {
    if let Some(value) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))?;
        return Some((token.trim().to_owned(), Transport::Bearer));
    }
    let jar = CookieJar::from_headers(&parts.headers);
    jar.get(SESSION_COOKIE)
        .map(|c| (c.value().to_owned(), Transport::Cookie))
}

/// Looks the caller up once and stores `Option<Caller>` for the extractors. A database failure here
/// is answered by the handler's own error path (the caller is simply absent), except that API calls
/// presenting a secret get 503 rather than a misleading 401.
pub async fn load_caller(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let mut caller = None;
    if let Some((secret, transport)) = secret_of(&parts) {
        match state.app.authenticate(&secret).await {
            Ok(Some(auth)) => caller = Some(Caller { auth, transport }),
            Ok(None) => {}
            Err(err) => {
                if parts.uri.path().starts_with("/api/") {
                    return ApiError::from(err).into_response();
                }
                tracing::error!(error = %err, "session lookup failed");
            }
        }
    }
    parts.extensions.insert(caller);
    next.run(Request::from_parts(parts, body)).await
}

fn caller_of(parts: &Parts) -> Option<Caller> {
    parts.extensions.get::<Option<Caller>>().cloned().flatten()
}

/// API routes a caller who must still change the initial password may use.
const FIRST_PASSWORD_ROUTES: [&str; 3] = ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];

/// A signed-in API caller. Refuses with 401 when nobody is signed in, 403 when a cookie-borne change
/// lacks the CSRF token, and 403 when the account must first change its initial password.
pub struct ApiCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = caller_of(parts).ok_or(AppError::Unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if caller.transport == Transport::Cookie && !safe {
            let presented = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !caller.csrf_matches(presented) {
                return Err(AppError::Forbidden("缺少或错误的 CSRF 令牌（X-CSRF-Token）".into()).into());
            }
        }
        if caller.auth.account.must_change_password && !FIRST_PASSWORD_ROUTES.contains(&parts.uri.path()) {
            return Err(AppError::Forbidden("请先修改初始密码（POST /api/v1/me/password）".into()).into());
        }
        Ok(Self(caller))
    }
}

/// A signed-in person on a page. Without a session: redirect to the sign-in page and back; with an
/// initial password still to change: redirect to the password page.
pub struct PageCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for PageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let here = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let Some(caller) = caller_of(parts).filter(|c| c.transport == Transport::Cookie) else {
            let target = format!("/login?next={}", urlencode(here));
            return Err(Redirect::to(&target).into_response());
        };
        if caller.auth.account.must_change_password && parts.uri.path() != "/account/password" {
            return Err(Redirect::to("/account/password").into_response());
        }
        Ok(Self(caller))
    }
}

/// The caller if any, for pages that show something extra to signed-in people.
pub fn optional_caller(parts: &Parts) -> Option<Caller> {
    caller_of(parts).filter(|c| c.transport == Transport::Cookie)
}

/// The session cookie for a new sign-in.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(
            domain::identity::session_lifetime().num_seconds(),
        ))
        .build()
}

/// Removes the session cookie.
pub fn cleared_session_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build()
}

/// A local path and query as the value of `?next=`: every byte but unreserved ASCII and `/` escaped.
pub fn urlencode(raw: &str) -> String {
    const KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(raw, KEPT).to_string()
}
