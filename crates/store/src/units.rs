//! The places people work from: departments, work rooms and members, as far as identity and scopes
//! need them (their full records come with the members-and-rooms feature).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::authz::Scope;
use domain::department::{DepartmentKind, DepartmentLevel};
use domain::member::MemberLevel;
use domain::org::{DivisionCode, DivisionLevel};
use domain::room::RoomKind;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{department, division, member, room, room_member};
use crate::error::{corrupt, stored};
use crate::scope::{PlaceColumns, place_condition};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub level: DepartmentLevel,
    pub kind: DepartmentKind,
    pub district_id: i64,
    pub district_name: String,
    pub street_id: Option<i64>,
    pub street_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub kind: RoomKind,
    pub district_id: i64,
    pub district_name: String,
    pub street_id: i64,
    pub street_name: String,
    pub address: String,
    pub opening_notes: Option<String>,
    /// Shared with the Party-representative and NPC-deputy liaison station (两代表一委员联络站).
    pub shared_with_liaison: bool,
    pub open: bool,
    /// Receives the public every month rather than in odd months only (R9: 有条件的可每月接待).
    pub receives_monthly: bool,
}

/// The editable part of a room's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    pub name: String,
    pub address: String,
    pub opening_notes: Option<String>,
    pub shared_with_liaison: bool,
    pub receives_monthly: bool,
    pub open: bool,
}

/// A new work room.
#[derive(Debug, Clone)]
pub struct NewRoom<'a> {
    pub name: &'a str,
    pub kind: RoomKind,
    /// The town/street (or a community in it) where the room is.
    pub at: DivisionIds,
    pub address: &'a str,
    pub opening_notes: Option<&'a str>,
    pub shared_with_liaison: bool,
    pub receives_monthly: bool,
}

/// What R8 publishes about a member serving in a room: never the mobile number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMember {
    pub id: i64,
    pub name: String,
    pub level: MemberLevel,
    pub sector: Option<String>,
    pub employer: Option<String>,
    pub position: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub level: MemberLevel,
    pub district_id: Option<i64>,
}

/// A division found by code, with the ids the scopes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DivisionIds {
    pub id: i64,
    pub district_id: i64,
    pub street_id: Option<i64>,
}

impl Store {
    /// The ids of a district, town/street or community by its code, with its district's (and street's).
    pub async fn division_ids(&self, code: &DivisionCode) -> Result<Option<DivisionIds>, StoreError> {
        let Some(district_code) = code.as_str().get(..6) else {
            return Ok(None);
        };
        let mut codes = vec![code.to_string(), district_code.to_owned()];
        if code.level() == DivisionLevel::Community {
            codes.push(code.as_str()[..9].to_owned());
        }
        let found: HashMap<String, i64> = division::Entity::find()
            .filter(division::Column::Code.is_in(codes))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| (d.code, d.id))
            .collect();
        let (Some(&id), Some(&district_id)) = (found.get(code.as_str()), found.get(district_code)) else {
            return Ok(None);
        };
        let street_id = match code.level() {
            DivisionLevel::Street => Some(id),
            DivisionLevel::Community => found.get(&code.as_str()[..9]).copied(),
            _ => None,
        };
        Ok(Some(DivisionIds {
            id,
            district_id,
            street_id,
        }))
    }

    pub async fn create_department(
        &self,
        who: &Who,
        name: &str,
        kind: DepartmentKind,
        at: DivisionIds,
        now: DateTime<Utc>,
    ) -> Result<Department, StoreError> {
        let txn = self.write.begin().await?;
        let level = if at.street_id.is_some() {
            DepartmentLevel::Street
        } else {
            DepartmentLevel::District
        };
        let row = department::ActiveModel {
            name: Set(name.to_owned()),
            level: Set(level.as_str().to_owned()),
            kind: Set(kind.as_str().to_owned()),
            district_id: Set(at.district_id),
            street_id: Set(at.street_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "department.create",
            entity: "department",
            entity_id: row.id.to_string(),
            district_id: Some(at.district_id),
            before: None,
            after: Some(json!({ "name": name, "kind": kind.as_str(), "level": level.as_str() })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(self
            .departments_where(Condition::all().add(department::Column::Id.eq(row.id)))
            .await?
            .remove(0))
    }

    /// Departments an actor in `scope` deals with: all of the city's, the district's, or for a
    /// town/street (and its rooms) its own departments and its district's; a department sees itself.
    pub async fn departments_in_scope(&self, scope: &Scope) -> Result<Vec<Department>, StoreError> {
        let condition = match *scope {
            Scope::City => Condition::all(),
            Scope::District { district_id } => {
                Condition::all().add(department::Column::DistrictId.eq(district_id))
            }
            Scope::Street {
                district_id,
                street_id,
            }
            | Scope::Room {
                district_id,
                street_id,
                ..
            } => Condition::any()
                .add(department::Column::StreetId.eq(street_id))
                .add(
                    Condition::all()
                        .add(department::Column::DistrictId.eq(district_id))
                        .add(department::Column::StreetId.is_null()),
                ),
            Scope::Department { department_id, .. } => {
                Condition::all().add(department::Column::Id.eq(department_id))
            }
            Scope::Member { .. } => place_condition(
                scope,
                &PlaceColumns::<department::Column> {
                    district: None,
                    street: None,
                    room: None,
                },
            ),
        };
        self.departments_where(condition).await
    }

    pub async fn department(&self, id: i64) -> Result<Option<Department>, StoreError> {
        Ok(self
            .departments_where(Condition::all().add(department::Column::Id.eq(id)))
            .await?
            .pop())
    }

    async fn departments_where(&self, condition: Condition) -> Result<Vec<Department>, StoreError> {
        let rows = department::Entity::find()
            .filter(condition)
            .order_by_asc(department::Column::DistrictId)
            .order_by_asc(department::Column::StreetId)
            .order_by_asc(department::Column::Name)
            .all(&self.read)
            .await?;
        let ids: Vec<i64> = rows
            .iter()
            .flat_map(|r| [Some(r.district_id), r.street_id])
            .flatten()
            .collect();
        let names = self.division_names(ids).await?;
        rows.into_iter()
            .map(|row| {
                Ok(Department {
                    id: row.id,
                    level: match row.level.as_str() {
                        "street" => DepartmentLevel::Street,
                        "district" => DepartmentLevel::District,
                        other => return Err(corrupt("departments.level", other)),
                    },
                    kind: stored(DepartmentKind::parse, "departments.kind", &row.kind)?,
                    district_name: names.get(&row.district_id).cloned().unwrap_or_default(),
                    street_name: row.street_id.and_then(|id| names.get(&id).cloned()),
                    name: row.name,
                    district_id: row.district_id,
                    street_id: row.street_id,
                })
            })
            .collect()
    }

    pub async fn create_room(
        &self,
        who: &Who,
        new: &NewRoom<'_>,
        now: DateTime<Utc>,
    ) -> Result<Room, StoreError> {
        let NewRoom {
            name,
            kind,
            at,
            address,
            opening_notes,
            shared_with_liaison,
            receives_monthly,
        } = *new;
        let street_id = at
            .street_id
            .ok_or_else(|| StoreError::Database("a room sits in a town/street".into()))?;
        let txn = self.write.begin().await?;
        let row = room::ActiveModel {
            name: Set(name.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            district_id: Set(at.district_id),
            street_id: Set(street_id),
            community_id: Set((at.id != street_id).then_some(at.id)),
            address: Set(address.to_owned()),
            created_at: Set(now),
            opening_notes: Set(opening_notes.map(str::to_owned)),
            shared_with_liaison: Set(shared_with_liaison),
            status: Set("open".to_owned()),
            receives_monthly: Set(receives_monthly),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "room.create",
            entity: "room",
            entity_id: row.id.to_string(),
            district_id: Some(at.district_id),
            before: None,
            after: Some(json!({ "name": name, "kind": kind.as_str(), "address": address })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(self
            .rooms_where(Condition::all().add(room::Column::Id.eq(row.id)))
            .await?
            .remove(0))
    }

    /// Replaces a room's editable record (name, address, notes, sharing, monthly, open) with its audit entry.
    pub async fn update_room(
        &self,
        who: &Who,
        before: &Room,
        after: &RoomRecord,
        now: DateTime<Utc>,
    ) -> Result<Room, StoreError> {
        let txn = self.write.begin().await?;
        room::ActiveModel {
            id: Set(before.id),
            name: Set(after.name.clone()),
            address: Set(after.address.clone()),
            opening_notes: Set(after.opening_notes.clone()),
            shared_with_liaison: Set(after.shared_with_liaison),
            receives_monthly: Set(after.receives_monthly),
            status: Set(if after.open { "open" } else { "closed" }.to_owned()),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let change = Change {
            action: "room.update",
            entity: "room",
            entity_id: before.id.to_string(),
            district_id: Some(before.district_id),
            before: Some(json!({
                "name": before.name, "address": before.address, "open": before.open,
                "receives_monthly": before.receives_monthly, "shared_with_liaison": before.shared_with_liaison,
            })),
            after: Some(json!({
                "name": after.name, "address": after.address, "open": after.open,
                "receives_monthly": after.receives_monthly, "shared_with_liaison": after.shared_with_liaison,
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(self
            .rooms_where(Condition::all().add(room::Column::Id.eq(before.id)))
            .await?
            .remove(0))
    }

    /// A room's places, in order (mobile rooms).
    pub async fn room_places(&self, room_id: i64) -> Result<Vec<String>, StoreError> {
        Ok(crate::entity::room_place::Entity::find()
            .filter(crate::entity::room_place::Column::RoomId.eq(room_id))
            .order_by_asc(crate::entity::room_place::Column::Position)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|p| p.place)
            .collect())
    }

    /// Replaces a room's places, with the audit entry.
    pub async fn set_room_places(
        &self,
        who: &Who,
        room: &Room,
        places: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        use crate::entity::room_place;
        let txn = self.write.begin().await?;
        room_place::Entity::delete_many()
            .filter(room_place::Column::RoomId.eq(room.id))
            .exec(&txn)
            .await?;
        for (position, place) in places.iter().enumerate() {
            room_place::ActiveModel {
                room_id: Set(room.id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                place: Set(place.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let change = Change {
            action: "room.places",
            entity: "room",
            entity_id: room.id.to_string(),
            district_id: Some(room.district_id),
            before: None,
            after: Some(json!({ "places": places })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Work rooms inside `scope`; a member sees the rooms they serve in; a department none.
    pub async fn rooms_in_scope(&self, scope: &Scope) -> Result<Vec<Room>, StoreError> {
        let condition = if let Scope::Member { member_id, .. } = *scope {
            let ids: Vec<i64> = room_member::Entity::find()
                .filter(room_member::Column::MemberId.eq(member_id))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|rm| rm.room_id)
                .collect();
            Condition::all().add(room::Column::Id.is_in(ids))
        } else {
            place_condition(
                scope,
                &PlaceColumns {
                    district: Some(room::Column::DistrictId),
                    street: Some(room::Column::StreetId),
                    room: Some(room::Column::Id),
                },
            )
        };
        self.rooms_where(condition).await
    }

    pub async fn room(&self, id: i64) -> Result<Option<Room>, StoreError> {
        Ok(self
            .rooms_where(Condition::all().add(room::Column::Id.eq(id)))
            .await?
            .pop())
    }

    async fn rooms_where(&self, condition: Condition) -> Result<Vec<Room>, StoreError> {
        let rows = room::Entity::find()
            .filter(condition)
            .order_by_asc(room::Column::DistrictId)
            .order_by_asc(room::Column::StreetId)
            .order_by_asc(room::Column::Name)
            .all(&self.read)
            .await?;
        let ids: Vec<i64> = rows.iter().flat_map(|r| [r.district_id, r.street_id]).collect();
        let names = self.division_names(ids).await?;
        rows.into_iter()
            .map(|row| {
                Ok(Room {
                    id: row.id,
                    kind: stored(RoomKind::parse, "rooms.kind", &row.kind)?,
                    district_name: names.get(&row.district_id).cloned().unwrap_or_default(),
                    street_name: names.get(&row.street_id).cloned().unwrap_or_default(),
                    name: row.name,
                    district_id: row.district_id,
                    street_id: row.street_id,
                    address: row.address,
                    opening_notes: row.opening_notes,
                    shared_with_liaison: row.shared_with_liaison,
                    open: match row.status.as_str() {
                        "open" => true,
                        "closed" => false,
                        other => return Err(corrupt("rooms.status", other)),
                    },
                    receives_monthly: row.receives_monthly,
                })
            })
            .collect()
    }

    /// Open rooms, for the public.
    pub async fn public_rooms(&self) -> Result<Vec<Room>, StoreError> {
        self.rooms_where(Condition::all().add(room::Column::Status.eq("open")))
            .await
    }

    /// Open rooms in a town/street, for the public.
    pub async fn public_rooms_in_street(&self, street_id: i64) -> Result<Vec<Room>, StoreError> {
        self.rooms_where(
            Condition::all()
                .add(room::Column::Status.eq("open"))
                .add(room::Column::StreetId.eq(street_id)),
        )
        .await
    }

    /// The members serving in a room, as R8 publishes them: national, provincial, city, district
    /// members in that order, then by name.
    pub async fn room_members(&self, room_id: i64) -> Result<Vec<PublicMember>, StoreError> {
        Ok(self
            .members_of_rooms(&[room_id])
            .await?
            .remove(&room_id)
            .unwrap_or_default())
    }

    /// The members serving in each of several rooms, in the order of [`Store::room_members`], with two
    /// queries whatever the number of rooms.
    pub async fn members_of_rooms(
        &self,
        room_ids: &[i64],
    ) -> Result<HashMap<i64, Vec<PublicMember>>, StoreError> {
        let links = room_member::Entity::find()
            .filter(room_member::Column::RoomId.is_in(room_ids.iter().copied()))
            .all(&self.read)
            .await?;
        let members: HashMap<i64, PublicMember> = member::Entity::find()
            .filter(member::Column::Id.is_in(links.iter().map(|l| l.member_id)))
            .filter(member::Column::Status.eq("serving"))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|row| {
                let member = PublicMember {
                    id: row.id,
                    level: stored(MemberLevel::parse, "members.level", &row.level)?,
                    name: row.name,
                    sector: row.sector,
                    employer: row.employer,
                    position: row.position,
                };
                Ok((member.id, member))
            })
            .collect::<Result<_, StoreError>>()?;
        let mut by_room: HashMap<i64, Vec<PublicMember>> = HashMap::new();
        for link in links {
            if let Some(member) = members.get(&link.member_id) {
                by_room.entry(link.room_id).or_default().push(member.clone());
            }
        }
        for list in by_room.values_mut() {
            list.sort_by(|a, b| (a.level as u8, &a.name).cmp(&(b.level as u8, &b.name)));
        }
        Ok(by_room)
    }

    pub async fn create_member(
        &self,
        who: &Who,
        name: &str,
        level: MemberLevel,
        district_id: Option<i64>,
        sector: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Member, StoreError> {
        let txn = self.write.begin().await?;
        let row = member::ActiveModel {
            name: Set(name.to_owned()),
            level: Set(level.as_str().to_owned()),
            district_id: Set(district_id),
            sector: Set(sector.map(str::to_owned)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "member.create",
            entity: "member",
            entity_id: row.id.to_string(),
            district_id,
            before: None,
            after: Some(json!({ "name": name, "level": level.as_str(), "sector": sector })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(Member {
            id: row.id,
            name: row.name,
            level,
            district_id,
        })
    }

    pub async fn member(&self, id: i64) -> Result<Option<Member>, StoreError> {
        member::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .map(|row| {
                Ok(Member {
                    id: row.id,
                    level: stored(MemberLevel::parse, "members.level", &row.level)?,
                    name: row.name,
                    district_id: row.district_id,
                })
            })
            .transpose()
    }

    /// The member with this name and level (the first, if several share both).
    pub async fn member_named(&self, name: &str, level: MemberLevel) -> Result<Option<Member>, StoreError> {
        Ok(member::Entity::find()
            .filter(member::Column::Name.eq(name))
            .filter(member::Column::Level.eq(level.as_str()))
            .one(&self.read)
            .await?
            .map(|row| Member {
                id: row.id,
                name: row.name,
                level,
                district_id: row.district_id,
            }))
    }

    /// Assigns a member to a work room (idempotent).
    pub async fn assign_member(
        &self,
        who: &Who,
        room: &Room,
        member_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        let exists = room_member::Entity::find_by_id((room.id, member_id))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            room_member::ActiveModel {
                room_id: Set(room.id),
                member_id: Set(member_id),
            }
            .insert(&txn)
            .await?;
            let change = Change {
                action: "room.assign_member",
                entity: "room",
                entity_id: room.id.to_string(),
                district_id: Some(room.district_id),
                before: None,
                after: Some(json!({ "member_id": member_id })),
            };
            audit::append(&txn, who, now, change).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Names of divisions by id (no query for an empty list).
    pub(crate) async fn division_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(division::Entity::find()
            .filter(division::Column::Id.is_in(ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect())
    }
}
