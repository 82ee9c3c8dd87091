//! Concentrated opinions (X6): `GET /api/v1/insights/clusters` and the draft social-conditions report as
//! a Word document.

use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::insights::ConcentratedOpinions;

use super::activities::YearParams;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(clusters))
        .routes(routes!(draft_docx))
}

#[derive(Serialize, ToSchema)]
pub struct DraftJson {
    title: String,
    /// Three parts (基本情况, 原因分析, 意见建议), one paragraph a line.
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClusterJson {
    size: usize,
    opinion_ids: Vec<i64>,
    /// The matter in words a member would write (加装电梯).
    matter: String,
    keywords: Vec<String>,
    rooms: Vec<String>,
    first_received: NaiveDate,
    last_received: NaiveDate,
    /// A few of the opinions in the residents' words (no names, phones or communities).
    excerpts: Vec<String>,
    /// A draft 社情民意信息 to start from.
    draft: DraftJson,
}

impl From<ConcentratedOpinions> for ClusterJson {
    fn from(c: ConcentratedOpinions) -> Self {
        Self {
            size: c.opinion_ids.len(),
            opinion_ids: c.opinion_ids,
            matter: c.matter,
            keywords: c.keywords,
            rooms: c.rooms,
            first_received: c.first_received,
            last_received: c.last_received,
            excerpts: c.excerpts,
            draft: DraftJson {
                title: c.draft_title,
                text: c.draft_text,
            },
        }
    }
}

/// Concentrated opinions of the year in the caller's scope (a member: the rooms they serve), largest
/// group first: similar opinions across rooms and months, found by Chinese word segmentation.
/// Departments: 403.
#[utoipa::path(
    get, path = "/api/v1/insights/clusters", tag = "opinions", params(YearParams),
    responses(
        (status = 200, body = Vec<ClusterJson>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn clusters(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<ApiJson<Vec<ClusterJson>>, ApiError> {
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    let groups = state.app.concentrated_opinions(&caller.acting(), year).await?;
    Ok(ApiJson(groups.into_iter().map(ClusterJson::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct DraftRequestJson {
    title: String,
    text: String,
}

/// A draft social-conditions report (社情民意信息), as edited, as a Word document in official-document
/// layout.
#[utoipa::path(
    post, path = "/api/v1/insights/social-report.docx", tag = "opinions", request_body = DraftRequestJson,
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn draft_docx(
    ApiCaller(caller): ApiCaller,
    ApiJson(draft): ApiJson<DraftRequestJson>,
) -> Result<Response, ApiError> {
    let bytes = app::App::social_report_docx(&caller.acting(), &draft.title, &draft.text)?;
    Ok(crate::download::docx("social-report.docx", bytes))
}
