//! The JSON API under /api/v1, documented with utoipa; every route added here appears in
//! /api/openapi.json.

mod divisions;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Workroom API",
        description = "广州市政协委员进社区工作平台的 JSON 接口。错误一律以 {\"error\": {\"code\", \"message\"}} 返回。",
        version = "1"
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags((name = "divisions", description = "行政区划：区、镇（街）、社区（村）"))
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(divisions::router())
}
