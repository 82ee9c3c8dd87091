//! `/api/v1/staffing`: the R7 staffing report and the district conveners.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::staffing::StaffingReport;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staffing))
        .routes(routes!(add_convener))
        .routes(routes!(remove_convener))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffingParams {
    /// A district's 6-digit code; without it, every district the caller may see.
    district: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConvenerJson {
    id: i64,
    /// `cppcc_chair` (区政协主席) or `ufwd_head` (区委统战部部长).
    title: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct FindingJson {
    /// convener_missing, convener_excess, street_lead_missing, street_lead_excess,
    /// room_staff_missing or room_staff_excess.
    kind: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct StaffingJson {
    district: String,
    district_code: String,
    conveners: Vec<ConvenerJson>,
    streets: usize,
    streets_with_lead: usize,
    rooms: usize,
    rooms_staffed: usize,
    /// Every gap and excess; empty when the district is staffed as R7 requires.
    findings: Vec<FindingJson>,
}

impl From<&StaffingReport> for StaffingJson {
    fn from(report: &StaffingReport) -> Self {
        Self {
            district: report.staffing.district.clone(),
            district_code: report.district_code.clone(),
            conveners: report
                .conveners
                .iter()
                .map(|c| ConvenerJson {
                    id: c.id,
                    title: c.title.as_str().to_owned(),
                    name: c.name.clone(),
                })
                .collect(),
            streets: report.staffing.streets.len(),
            streets_with_lead: report.streets_with_lead(),
            rooms: report.staffing.rooms.len(),
            rooms_staffed: report.rooms_staffed(),
            findings: report
                .findings
                .iter()
                .map(|f| FindingJson {
                    kind: serde_json::to_value(f)
                        .ok()
                        .and_then(|v| v["kind"].as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    message: f.message_zh(),
                })
                .collect(),
        }
    }
}

/// Staffing against R7: 2 conveners per district, 1 lead per town/street, 1 staff per room.
#[utoipa::path(
    get, path = "/api/v1/staffing", tag = "staffing", params(StaffingParams),
    responses((status = 200, body = Vec<StaffingJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn staffing(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<StaffingParams>,
) -> Result<ApiJson<Vec<StaffingJson>>, ApiError> {
    let reports = state
        .app
        .staffing(&caller.acting(), params.district.as_deref())
        .await?;
    Ok(ApiJson(reports.iter().map(StaffingJson::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewConvenerJson {
    #[schema(example = "440104")]
    district: String,
    #[schema(example = "cppcc_chair")]
    title: String,
    name: String,
}

/// Records a district convener.
#[utoipa::path(
    post, path = "/api/v1/staffing/conveners", tag = "staffing", request_body = NewConvenerJson,
    responses((status = 201, body = ConvenerJson), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn add_convener(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(input): ApiJson<NewConvenerJson>,
) -> Result<(StatusCode, ApiJson<ConvenerJson>), ApiError> {
    let c = state
        .app
        .add_convener(&caller.acting(), &input.district, &input.title, &input.name)
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ConvenerJson {
            id: c.id,
            title: c.title.as_str().to_owned(),
            name: c.name,
        }),
    ))
}

/// Removes a convener record (e.g. after a change of office).
#[utoipa::path(
    delete, path = "/api/v1/staffing/conveners/{id}", tag = "staffing", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn remove_convener(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_convener(&caller.acting(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
