//! `/api/v1/divisions`: the organisation tree, public.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::{DivisionDetail, DivisionMatch};
use domain::org::{Division, NameRecord};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_divisions, add_division))
        .routes(routes!(rename_division))
        .routes(routes!(search_divisions))
        .routes(routes!(get_division))
}

/// One division of the tree.
#[derive(Serialize, ToSchema)]
pub struct DivisionJson {
    /// Official statistical division code (统计用区划代码).
    #[schema(example = "440104001")]
    code: String,
    #[schema(example = "洪桥街道")]
    name: String,
    /// `city`, `district`, `street` (town or street) or `community` (residents' or villagers' committee).
    #[schema(example = "street")]
    level: String,
    /// Finer kind: street, town, town_like, residents_committee, villagers_committee, committee_like, …
    #[schema(example = "street")]
    kind: String,
    /// Code of the division above; absent for 广州市.
    parent_code: Option<String>,
    /// Number of divisions directly below.
    child_count: u64,
}

impl From<&Division> for DivisionJson {
    fn from(division: &Division) -> Self {
        Self {
            code: division.code.to_string(),
            name: division.name.clone(),
            level: division.code.level().as_str().to_owned(),
            kind: serde_json::to_value(division.code.kind())
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            parent_code: division.code.parent().map(String::from),
            child_count: division.child_count,
        }
    }
}

/// A name the division held and the dates it held it.
#[derive(Serialize, ToSchema)]
pub struct NameRecordJson {
    name: String,
    /// First day the name held.
    valid_from: String,
    /// First day it no longer held; absent for the current name.
    valid_until: Option<String>,
    note: Option<String>,
}

impl From<&NameRecord> for NameRecordJson {
    fn from(record: &NameRecord) -> Self {
        Self {
            name: record.name.clone(),
            valid_from: record.valid_from.to_string(),
            valid_until: record.valid_until.map(|d| d.to_string()),
            note: record.note.clone(),
        }
    }
}

/// A division with its place in the tree and its name history.
#[derive(Serialize, ToSchema)]
pub struct DivisionDetailJson {
    #[serde(flatten)]
    division: DivisionJson,
    /// From 广州市 down to the direct parent.
    ancestors: Vec<DivisionJson>,
    /// Oldest first.
    names: Vec<NameRecordJson>,
}

impl From<&DivisionDetail> for DivisionDetailJson {
    fn from(detail: &DivisionDetail) -> Self {
        Self {
            division: (&detail.division).into(),
            ancestors: detail.ancestors.iter().map(DivisionJson::from).collect(),
            names: detail.names.iter().map(NameRecordJson::from).collect(),
        }
    }
}

/// A search hit and the district/town above it.
#[derive(Serialize, ToSchema)]
pub struct DivisionMatchJson {
    #[serde(flatten)]
    division: DivisionJson,
    /// District then town/street above the hit.
    path: Vec<DivisionJson>,
}

impl From<&DivisionMatch> for DivisionMatchJson {
    fn from(hit: &DivisionMatch) -> Self {
        Self {
            division: (&hit.division).into(),
            path: hit.path.iter().map(DivisionJson::from).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChildrenParams {
    /// Code of the division whose children to list; without it, 广州市's 11 districts.
    parent: Option<String>,
}

/// The children of a division (without `parent`: Guangzhou's districts), ordered by code.
#[utoipa::path(
    get, path = "/api/v1/divisions", tag = "divisions", params(ChildrenParams),
    responses(
        (status = 200, description = "The children", body = Vec<DivisionJson>),
        (status = 404, description = "No division has that code", body = ErrorBody),
        (status = 422, description = "The code is malformed", body = ErrorBody),
    )
)]
async fn list_divisions(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ChildrenParams>,
) -> Result<ApiJson<Vec<DivisionJson>>, ApiError> {
    let children = state.app.division_children(params.parent.as_deref()).await?;
    Ok(ApiJson(children.iter().map(DivisionJson::from).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Part of a name (e.g. 洪桥) or the start of a code (e.g. 440104).
    #[param(max_length = 40)]
    q: String,
}

/// Divisions whose name contains `q` or whose code starts with it; at most 50, districts and
/// towns/streets first.
#[utoipa::path(
    get, path = "/api/v1/divisions/search", tag = "divisions", params(SearchParams),
    responses(
        (status = 200, description = "Matches", body = Vec<DivisionMatchJson>),
        (status = 400, description = "`q` is missing", body = ErrorBody),
        (status = 422, description = "`q` is too long or has control characters", body = ErrorBody),
    )
)]
async fn search_divisions(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<ApiJson<Vec<DivisionMatchJson>>, ApiError> {
    let hits = state.app.search_divisions(&params.q).await?;
    Ok(ApiJson(hits.iter().map(DivisionMatchJson::from).collect()))
}

/// One division with its ancestors and every name it has held.
#[utoipa::path(
    get, path = "/api/v1/divisions/{code}", tag = "divisions",
    params(("code" = String, Path, description = "Official division code", example = "440104001")),
    responses(
        (status = 200, description = "The division", body = DivisionDetailJson),
        (status = 404, description = "No division has that code", body = ErrorBody),
        (status = 422, description = "The code is malformed", body = ErrorBody),
    )
)]
async fn get_division(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<ApiJson<DivisionDetailJson>, ApiError> {
    let detail = state.app.division(&code).await?;
    Ok(ApiJson((&detail).into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewDivisionJson {
    /// The district (for a new town/street) or town/street (for a new community).
    #[schema(example = "440104001")]
    parent_code: String,
    /// Its official code, numbered under the parent.
    #[schema(example = "440104001099")]
    code: String,
    #[schema(example = "新设社区居委会")]
    name: String,
    /// First day it exists (YYYY-MM-DD); default today.
    valid_from: Option<String>,
    /// The basis, e.g. the approval's document number.
    note: Option<String>,
}

/// Adds a town/street or community (city general office anywhere; district staff in their district).
#[utoipa::path(
    post, path = "/api/v1/divisions", tag = "divisions", request_body = NewDivisionJson,
    responses(
        (status = 201, body = DivisionJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The code or the name under that parent is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn add_division(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(input): ApiJson<NewDivisionJson>,
) -> Result<(axum::http::StatusCode, ApiJson<DivisionJson>), ApiError> {
    let input = app::divisions::NewDivision {
        parent_code: input.parent_code,
        code: input.code,
        name: input.name,
        valid_from: input.valid_from,
        note: input.note,
    };
    let division = state.app.add_division(&caller.acting(), &input).await?;
    Ok((axum::http::StatusCode::CREATED, ApiJson((&division).into())))
}

#[derive(Deserialize, ToSchema)]
pub struct RenameJson {
    name: String,
    /// First day of the new name (YYYY-MM-DD, after the current name began); default today.
    valid_from: Option<String>,
    note: Option<String>,
}

/// Renames a division from a date; earlier names stay in its history.
#[utoipa::path(
    post, path = "/api/v1/divisions/{code}/rename", tag = "divisions", request_body = RenameJson,
    params(("code" = String, Path, description = "Official division code")),
    responses(
        (status = 200, body = DivisionDetailJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn rename_division(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<RenameJson>,
) -> Result<ApiJson<DivisionDetailJson>, ApiError> {
    let input = app::divisions::Rename {
        code,
        name: input.name,
        valid_from: input.valid_from,
        note: input.note,
    };
    let detail = state.app.rename_division(&caller.acting(), &input).await?;
    Ok(ApiJson((&detail).into()))
}
