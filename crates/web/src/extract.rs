//! Extractors for pages whose rejections are friendly Chinese error pages rather than axum's plain
//! English text: a form that is too large or malformed, a path segment that is not a number.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use app::AppError;

use crate::error::PageError;
use crate::layout::PageContext;

/// `axum::Form` for pages.
pub struct PageForm<T>(pub T);

impl<S, T> FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Ok(page) = PageContext::from_request_parts(&mut parts, state).await;
        let request = Request::from_parts(parts, body);
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Self(value)),
            Err(rejection) => Err(form_error(page, &rejection)),
        }
    }
}

fn form_error(page: PageContext, rejection: &FormRejection) -> Response {
    let (status, message) = match rejection.status() {
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

/// `axum::extract::Path` for pages.
pub struct PagePath<T>(pub T);

impl<S, T> FromRequestParts<S> for PagePath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
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
