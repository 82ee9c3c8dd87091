//! Facts about the installation itself, such as whether the demo set was loaded.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait, sea_query::OnConflict};

use crate::entity::{account, department, member, room, setting};
use crate::{Store, StoreError};

/// Set when the demo data set has been loaded.
pub const DEMO_LOADED_AT: &str = "demo_loaded_at";

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(setting::Entity::find_by_id(key.to_owned())
            .one(&self.read)
            .await?
            .map(|row| row.value))
    }

    pub async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value.to_owned()),
            updated_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(&self.write)
        .await?;
        Ok(())
    }

    /// True when nobody has put data of their own in yet: no settings, accounts, rooms, members or
    /// departments. (The official division tree, loaded by migrations, does not count.) Later tables
    /// of user data join this check.
    pub async fn holds_no_user_data(&self) -> Result<bool, StoreError> {
        Ok(setting::Entity::find().count(&self.read).await? == 0
            && account::Entity::find().count(&self.read).await? == 0
            && room::Entity::find().count(&self.read).await? == 0
            && member::Entity::find().count(&self.read).await? == 0
            && department::Entity::find().count(&self.read).await? == 0)
    }
}
