//! Public disclosure of work rooms (R8): each open room with the members who serve in it — name,
//! employer and position, never a phone number.

use domain::org::DivisionLevel;
use store::units::{PublicMember, Room};

use crate::divisions::parse_code;
use crate::{App, AppError};

/// A room as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicRoom {
    pub room: Room,
    pub members: Vec<PublicMember>,
    /// This year's reception days (R8: the annual schedule is published).
    pub schedule: domain::calendar::ReceptionYear,
    /// Members' photo ETags, by member id (members without a photo are absent).
    pub photos: std::collections::HashMap<i64, String>,
    /// A mobile room's places, in order.
    pub places: Vec<String>,
    /// The room's rules in force today (工作室制度上墙).
    pub rules: Vec<crate::room_rules::PublicRule>,
}

impl App {
    /// Every open room, by district and street.
    pub async fn public_rooms(&self) -> Result<Vec<Room>, AppError> {
        Ok(self.store().public_rooms().await?)
    }

    /// One open room with its members; 404 for a closed or unknown room.
    pub async fn public_room(&self, id: i64) -> Result<PublicRoom, AppError> {
        let room = self
            .store()
            .room(id)
            .await?
            .filter(|room| room.open)
            .ok_or_else(|| AppError::NotFound("没有这个工作室，或它已停止接待".into()))?;
        let members = self.store().room_members(room.id).await?;
        let year = chrono::Datelike::year(&self.clock().today());
        let schedule = self.room_reception_days(room.id, year).await?.days;
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let photos = self.store().member_photo_etags(&ids).await?;
        let places = self.store().room_places(room.id).await?;
        let rules = self.rules_in_force(room.id).await?;
        Ok(PublicRoom {
            room,
            members,
            schedule,
            photos,
            places,
            rules,
        })
    }

    /// The members serving in a room, as its public page lists them (R8: public, so no scope check).
    pub async fn serving_members(&self, room_id: i64) -> Result<Vec<PublicMember>, AppError> {
        Ok(self.store().room_members(room_id).await?)
    }

    /// The open rooms of the town/street a division belongs to (the street itself, or a community's).
    pub async fn rooms_serving(&self, code: &str) -> Result<Vec<Room>, AppError> {
        let code = parse_code("code", code)?;
        if !matches!(code.level(), DivisionLevel::Street | DivisionLevel::Community) {
            return Ok(Vec::new());
        }
        let Some(ids) = self.store().division_ids(&code).await? else {
            return Ok(Vec::new());
        };
        match ids.street_id {
            Some(street_id) => Ok(self.store().public_rooms_in_street(street_id).await?),
            None => Ok(Vec::new()),
        }
    }
}
