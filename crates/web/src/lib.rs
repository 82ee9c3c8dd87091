//! HTTP for people and machines: server-rendered pages, the `/api/v1` JSON API with its OpenAPI
//! document, health and metrics. Handlers are thin: parse, call one use case, render.

mod api;
mod auth;
mod charts;
pub mod client;
mod download;
mod error;
mod extract;
mod layout;
mod observability;
mod pages;
mod security;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ErrorBody};

/// Largest request body accepted (form posts and JSON); uploads get their own limits later.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;
/// A request still running after this is answered 503 and dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: app::App,
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// The address residents reach the server at (for QR codes and feed links).
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`client::ClientAddr`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// How the HTTP surface is configured.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub secure_cookies: bool,
    /// `--public-url`, or else the address the server listens on.
    pub public_url: String,
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// The whole HTTP surface: pages, API, health and metrics, with the shared layers.
pub fn router(app: app::App, config: WebConfig) -> Router {
    let state = AppState {
        app,
        secure_cookies: config.secure_cookies,
        public_url: config.public_url,
        trusted_proxies: config.trusted_proxies,
    };
    let request_id = HeaderName::from_static("x-request-id");
    let (api_router, mut openapi) = api::router().split_for_parts();
    api::document_common_errors(&mut openapi);
    let next_year = chrono::Datelike::year(&state.app.clock().today()) + 1;
    let missed = api::patterns::apply(&mut openapi, next_year);
    debug_assert!(missed.is_empty(), "patterns without their field: {missed:?}");
    let openapi_json = openapi.to_pretty_json().expect("the OpenAPI document serialises");

    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    openapi_json.clone(),
                )
            }),
        )
        .merge(observability::router())
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::load_caller,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(observability::track))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(error::api_errors_as_json))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(observability::make_span))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Unknown paths: JSON under /api/, a page elsewhere.
async fn fallback(page: layout::PageContext, uri: axum::http::Uri) -> axum::response::Response {
    let err = app::AppError::NotFound(format!("没有这个地址：{}", uri.path()));
    if uri.path().starts_with("/api/") {
        ApiError::from(err).into_response()
    } else {
        error::PageError::new(
            page,
            app::AppError::NotFound("您要找的页面不存在，可能地址输错了或已被移走。".into()),
        )
        .into_response()
    }
}
