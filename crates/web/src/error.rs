//! `AppError` mapped to HTTP, once: JSON `{"error":{"code","message"}}` on /api/, a friendly page
//! elsewhere. Extractor rejections (bad JSON, bad query, oversized body) go through the same mapping.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use app::AppError;

use crate::layout::PageContext;

/// The body of every API error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code: invalid_input, not_found, conflict, unauthenticated,
    /// forbidden, rate_limited, payload_too_large, busy, unavailable, internal.
    pub code: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// The input field that is wrong, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Unauthenticated | AppError::InvalidCredentials(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What the user may read: internal failures are logged in full and shown as a plain apology.
fn public_message(err: &AppError) -> String {
    match err {
        AppError::Internal(detail) => {
            tracing::error!(error = %detail, "internal error");
            "系统出现内部错误，已记录，请稍后再试".to_owned()
        }
        AppError::Unavailable(detail) => {
            tracing::error!(error = %detail, "service unavailable");
            "服务暂时不可用，请稍后再试".to_owned()
        }
        other => other.to_string(),
    }
}

/// A form shown again after its use case refused the input (bad input, a conflict, a limit): the
/// error's own status (422, 409, 429…) and, for a limit, `Retry-After`, so no handler works out its
/// own status code.
pub fn form_again(err: &AppError, body: impl IntoResponse) -> Response {
    let mut response = (status_of(err), body).into_response();
    retry_after(err, &mut response);
    response
}

fn retry_after(err: &AppError, response: &mut Response) {
    if let AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } = err
        && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

/// An error answered as JSON (for /api/ routes).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    inner: AppError,
    code_override: Option<&'static str>,
}

impl ApiError {
    fn with_status(status: StatusCode, code: &'static str, message: String) -> Self {
        Self {
            status,
            inner: AppError::Invalid { field: None, message },
            code_override: Some(code),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(inner: AppError) -> Self {
        Self {
            status: status_of(&inner),
            inner,
            code_override: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let field = match &self.inner {
            AppError::Invalid { field, .. } => field.clone(),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code_override.unwrap_or_else(|| self.inner.code()).to_owned(),
                message: public_message(&self.inner),
                field,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        retry_after(&self.inner, &mut response);
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::with_status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体应为 JSON，并带有 Content-Type: application/json".into(),
            ),
            JsonRejection::JsonSyntaxError(err) => Self::with_status(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("JSON 格式错误：{}", err.body_text()),
            ),
            JsonRejection::JsonDataError(err) => Self::with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!("JSON 内容不符合要求：{}", err.body_text()),
            ),
            JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::with_status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "请求体过大".into(),
                )
            }
            other => Self::with_status(other.status(), "bad_request", other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::with_status(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("查询参数有误：{}", rejection.body_text()),
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::with_status(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!("路径参数有误：{}", rejection.body_text()),
        )
    }
}

/// Every `/api/` error answers in the API's JSON shape, also those made before a handler runs or by
/// the framework itself (405 with its `Allow`, 413 from a multipart or byte-stream limit, a 503
/// timeout), which would otherwise be plain text or empty.
pub async fn api_errors_as_json(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "此地址不支持这种请求方法".to_owned()),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "请求体过大".to_owned()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "请求体的格式不受支持".to_owned()),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "服务暂时不可用，请稍后再试".to_owned()),
        StatusCode::INTERNAL_SERVER_ERROR => ("internal", "系统出现内部错误，已记录，请稍后再试".to_owned()),
        other => ("bad_request", format!("请求有误（{}）", other.as_u16())),
    };
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message,
            field: None,
        },
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(
        parts,
        axum::body::Body::from(serde_json::to_vec(&body).unwrap_or_default()),
    )
}

/// `axum::Json` whose rejections answer in the API's error format.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejections answer in the API's error format.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` whose rejections answer in the API's error format.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The friendly error page.
#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    title: String,
    message: String,
}

/// An error answered as a page (for everything outside /api/).
pub struct PageError {
    page: PageContext,
    inner: AppError,
}

impl PageError {
    pub fn new(page: PageContext, inner: AppError) -> Self {
        Self { page, inner }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = status_of(&self.inner);
        let title = match status {
            StatusCode::NOT_FOUND => "找不到这个页面",
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "填写的内容有误",
            StatusCode::TOO_MANY_REQUESTS => "操作太频繁",
            StatusCode::FORBIDDEN => "没有权限",
            StatusCode::SERVICE_UNAVAILABLE => "服务暂时不可用",
            _ => "出错了",
        };
        let message = public_message(&self.inner);
        let mut response = (
            status,
            ErrorPage {
                page: self.page,
                title: title.into(),
                message,
            },
        )
            .into_response();
        retry_after(&self.inner, &mut response);
        response
    }
}
