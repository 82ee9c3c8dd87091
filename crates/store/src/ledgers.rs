//! What a room's ledgers (台账, R14) read beyond the other repositories: the cases a room received in a
//! period, and the audit entry of a register read with residents' contacts in full (X7).

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::opinion;
use crate::opinions::CaseRecord;
use crate::{Store, StoreError};

impl Store {
    /// The cases a room received from `from` (inclusive) to `to` (exclusive), oldest first: one read of
    /// the cases and one each of the names they refer to, whatever their number.
    pub async fn cases_received_in_room(
        &self,
        room_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let rows = opinion::Entity::find()
            .filter(opinion::Column::RoomId.eq(room_id))
            .filter(opinion::Column::ReceivedAt.gte(from))
            .filter(opinion::Column::ReceivedAt.lt(to))
            .order_by_asc(opinion::Column::ReceivedAt)
            .order_by_asc(opinion::Column::Id)
            .all(&self.read)
            .await?;
        self.case_records(rows).await
    }

    /// Records that someone read a room's visitor register with residents' contacts in full.
    pub async fn log_register_view(
        &self,
        who: &Who,
        room_id: i64,
        district_id: i64,
        year: i32,
        cases: usize,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        let change = Change {
            action: "ledger.visitors.view",
            entity: "room",
            entity_id: room_id.to_string(),
            district_id: Some(district_id),
            before: None,
            after: Some(json!({ "year": year, "cases": cases })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }
}
