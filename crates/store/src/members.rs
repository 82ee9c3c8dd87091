//! Members' full records (委员, R5) for those who keep them: lists in scope, one record, and changes with
//! their audit entry. The public sees only `units::PublicMember`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::authz::Scope;
use domain::member::{MemberLevel, MobileNumber};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{member, member_photo, room, room_member};
use crate::error::{corrupt, stored, stored_optional};
use crate::{Store, StoreError};

/// A member as those who keep the roster see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub id: i64,
    pub name: String,
    pub level: MemberLevel,
    pub district_id: Option<i64>,
    pub district_name: Option<String>,
    pub sector: Option<String>,
    pub employer: Option<String>,
    pub position: Option<String>,
    /// 届别, e.g. 第十四届.
    pub term: Option<String>,
    pub mobile: Option<MobileNumber>,
    pub resides_hk_macao: bool,
    /// Empty while serving; the day the member ceased (不再担任).
    pub ceased_on: Option<NaiveDate>,
    /// The rooms the member serves in, by name.
    pub rooms: Vec<(i64, String)>,
}

impl MemberRecord {
    pub fn exempt(&self) -> bool {
        domain::member::is_exempt(self.sector.as_deref(), self.resides_hk_macao)
    }
}

/// The editable part of a member's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEdit {
    pub sector: Option<String>,
    pub employer: Option<String>,
    pub position: Option<String>,
    pub term: Option<String>,
    pub mobile: Option<MobileNumber>,
    pub resides_hk_macao: bool,
    pub ceased_on: Option<NaiveDate>,
}

impl Store {
    /// Members in `scope`: the city all; a district its own; a town/street or a room the members serving
    /// in its rooms; a member only self; a department none.
    pub async fn members_in_scope(&self, scope: &Scope) -> Result<Vec<MemberRecord>, StoreError> {
        let mut query = member::Entity::find();
        match *scope {
            Scope::City => {}
            Scope::District { district_id } => {
                query = query.filter(member::Column::DistrictId.eq(district_id));
            }
            Scope::Street { .. } | Scope::Room { .. } => {
                let rooms: Vec<i64> = self
                    .rooms_in_scope(scope)
                    .await?
                    .into_iter()
                    .map(|r| r.id)
                    .collect();
                let ids: Vec<i64> = room_member::Entity::find()
                    .filter(room_member::Column::RoomId.is_in(rooms))
                    .all(&self.read)
                    .await?
                    .into_iter()
                    .map(|l| l.member_id)
                    .collect();
                query = query.filter(member::Column::Id.is_in(ids));
            }
            Scope::Member { member_id, .. } => query = query.filter(member::Column::Id.eq(member_id)),
            Scope::Department { .. } => return Ok(Vec::new()),
        }
        let rows = query.order_by_asc(member::Column::Id).all(&self.read).await?;
        self.member_records(rows).await
    }

    pub async fn member_record(&self, id: i64) -> Result<Option<MemberRecord>, StoreError> {
        let rows: Vec<member::Model> = member::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(self.member_records(rows).await?.pop())
    }

    async fn member_records(&self, rows: Vec<member::Model>) -> Result<Vec<MemberRecord>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = room_member::Entity::find()
            .filter(room_member::Column::MemberId.is_in(ids.iter().copied()))
            .all(&self.read)
            .await?;
        let room_names: HashMap<i64, String> = room::Entity::find()
            .filter(room::Column::Id.is_in(links.iter().map(|l| l.room_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let mut rooms_of: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        for link in &links {
            if let Some(name) = room_names.get(&link.room_id) {
                rooms_of
                    .entry(link.member_id)
                    .or_default()
                    .push((link.room_id, name.clone()));
            }
        }
        let districts = self
            .division_names(rows.iter().filter_map(|r| r.district_id).collect())
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MemberRecord {
                    id: row.id,
                    level: stored(MemberLevel::parse, "members.level", &row.level)?,
                    district_name: row.district_id.and_then(|d| districts.get(&d).cloned()),
                    district_id: row.district_id,
                    sector: row.sector,
                    employer: row.employer,
                    position: row.position,
                    term: row.term,
                    mobile: stored_optional(MobileNumber::parse, "members.mobile", row.mobile.as_deref())?,
                    resides_hk_macao: row.resides_hk_macao,
                    ceased_on: match row.status.as_str() {
                        "serving" => None,
                        "ceased" => row.ceased_on,
                        other => return Err(corrupt("members.status", other)),
                    },
                    rooms: rooms_of.remove(&row.id).unwrap_or_default(),
                    name: row.name,
                })
            })
            .collect()
    }

    /// Replaces a member's editable record, with its audit entry (the mobile number is never written to
    /// the trail, only whether it changed).
    pub async fn update_member(
        &self,
        who: &Who,
        before: &MemberRecord,
        edit: &MemberEdit,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        member::ActiveModel {
            id: Set(before.id),
            sector: Set(edit.sector.clone()),
            employer: Set(edit.employer.clone()),
            position: Set(edit.position.clone()),
            term: Set(edit.term.clone()),
            mobile: Set(edit.mobile.as_ref().map(|m| m.as_str().to_owned())),
            resides_hk_macao: Set(edit.resides_hk_macao),
            status: Set(if edit.ceased_on.is_some() {
                "ceased"
            } else {
                "serving"
            }
            .to_owned()),
            ceased_on: Set(edit.ceased_on),
            updated_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let change = Change {
            action: "member.update",
            entity: "member",
            entity_id: before.id.to_string(),
            district_id: before.district_id,
            before: Some(json!({
                "sector": before.sector, "employer": before.employer, "position": before.position,
                "term": before.term, "resides_hk_macao": before.resides_hk_macao,
                "ceased_on": before.ceased_on.map(|d| d.to_string()),
            })),
            after: Some(json!({
                "sector": edit.sector, "employer": edit.employer, "position": edit.position,
                "term": edit.term, "resides_hk_macao": edit.resides_hk_macao,
                "ceased_on": edit.ceased_on.map(|d| d.to_string()),
                "mobile_changed": edit.mobile != before.mobile,
            })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// A stored photo as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFile {
    pub jpeg: Vec<u8>,
    pub etag: String,
}

impl Store {
    /// Stores (or replaces) a member's photo, with its audit entry.
    pub async fn put_member_photo(
        &self,
        who: &Who,
        member: &MemberRecord,
        jpeg: Vec<u8>,
        size: (u32, u32),
        etag: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        member_photo::Entity::delete_by_id(member.id).exec(&txn).await?;
        member_photo::ActiveModel {
            member_id: Set(member.id),
            jpeg: Set(jpeg),
            width: Set(i32::try_from(size.0).unwrap_or(i32::MAX)),
            height: Set(i32::try_from(size.1).unwrap_or(i32::MAX)),
            etag: Set(etag.to_owned()),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "member.photo.put",
            entity: "member",
            entity_id: member.id.to_string(),
            district_id: member.district_id,
            before: None,
            after: Some(json!({ "etag": etag })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn remove_member_photo(
        &self,
        who: &Who,
        member: &MemberRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        member_photo::Entity::delete_by_id(member.id).exec(&txn).await?;
        let change = Change {
            action: "member.photo.remove",
            entity: "member",
            entity_id: member.id.to_string(),
            district_id: member.district_id,
            before: None,
            after: None,
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn member_photo(&self, member_id: i64) -> Result<Option<PhotoFile>, StoreError> {
        Ok(member_photo::Entity::find_by_id(member_id)
            .one(&self.read)
            .await?
            .map(|row| PhotoFile {
                jpeg: row.jpeg,
                etag: row.etag,
            }))
    }

    /// The photo ETags of these members (those without a photo are absent), without loading the images.
    pub async fn member_photo_etags(&self, member_ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        use sea_orm::QuerySelect;
        let rows: Vec<(i64, String)> = member_photo::Entity::find()
            .select_only()
            .column(member_photo::Column::MemberId)
            .column(member_photo::Column::Etag)
            .filter(member_photo::Column::MemberId.is_in(member_ids.iter().copied()))
            .into_tuple()
            .all(&self.read)
            .await?;
        Ok(rows.into_iter().collect())
    }
}
