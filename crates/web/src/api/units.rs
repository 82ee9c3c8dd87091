//! `/api/v1/departments` and `/api/v1/rooms`: lists in the caller's scope.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::{Department, Room};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments))
        .routes(routes!(list_rooms, create_room))
        .routes(routes!(update_room))
        .routes(routes!(set_room_places))
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
    opening_notes: Option<String>,
    /// Shared with the Party-representative and NPC-deputy liaison station.
    shared_with_liaison: bool,
    /// Receives every month rather than in odd months only.
    receives_monthly: bool,
    /// False once the room is closed.
    open: bool,
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
            opening_notes: r.opening_notes.clone(),
            shared_with_liaison: r.shared_with_liaison,
            receives_monthly: r.receives_monthly,
            open: r.open,
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

#[derive(Deserialize, ToSchema)]
pub struct NewRoomJson {
    #[schema(example = "人民街政协委员工作室")]
    name: String,
    /// `fixed`, `mobile` or `online`.
    kind: String,
    /// The official code of the town/street (9 digits) or community (12 digits) where the room is.
    #[schema(example = "440104003")]
    division_code: String,
    address: String,
    opening_notes: Option<String>,
    #[serde(default)]
    shared_with_liaison: bool,
    #[serde(default)]
    receives_monthly: bool,
}

/// Opens a work room (R6): the city office anywhere, district staff in their district.
#[utoipa::path(
    post, path = "/api/v1/rooms", tag = "organisation", request_body = NewRoomJson,
    responses(
        (status = 201, body = RoomJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn create_room(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewRoomJson>,
) -> Result<(StatusCode, ApiJson<RoomJson>), ApiError> {
    let input = app::units::RoomInput {
        name: body.name,
        kind: body.kind,
        division_code: body.division_code,
        address: body.address,
        opening_notes: body.opening_notes,
        shared_with_liaison: body.shared_with_liaison,
        receives_monthly: body.receives_monthly,
    };
    let room = state.app.create_room(&caller.acting(), &input).await?;
    Ok((StatusCode::CREATED, ApiJson((&room).into())))
}

#[derive(Deserialize, ToSchema)]
pub struct RoomChangeJson {
    name: Option<String>,
    address: Option<String>,
    /// An empty string clears the notes.
    opening_notes: Option<String>,
    shared_with_liaison: Option<bool>,
    receives_monthly: Option<bool>,
    /// False closes the room (it leaves the public lists); true reopens it.
    open: Option<bool>,
}

/// Changes a room's record, or closes or reopens it (the city office; district staff in their district).
#[utoipa::path(
    patch, path = "/api/v1/rooms/{id}", tag = "organisation", params(("id" = i64, Path)), request_body = RoomChangeJson,
    responses(
        (status = 200, body = RoomJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn update_room(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoomChangeJson>,
) -> Result<ApiJson<RoomJson>, ApiError> {
    let change = app::units::RoomChange {
        name: body.name,
        address: body.address,
        opening_notes: body.opening_notes,
        shared_with_liaison: body.shared_with_liaison,
        receives_monthly: body.receives_monthly,
        open: body.open,
    };
    let room = state.app.update_room(&caller.acting(), id, &change).await?;
    Ok(ApiJson((&room).into()))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct RoomPlacesJson {
    /// The places in order; planned sessions take them in turn.
    #[schema(example = json!(["赤岗街道党群服务中心", "聚德社区居委会"]))]
    places: Vec<String>,
}

/// Sets the places a mobile room receives at (流动工作室), in order (the city office; district staff in
/// their district).
#[utoipa::path(
    put, path = "/api/v1/rooms/{id}/places", tag = "organisation", params(("id" = i64, Path)), request_body = RoomPlacesJson,
    responses(
        (status = 200, body = RoomPlacesJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
async fn set_room_places(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoomPlacesJson>,
) -> Result<ApiJson<RoomPlacesJson>, ApiError> {
    let places = state
        .app
        .set_room_places(&caller.acting(), id, &body.places)
        .await?;
    Ok(ApiJson(RoomPlacesJson { places }))
}
