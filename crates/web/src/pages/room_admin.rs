//! The work-room administration page (R6): the rooms of the caller's scope, a form to open one and a form
//! per room to change it or close it. City office and district staff.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::units::{RoomChange, RoomInput};
use app::{AppError, Room};

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "rooms/room_admin.html")]
pub(super) struct RoomAdminPage {
    page: PageContext,
    rooms: Vec<Room>,
    /// Mobile rooms' places, by room id.
    places: std::collections::HashMap<i64, Vec<String>>,
    message: String,
    error: String,
}

async fn render(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    message: String,
    error: String,
) -> Result<RoomAdminPage, PageError> {
    let acting = caller.acting();
    if !app::App::manages_rooms(&acting) {
        return Err(PageError::new(page, app::access::forbidden()));
    }
    let rooms: Vec<Room> = state
        .app
        .rooms_with_actions(&acting)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?
        .into_iter()
        .filter(|r| r.manages)
        .map(|r| r.room)
        .collect();
    let mut places = std::collections::HashMap::new();
    for room in rooms.iter().filter(|r| r.kind == domain::room::RoomKind::Mobile) {
        let list = state
            .app
            .room_places(room.id)
            .await
            .map_err(|err| PageError::new(page.clone(), err))?;
        places.insert(room.id, list);
    }
    Ok(RoomAdminPage {
        page,
        rooms,
        places,
        message,
        error,
    })
}

pub(super) async fn rooms(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<RoomAdminPage, PageError> {
    render(&state, page, &caller, String::new(), String::new()).await
}

async fn after_form(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    result: Result<String, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(message) => Ok(render(state, page, caller, message, String::new())
            .await?
            .into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = render(state, page, caller, String::new(), err.to_string()).await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

fn checked(raw: Option<&str>) -> bool {
    matches!(raw, Some("on" | "true" | "1"))
}

#[derive(Deserialize)]
pub(super) struct NewRoomForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    division_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    opening_notes: String,
    shared_with_liaison: Option<String>,
    receives_monthly: Option<String>,
}

pub(super) async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<NewRoomForm>,
) -> Result<Response, PageError> {
    let input = RoomInput {
        name: form.name,
        kind: form.kind,
        division_code: form.division_code,
        address: form.address,
        opening_notes: Some(form.opening_notes),
        shared_with_liaison: checked(form.shared_with_liaison.as_deref()),
        receives_monthly: checked(form.receives_monthly.as_deref()),
    };
    let result = state.app.create_room(&caller.acting(), &input).await.map(|room| {
        format!(
            "已设立{}（{}{}）。",
            room.name, room.district_name, room.street_name
        )
    });
    after_form(&state, page, &caller, result).await
}

#[derive(Deserialize)]
pub(super) struct EditRoomForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    opening_notes: String,
    shared_with_liaison: Option<String>,
    receives_monthly: Option<String>,
    /// `open` or `closed`.
    #[serde(default)]
    status: String,
}

pub(super) async fn update(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<EditRoomForm>,
) -> Result<Response, PageError> {
    let change = RoomChange {
        name: Some(form.name),
        address: Some(form.address),
        opening_notes: Some(form.opening_notes),
        shared_with_liaison: Some(checked(form.shared_with_liaison.as_deref())),
        receives_monthly: Some(checked(form.receives_monthly.as_deref())),
        open: Some(form.status != "closed"),
    };
    let result = state
        .app
        .update_room(&caller.acting(), id, &change)
        .await
        .map(|room| format!("已保存{}。", room.name));
    after_form(&state, page, &caller, result).await
}

#[derive(Deserialize)]
pub(super) struct PlacesForm {
    #[serde(default)]
    places: String,
}

pub(super) async fn places(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<PlacesForm>,
) -> Result<Response, PageError> {
    let list: Vec<String> = form.places.lines().map(str::to_owned).collect();
    let result = state
        .app
        .set_room_places(&caller.acting(), id, &list)
        .await
        .map(|saved| format!("已保存 {} 个流动接待地点。", saved.len()));
    after_form(&state, page, &caller, result).await
}
