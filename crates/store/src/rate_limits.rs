//! Rate limits (限流) kept in the database, so they hold across servers: sign-in attempts, online
//! submissions and lookups of unknown tracking codes, one row per key in `login_throttle`.
//!
//! An attempt is counted atomically *before* the work it guards (Argon2, a lookup, a write), so a
//! burst of parallel requests cannot all pass a check that reads first and records afterwards.

use chrono::{DateTime, Utc};
use domain::identity::{FailureState, ThrottlePolicy};
use sea_orm::sea_query::{Condition, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::entity::login_throttle;
use crate::{Store, StoreError};

fn state_of(row: &login_throttle::Model) -> FailureState {
    FailureState {
        failures: u32::try_from(row.failures).unwrap_or(0),
        window_start: row.window_start,
        locked_until: row.locked_until,
    }
}

fn row_of(key: &str, state: &FailureState) -> login_throttle::ActiveModel {
    login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(i32::try_from(state.failures).unwrap_or(i32::MAX)),
        window_start: Set(state.window_start),
        locked_until: Set(state.locked_until),
    }
}

impl Store {
    /// Counts one attempt against every key under its policy, all or none: when any key is locked
    /// nothing is counted and the longest wait (seconds) comes back as `Err`.
    ///
    /// One write transaction: every key gets a row first (so there is something to lock), then the
    /// rows are read `FOR UPDATE` in key order (PostgreSQL: concurrent attempts on a key queue behind
    /// each other, across servers; SQLite: the single writer connection serialises them).
    pub async fn take_attempt(
        &self,
        keys: &[(String, ThrottlePolicy)],
        now: DateTime<Utc>,
    ) -> Result<Result<(), u64>, StoreError> {
        let mut keys: Vec<&(String, ThrottlePolicy)> = keys.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        keys.dedup_by(|a, b| a.0 == b.0);
        let txn = self.write.begin().await?;
        for (key, _) in &keys {
            login_throttle::Entity::insert(row_of(key, &FailureState::none(now)))
                .on_conflict(
                    OnConflict::column(login_throttle::Column::Key)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        let rows = login_throttle::Entity::find()
            .filter(login_throttle::Column::Key.is_in(keys.iter().map(|(k, _)| k.clone())))
            .order_by_asc(login_throttle::Column::Key)
            .lock_exclusive()
            .all(&txn)
            .await?;
        let mut next = Vec::with_capacity(keys.len());
        let mut wait = None;
        for (key, policy) in &keys {
            let current = rows
                .iter()
                .find(|row| &row.key == key)
                .map_or_else(|| FailureState::none(now), state_of);
            match policy.take(&current, now) {
                Ok(state) => next.push((key, state)),
                Err(seconds) => wait = wait.max(Some(seconds)),
            }
        }
        if let Some(seconds) = wait {
            txn.rollback().await?;
            return Ok(Err(seconds));
        }
        for (key, state) in next {
            login_throttle::Entity::update(row_of(key, &state))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(Ok(()))
    }

    /// Takes back one attempt counted by [`take_attempt`](Self::take_attempt) that proved harmless
    /// (the right password, a known tracking code): that attempt alone stops counting.
    pub async fn give_back_attempt(&self, key: &str, policy: &ThrottlePolicy) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        let row = login_throttle::Entity::find_by_id(key.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?;
        if let Some(row) = row {
            let state = policy.give_back(&state_of(&row));
            login_throttle::Entity::update(row_of(key, &state))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Deletes records that say nothing any more: their window began before `now` minus the longest
    /// window and they lock nothing now. Returns how many went.
    pub async fn forget_stale_throttles(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let stale_before = now - domain::identity::LONGEST_THROTTLE_WINDOW;
        Ok(login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::WindowStart.lt(stale_before))
            .filter(
                Condition::any()
                    .add(login_throttle::Column::LockedUntil.is_null())
                    .add(login_throttle::Column::LockedUntil.lt(now)),
            )
            .exec(&self.write)
            .await?
            .rows_affected)
    }
}
