//! `/api/v1/public/rooms`: what R8 publishes about work rooms, for anyone (no sign-in).

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::rooms::PublicRoom;
use app::{PublicMember, Room};

use crate::AppState;
use crate::api::calendar::ReceptionDayJson;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_public_rooms))
        .routes(routes!(get_public_room))
        .routes(routes!(coming_reception_days))
}

#[derive(Serialize, ToSchema)]
pub struct PublicRoomJson {
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
    /// The room's public page.
    url: String,
}

impl From<&Room> for PublicRoomJson {
    fn from(room: &Room) -> Self {
        Self {
            id: room.id,
            name: room.name.clone(),
            kind: room.kind.as_str().to_owned(),
            district: room.district_name.clone(),
            street: room.street_name.clone(),
            address: room.address.clone(),
            opening_notes: room.opening_notes.clone(),
            shared_with_liaison: room.shared_with_liaison,
            url: format!("/rooms/{}", room.id),
        }
    }
}

/// A member as R8 publishes: name, photo, employer and position (never the phone number).
#[derive(Serialize, ToSchema)]
pub struct PublicMemberJson {
    name: String,
    /// `national`, `provincial`, `city` or `district`.
    level: String,
    sector: Option<String>,
    employer: Option<String>,
    position: Option<String>,
    /// The member's photo; absent until one is uploaded.
    photo_url: Option<String>,
}

/// A member's published photo; the ETag's start in the query makes a new photo a new URL for caches.
pub(crate) fn photo_url(member_id: i64, etag: &str) -> String {
    format!(
        "/members/{member_id}/photo.jpg?v={}",
        etag.get(..16).unwrap_or(etag)
    )
}

impl From<&PublicMember> for PublicMemberJson {
    fn from(member: &PublicMember) -> Self {
        Self {
            name: member.name.clone(),
            level: member.level.as_str().to_owned(),
            sector: member.sector.clone(),
            employer: member.employer.clone(),
            position: member.position.clone(),
            photo_url: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PublicRoomDetailJson {
    #[serde(flatten)]
    room: PublicRoomJson,
    members: Vec<PublicMemberJson>,
    /// A mobile room's places, in order (empty for other rooms).
    places: Vec<String>,
    /// This year's reception days, each with its reason (R8, R9).
    reception_schedule: Vec<ReceptionDayJson>,
    /// The room's rules in force today (工作室制度).
    rules: Vec<crate::api::room_rules::PublicRuleJson>,
}

impl From<&PublicRoom> for PublicRoomDetailJson {
    fn from(public: &PublicRoom) -> Self {
        Self {
            room: (&public.room).into(),
            members: public
                .members
                .iter()
                .map(|m| {
                    let mut json = PublicMemberJson::from(m);
                    json.photo_url = public.photos.get(&m.id).map(|etag| photo_url(m.id, etag));
                    json
                })
                .collect(),
            places: public.places.clone(),
            reception_schedule: public.schedule.days.iter().map(ReceptionDayJson::from).collect(),
            rules: public.rules.iter().map(Into::into).collect(),
        }
    }
}

/// Every open work room.
#[utoipa::path(get, path = "/api/v1/public/rooms", tag = "public", responses((status = 200, body = Vec<PublicRoomJson>)))]
async fn list_public_rooms(State(state): State<AppState>) -> Result<ApiJson<Vec<PublicRoomJson>>, ApiError> {
    let rooms = state.app.public_rooms().await?;
    Ok(ApiJson(rooms.iter().map(PublicRoomJson::from).collect()))
}

/// One open work room with its members and this year's reception schedule.
#[utoipa::path(
    get, path = "/api/v1/public/rooms/{id}", tag = "public", params(("id" = i64, Path)),
    responses((status = 200, body = PublicRoomDetailJson), (status = 404, body = ErrorBody))
)]
async fn get_public_room(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<PublicRoomDetailJson>, ApiError> {
    Ok(ApiJson((&state.app.public_room(id).await?).into()))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComingParams {
    /// How many days ahead, 1–366 (default 56: eight weeks).
    #[param(minimum = 1, maximum = 366)]
    days: Option<u32>,
}

/// A coming reception day of one room.
#[derive(Serialize, ToSchema)]
pub struct ComingReceptionJson {
    room: PublicRoomJson,
    /// The day to come: the planned session's date when staff have planned it.
    #[serde(flatten)]
    day: ReceptionDayJson,
    /// The planned session: hours, place and members on duty; absent until planned.
    session: Option<PlannedSessionJson>,
}

#[derive(Serialize, ToSchema)]
pub struct PlannedSessionJson {
    starts_at: String,
    ends_at: String,
    place: String,
    /// Members on duty, by name.
    members: Vec<String>,
    /// The printable notice.
    notice_url: String,
}

/// Every open room's reception days from today on, in date order (residents: no sign-in).
#[utoipa::path(
    get, path = "/api/v1/public/reception-days", tag = "public", params(ComingParams),
    responses((status = 200, body = Vec<ComingReceptionJson>), (status = 422, body = ErrorBody))
)]
async fn coming_reception_days(
    State(state): State<AppState>,
    crate::error::ApiQuery(params): crate::error::ApiQuery<ComingParams>,
) -> Result<ApiJson<Vec<ComingReceptionJson>>, ApiError> {
    let days = params.days.unwrap_or(56);
    if !(1..=366).contains(&days) {
        return Err(app::AppError::invalid("days", "days 应在 1–366 之间").into());
    }
    let coming = state.app.coming_reception_days(days).await?;
    Ok(ApiJson(
        coming
            .iter()
            .map(|c| {
                let mut day = ReceptionDayJson::from(&c.day);
                day.date = c.date();
                ComingReceptionJson {
                    room: (&c.room).into(),
                    day,
                    session: c.session.as_ref().map(|s| PlannedSessionJson {
                        starts_at: s.hours.starts_text(),
                        ends_at: s.hours.ends_text(),
                        place: s.place.clone(),
                        members: s.members.iter().map(|m| m.name.clone()).collect(),
                        notice_url: format!("/sessions/{}/notice", s.id),
                    }),
                }
            })
            .collect(),
    ))
}
