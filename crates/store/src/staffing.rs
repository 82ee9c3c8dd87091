//! Staffing as stored (R7): conveners by name; town/street leads and room staff counted from the
//! enabled accounts that hold those roles.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::staffing::{ConvenerTitle, DistrictStaffing, Post};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{account, convener, division, room};
use crate::error::stored;
use crate::{Store, StoreError};

/// A convener as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convener {
    pub id: i64,
    pub district_id: i64,
    pub title: ConvenerTitle,
    pub name: String,
}

/// One district's staffing with its conveners' records.
#[derive(Debug, Clone)]
pub struct StoredStaffing {
    pub district_id: i64,
    pub district_code: String,
    pub staffing: DistrictStaffing,
    pub conveners: Vec<Convener>,
}

impl Store {
    /// The staffing of each district in `district_ids`, in the order given.
    pub async fn staffing(&self, district_ids: &[i64]) -> Result<Vec<StoredStaffing>, StoreError> {
        let districts: HashMap<i64, (String, String)> = division::Entity::find()
            .filter(division::Column::Id.is_in(district_ids.iter().copied()))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| (d.id, (d.name, d.code)))
            .collect();
        let streets = division::Entity::find()
            .filter(division::Column::ParentId.is_in(district_ids.iter().copied()))
            .order_by_asc(division::Column::Code)
            .all(&self.read)
            .await?;
        let rooms = room::Entity::find()
            .filter(room::Column::DistrictId.is_in(district_ids.iter().copied()))
            .filter(room::Column::Status.eq("open"))
            .order_by_asc(room::Column::Name)
            .all(&self.read)
            .await?;
        let holders = account::Entity::find()
            .filter(account::Column::DistrictId.is_in(district_ids.iter().copied()))
            .filter(account::Column::DisabledAt.is_null())
            .filter(account::Column::Role.is_in(["street_lead", "room_staff"]))
            .all(&self.read)
            .await?;
        let mut leads: HashMap<i64, usize> = HashMap::new();
        let mut staff: HashMap<i64, usize> = HashMap::new();
        for holder in &holders {
            match (holder.role.as_str(), holder.street_id, holder.room_id) {
                ("street_lead", Some(street), _) => *leads.entry(street).or_default() += 1,
                ("room_staff", _, Some(room)) => *staff.entry(room).or_default() += 1,
                _ => {}
            }
        }
        let conveners: Vec<Convener> = convener::Entity::find()
            .filter(convener::Column::DistrictId.is_in(district_ids.iter().copied()))
            .order_by_asc(convener::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Convener {
                    id: row.id,
                    district_id: row.district_id,
                    title: stored(ConvenerTitle::parse, "conveners.title", &row.title)?,
                    name: row.name,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(district_ids
            .iter()
            .filter_map(|id| {
                let (name, code) = districts.get(id)?.clone();
                let own: Vec<Convener> = conveners
                    .iter()
                    .filter(|c| c.district_id == *id)
                    .cloned()
                    .collect();
                let staffing = DistrictStaffing {
                    district: name,
                    conveners: own.iter().map(|c| (c.title, c.name.clone())).collect(),
                    streets: streets
                        .iter()
                        .filter(|s| s.parent_id == Some(*id))
                        .map(|s| Post {
                            id: s.id,
                            name: s.name.clone(),
                            holders: leads.get(&s.id).copied().unwrap_or(0),
                        })
                        .collect(),
                    rooms: rooms
                        .iter()
                        .filter(|r| r.district_id == *id)
                        .map(|r| Post {
                            id: r.id,
                            name: r.name.clone(),
                            holders: staff.get(&r.id).copied().unwrap_or(0),
                        })
                        .collect(),
                };
                Some(StoredStaffing {
                    district_id: *id,
                    district_code: code,
                    staffing,
                    conveners: own,
                })
            })
            .collect())
    }

    /// The ids of Guangzhou's districts, by code.
    pub async fn district_ids(&self) -> Result<Vec<i64>, StoreError> {
        Ok(division::Entity::find()
            .filter(division::Column::Level.eq("district"))
            .order_by_asc(division::Column::Code)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect())
    }

    pub async fn add_convener(
        &self,
        who: &Who,
        district_id: i64,
        title: ConvenerTitle,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Convener, StoreError> {
        let txn = self.write.begin().await?;
        let row = convener::ActiveModel {
            district_id: Set(district_id),
            title: Set(title.as_str().to_owned()),
            name: Set(name.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "convener.add",
            entity: "convener",
            entity_id: row.id.to_string(),
            district_id: Some(district_id),
            before: None,
            after: Some(json!({ "title": title.as_str(), "name": name })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(Convener {
            id: row.id,
            district_id,
            title,
            name: row.name,
        })
    }

    pub async fn convener(&self, id: i64) -> Result<Option<Convener>, StoreError> {
        convener::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .map(|row| {
                Ok(Convener {
                    id: row.id,
                    district_id: row.district_id,
                    title: stored(ConvenerTitle::parse, "conveners.title", &row.title)?,
                    name: row.name,
                })
            })
            .transpose()
    }

    pub async fn remove_convener(
        &self,
        who: &Who,
        convener: &Convener,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        convener::Entity::delete_by_id(convener.id).exec(&txn).await?;
        let change = Change {
            action: "convener.remove",
            entity: "convener",
            entity_id: convener.id.to_string(),
            district_id: Some(convener.district_id),
            before: Some(json!({ "title": convener.title.as_str(), "name": convener.name })),
            after: None,
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }
}
