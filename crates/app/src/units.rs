//! Departments and work rooms as lists in the caller's scope.

use store::units::{Department, Room};

use domain::authz::{Action, Place};

use crate::access::{Acting, room_place};
use crate::{App, AppError};

impl App {
    /// Departments the caller deals with (scope-filtered in the store).
    pub async fn departments(&self, acting: &Acting) -> Result<Vec<Department>, AppError> {
        Ok(self.store().departments_in_scope(&acting.scope()).await?)
    }

    /// Work rooms in the caller's scope (scope-filtered in the store).
    pub async fn rooms(&self, acting: &Acting) -> Result<Vec<Room>, AppError> {
        Ok(self.store().rooms_in_scope(&acting.scope()).await?)
    }

    /// Work rooms in the caller's scope, each with what the caller may do in it, so pages offer
    /// exactly what the use cases will allow.
    pub async fn rooms_with_actions(&self, acting: &Acting) -> Result<Vec<RoomActions>, AppError> {
        Ok(self
            .rooms(acting)
            .await?
            .into_iter()
            .map(|room| {
                let place = room_place(&room);
                RoomActions {
                    keeps_sessions: acting.may(Action::ManageSessions, &place),
                    records_activities: acting.may(Action::RecordActivities, &place),
                    manages: acting.may(Action::ManageRooms, &Place::district(room.district_id)),
                    room,
                }
            })
            .collect())
    }

    /// Whether the caller opens, changes and closes rooms (the city, or a district for its own).
    pub fn manages_rooms(acting: &Acting) -> bool {
        acting.may(Action::ManageRooms, &acting.scope().place())
    }
}

/// A room and what the caller may do in it.
#[derive(Debug, Clone)]
pub struct RoomActions {
    pub room: Room,
    /// Plans and changes its reception sessions (接待日安排).
    pub keeps_sessions: bool,
    /// Records and confirms its activities and registers its visitors.
    pub records_activities: bool,
    /// Changes, closes or reopens the room itself.
    pub manages: bool,
}

/// A room as typed on the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RoomInput {
    pub name: String,
    /// `fixed`, `mobile` or `online`.
    pub kind: String,
    /// The town/street, or a community in it, where the room is (official code).
    pub division_code: String,
    pub address: String,
    pub opening_notes: Option<String>,
    pub shared_with_liaison: bool,
    pub receives_monthly: bool,
}

/// A change to a room; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct RoomChange {
    pub name: Option<String>,
    pub address: Option<String>,
    pub opening_notes: Option<String>,
    pub shared_with_liaison: Option<bool>,
    pub receives_monthly: Option<bool>,
    pub open: Option<bool>,
}

fn room_name(raw: &str) -> Result<String, AppError> {
    let name =
        domain::text::single_line(raw, 60).map_err(|err| AppError::invalid("name", format!("名称{err}")))?;
    if name.chars().count() < 2 {
        return Err(AppError::invalid("name", "名称至少 2 个字"));
    }
    Ok(name)
}

fn room_address(raw: &str) -> Result<String, AppError> {
    domain::text::single_line(raw, 200).map_err(|err| AppError::invalid("address", format!("地址{err}")))
}

fn room_notes(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.map(str::trim).filter(|n| !n.is_empty()) {
        Some(notes) => domain::text::single_line(notes, 200)
            .map(Some)
            .map_err(|err| AppError::invalid("opening_notes", format!("开放说明{err}"))),
        None => Ok(None),
    }
}

impl App {
    /// Opens a work room (R6) in a town/street (or one of its communities): the city anywhere, district
    /// staff in their district. A second room of the same name in the district is refused.
    pub async fn create_room(&self, acting: &Acting, input: &RoomInput) -> Result<Room, AppError> {
        let name = room_name(&input.name)?;
        let kind = domain::room::RoomKind::parse(input.kind.trim()).ok_or_else(|| {
            AppError::invalid("kind", "类型应为 fixed（固定）、mobile（流动）或 online（网上）")
        })?;
        let address = room_address(&input.address)?;
        let notes = room_notes(input.opening_notes.as_deref())?;
        let code = crate::divisions::parse_code("division_code", input.division_code.trim())?;
        if !matches!(
            code.level(),
            domain::org::DivisionLevel::Street | domain::org::DivisionLevel::Community
        ) {
            return Err(AppError::invalid(
                "division_code",
                "请填写工作室所在镇（街）或社区（村）的代码（9 或 12 位）",
            ));
        }
        let at = self
            .store()
            .division_ids(&code)
            .await?
            .ok_or_else(|| AppError::invalid("division_code", format!("区划 {code} 不存在")))?;
        acting.require(
            domain::authz::Action::ManageRooms,
            &domain::authz::Place {
                district_id: Some(at.district_id),
                ..domain::authz::Place::default()
            },
        )?;
        let new = store::units::NewRoom {
            name: &name,
            kind,
            at,
            address: &address,
            opening_notes: notes.as_deref(),
            shared_with_liaison: input.shared_with_liaison,
            receives_monthly: input.receives_monthly,
        };
        self.store()
            .create_room(&acting.who(), &new, self.clock().now())
            .await
            .map_err(|err| room_name_in_use(err, &name))
    }

    /// Changes a room's record, or closes or reopens it.
    pub async fn update_room(&self, acting: &Acting, id: i64, change: &RoomChange) -> Result<Room, AppError> {
        let scope = acting.scope();
        let before = self
            .store()
            .room(id)
            .await?
            .ok_or_else(|| crate::access::not_visible(&scope, "工作室"))?;
        acting.require(
            domain::authz::Action::ManageRooms,
            &domain::authz::Place {
                district_id: Some(before.district_id),
                ..domain::authz::Place::default()
            },
        )?;
        let after = store::units::RoomRecord {
            name: match &change.name {
                Some(raw) => room_name(raw)?,
                None => before.name.clone(),
            },
            address: match &change.address {
                Some(raw) => room_address(raw)?,
                None => before.address.clone(),
            },
            opening_notes: match &change.opening_notes {
                Some(raw) => room_notes(Some(raw))?,
                None => before.opening_notes.clone(),
            },
            shared_with_liaison: change.shared_with_liaison.unwrap_or(before.shared_with_liaison),
            receives_monthly: change.receives_monthly.unwrap_or(before.receives_monthly),
            open: change.open.unwrap_or(before.open),
        };
        self.store()
            .update_room(&acting.who(), &before, &after, self.clock().now())
            .await
            .map_err(|err| room_name_in_use(err, &after.name))
    }
}

/// A district's rooms have distinct names; the database's unique index decides, so two requests
/// taking the same name at once cannot both succeed.
fn room_name_in_use(err: store::StoreError, name: &str) -> AppError {
    match err {
        store::StoreError::Duplicate(_) => AppError::Conflict(format!("本区已有名为「{name}」的工作室")),
        other => other.into(),
    }
}

impl App {
    /// Sets the places a mobile room receives at, in order (R6: 流动工作室); planned sessions take them in
    /// turn. At most 24, each a line of up to 200 characters.
    pub async fn set_room_places(
        &self,
        acting: &Acting,
        id: i64,
        places: &[String],
    ) -> Result<Vec<String>, AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(id)
            .await?
            .ok_or_else(|| crate::access::not_visible(&scope, "工作室"))?;
        acting.require(
            domain::authz::Action::ManageRooms,
            &domain::authz::Place {
                district_id: Some(room.district_id),
                ..domain::authz::Place::default()
            },
        )?;
        if room.kind != domain::room::RoomKind::Mobile {
            return Err(AppError::invalid("places", "只有流动工作室需要登记接待地点"));
        }
        let places: Vec<String> = places
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                domain::text::single_line(p, 200)
                    .map_err(|err| AppError::invalid("places", format!("接待地点{err}")))
            })
            .collect::<Result<_, _>>()?;
        if places.len() > 24 {
            return Err(AppError::invalid("places", "接待地点最多 24 个"));
        }
        self.store()
            .set_room_places(&acting.who(), &room, &places, self.clock().now())
            .await?;
        Ok(places)
    }

    /// A room's places, in order (public: where a mobile room goes).
    pub async fn room_places(&self, id: i64) -> Result<Vec<String>, AppError> {
        Ok(self.store().room_places(id).await?)
    }
}
