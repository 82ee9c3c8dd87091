//! `/api/v1/departments` and `/api/v1/rooms`: lists in the caller's scope.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::{Department, Room};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments))
        .routes(routes!(list_rooms))
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentJson {
    id: i64,
    name: String,
    /// `street` or `district`.
    level: String,
    /// `functional` or `petition`.
    kind: String,
    district: String,
    street: Option<String>,
}

impl From<&Department> for DepartmentJson {
    fn from(d: &Department) -> Self {
        Self {
            id: d.id,
            name: d.name.clone(),
            level: d.level.as_str().to_owned(),
            kind: d.kind.as_str().to_owned(),
            district: d.district_name.clone(),
            street: d.street_name.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomJson {
    id: i64,
    name: String,
    /// `fixed`, `mobile` or `online`.
    kind: String,
    district: String,
    street: String,
    address: String,
}

impl From<&Room> for RoomJson {
    fn from(r: &Room) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind.as_str().to_owned(),
            district: r.district_name.clone(),
            street: r.street_name.clone(),
            address: r.address.clone(),
        }
    }
}

/// Departments the caller deals with: the whole city's, a district's, a town/street's own and its
/// district's; a department sees itself; a member none.
#[utoipa::path(
    get, path = "/api/v1/departments", tag = "organisation",
    responses((status = 200, body = Vec<DepartmentJson>), (status = 401, body = ErrorBody))
)]
async fn list_departments(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<DepartmentJson>>, ApiError> {
    let departments = state.app.departments(&caller.acting()).await?;
    Ok(ApiJson(departments.iter().map(DepartmentJson::from).collect()))
}

/// Work rooms in the caller's scope; a member sees the rooms they serve in; a department none.
#[utoipa::path(
    get, path = "/api/v1/rooms", tag = "organisation",
    responses((status = 200, body = Vec<RoomJson>), (status = 401, body = ErrorBody))
)]
async fn list_rooms(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<RoomJson>>, ApiError> {
    let rooms = state.app.rooms(&caller.acting()).await?;
    Ok(ApiJson(rooms.iter().map(RoomJson::from).collect()))
}
