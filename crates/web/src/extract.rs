//! Extractors for pages whose rejections are friendly Chinese error pages rather than axum's plain
//! English text: a form that is too large or malformed, a path segment that is not a number, and the
//! signed-in form whose hidden `csrf` field must be the session's own.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use app::AppError;

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::PageError;
use crate::layout::PageContext;

/// `axum::Form` for pages.
pub struct PageForm<T>(pub T);

impl<T> FromRequest<AppState> for PageForm<T>
where
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (page, bytes) = form_body(request, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| unreadable(&page))
    }
}

/// The page's context and the raw body of a url-encoded form, refused as `axum::Form` refuses it
/// (415 for another content type, 413 over the body limit).
async fn form_body(request: Request, state: &AppState) -> Result<(PageContext, Bytes), Response> {
    let (mut parts, body) = request.into_parts();
    let Ok(page) = PageContext::from_request_parts(&mut parts, state).await;
    match RawForm::from_request(Request::from_parts(parts, body), state).await {
        Ok(RawForm(bytes)) => Ok((page, bytes)),
        Err(rejection) => Err(form_error(page, rejection.status())),
    }
}

/// The page for fields that do not read as the form (a missing required field, a number that is not
/// one), as `axum::Form` would refuse them.
fn unreadable(page: &PageContext) -> Response {
    form_error(page.clone(), StatusCode::BAD_REQUEST)
}

/// The page for a body that is not a usable form, by the status axum's form extractor gives it.
fn form_error(page: PageContext, rejection: StatusCode) -> Response {
    let (status, message) = match rejection {
        StatusCode::PAYLOAD_TOO_LARGE => (StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大，请删减后再试。"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "提交方式不正确，请从页面上的表单提交。",
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            "表单内容不完整或格式有误，请返回重新填写。",
        ),
    };
    let mut response = PageError::new(page, AppError::invalid("form", message)).into_response();
    *response.status_mut() = status;
    response
}

/// What a page says to a form posted with a missing or wrong CSRF token: most often a page left open
/// across a sign-out, so the advice is to reload it.
pub const EXPIRED_PAGE: &str = "页面已过期，请刷新后再试。";

/// A signed-in person's form, read like [`PageForm`] and accepted only when its hidden `csrf` field
/// is the session's token — so no handler checks CSRF itself. `T` leaves the field out. Take
/// `PageCaller` (and any `PagePath`) before it, so a stranger is sent to sign in and a bad path is a
/// 404 before the body is looked at.
pub struct CsrfForm<T>(pub T);

/// Why a [`CsrfForm`] was refused.
pub enum CsrfFormRejection {
    /// Nobody signed in (the redirect to sign-in), or a body that is not a form (the form error page).
    Unusable(Response),
    /// The `csrf` field is missing or not this session's: answered 403 with [`EXPIRED_PAGE`]. A page
    /// that shows the refusal in its own form matches on this.
    WrongToken(PageContext),
}

impl IntoResponse for CsrfFormRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Unusable(response) => response,
            Self::WrongToken(page) => csrf_refused(page).into_response(),
        }
    }
}

/// A form with nothing but its CSRF token: a button such as 退出登录.
#[derive(Deserialize)]
pub struct NoFields {}

/// The hidden field every signed-in page form carries.
#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned,
{
    type Rejection = CsrfFormRejection;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let PageCaller(caller) = PageCaller::from_request_parts(&mut parts, state)
            .await
            .map_err(CsrfFormRejection::Unusable)?;
        let (page, bytes) = form_body(Request::from_parts(parts, body), state)
            .await
            .map_err(CsrfFormRejection::Unusable)?;
        // The body is read once and parsed twice, so `T` needs no `csrf` field of its own.
        let refused = |_| CsrfFormRejection::Unusable(unreadable(&page));
        let value = serde_urlencoded::from_bytes::<T>(&bytes).map_err(refused)?;
        let CsrfField { csrf } = serde_urlencoded::from_bytes(&bytes).map_err(refused)?;
        if !caller.csrf_matches(&csrf) {
            return Err(CsrfFormRejection::WrongToken(page));
        }
        Ok(Self(value))
    }
}

/// The CSRF check of a multipart form (a file upload), which reads its fields itself: `presented` is
/// its `csrf` field. The same refusal as [`CsrfForm`]'s.
#[expect(
    clippy::result_large_err,
    reason = "the error every page handler returns, on a path taken only by a stale or forged form"
)]
pub fn check_upload_csrf(page: &PageContext, caller: &Caller, presented: &str) -> Result<(), PageError> {
    if caller.csrf_matches(presented) {
        Ok(())
    } else {
        Err(csrf_refused(page.clone()))
    }
}

fn csrf_refused(page: PageContext) -> PageError {
    PageError::new(page, AppError::Forbidden(EXPIRED_PAGE.into()))
}

/// `axum::extract::Path` for pages.
pub struct PagePath<T>(pub T);

impl<T> FromRequestParts<AppState> for PagePath<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => {
                let Ok(page) = PageContext::from_request_parts(parts, state).await;
                Err(path_error(page, &rejection))
            }
        }
    }
}

fn path_error(page: PageContext, _rejection: &PathRejection) -> Response {
    let mut response = PageError::new(
        page,
        AppError::NotFound("您要找的页面不存在，可能地址输错了。".into()),
    )
    .into_response();
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
