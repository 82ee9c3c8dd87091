//! Notifications as stored (提醒, X5): reminders addressed to accounts, created once per dedupe key
//! (an insert that meets the key does nothing, on both engines), listed newest first and marked read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::authz::Role;
use domain::reminder::{Recipient, ReminderKind};
use sea_orm::sea_query::{Condition, Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entity::{account, notification};
use crate::error::stored;
use crate::{Store, StoreError};

/// One notification to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub account_id: i64,
    pub kind: ReminderKind,
    pub subject: String,
    pub due_date: Option<NaiveDate>,
    pub title: String,
    pub link: String,
    pub dedupe_key: String,
}

/// One notification as its account reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: ReminderKind,
    pub subject: String,
    pub due_date: Option<NaiveDate>,
    pub title: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of an account's notifications, with the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub total: u64,
    pub unread: u64,
}

fn recipient_condition(recipient: Recipient) -> Condition {
    use account::Column as C;
    let role = |role: Role| C::Role.eq(role.as_str());
    match recipient {
        Recipient::RoomStaff { room_id } => Condition::all()
            .add(role(Role::RoomStaff))
            .add(C::RoomId.eq(room_id)),
        Recipient::StreetLead { street_id } => Condition::all()
            .add(role(Role::StreetLead))
            .add(C::StreetId.eq(street_id)),
        Recipient::Department { department_id } => Condition::all().add(C::DepartmentId.eq(department_id)),
        Recipient::Member { member_id } => Condition::all()
            .add(role(Role::Member))
            .add(C::MemberId.eq(member_id)),
        Recipient::DistrictStaff { district_id } => Condition::all()
            .add(role(Role::DistrictStaff))
            .add(C::DistrictId.eq(district_id)),
        Recipient::CityOffice => Condition::all().add(role(Role::CityOffice)),
        // The city's working departments hold no district; a district's hold their own.
        Recipient::Inspectors { district_id } => Condition::all().add(role(Role::WorkingDepartment)).add(
            Condition::any()
                .add(C::DistrictId.is_null())
                .add(C::DistrictId.eq(district_id)),
        ),
    }
}

fn recipient_of(model: &account::Model, wanted: &[Recipient]) -> Vec<Recipient> {
    let role = Role::parse(&model.role);
    wanted
        .iter()
        .copied()
        .filter(|r| match *r {
            Recipient::RoomStaff { room_id } => {
                role == Some(Role::RoomStaff) && model.room_id == Some(room_id)
            }
            Recipient::StreetLead { street_id } => {
                role == Some(Role::StreetLead) && model.street_id == Some(street_id)
            }
            Recipient::Department { department_id } => model.department_id == Some(department_id),
            Recipient::Member { member_id } => {
                role == Some(Role::Member) && model.member_id == Some(member_id)
            }
            Recipient::DistrictStaff { district_id } => {
                role == Some(Role::DistrictStaff) && model.district_id == Some(district_id)
            }
            Recipient::CityOffice => role == Some(Role::CityOffice),
            Recipient::Inspectors { district_id } => {
                role == Some(Role::WorkingDepartment) && model.district_id.is_none_or(|d| d == district_id)
            }
        })
        .collect()
}

fn to_notification(row: notification::Model) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: row.id,
        kind: stored(ReminderKind::parse, "notifications.kind", &row.kind)?,
        subject: row.subject,
        due_date: row.due_date,
        title: row.title,
        link: row.link,
        created_at: row.created_at,
        read_at: row.read_at,
    })
}

impl Store {
    /// The enabled accounts holding each of `recipients`, in one query.
    pub async fn accounts_for(
        &self,
        recipients: &[Recipient],
    ) -> Result<HashMap<Recipient, Vec<i64>>, StoreError> {
        let mut out: HashMap<Recipient, Vec<i64>> = HashMap::new();
        if recipients.is_empty() {
            return Ok(out);
        }
        let mut any = Condition::any();
        for recipient in recipients {
            any = any.add(recipient_condition(*recipient));
        }
        let rows = account::Entity::find()
            .filter(account::Column::DisabledAt.is_null())
            .filter(any)
            .all(&self.read)
            .await?;
        for row in &rows {
            for recipient in recipient_of(row, recipients) {
                out.entry(recipient).or_default().push(row.id);
            }
        }
        Ok(out)
    }

    /// Writes the notifications whose dedupe key is new; returns how many were new.
    pub async fn add_notifications(
        &self,
        new: &[NewNotification],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut added = 0;
        // In batches, so a scan of a large city stays within the engines' parameter limits.
        for batch in new.chunks(200) {
            let rows = batch.iter().map(|n| notification::ActiveModel {
                account_id: Set(n.account_id),
                kind: Set(n.kind.as_str().to_owned()),
                subject: Set(n.subject.clone()),
                due_date: Set(n.due_date),
                title: Set(n.title.clone()),
                link: Set(n.link.clone()),
                dedupe_key: Set(n.dedupe_key.clone()),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            });
            added += notification::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::column(notification::Column::DedupeKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.write)
                .await?;
        }
        Ok(added)
    }

    /// One page of an account's notifications, newest first; `unread_only` leaves out those read.
    pub async fn notifications(
        &self,
        account_id: i64,
        unread_only: bool,
        page: u64,
        per_page: u64,
    ) -> Result<NotificationPage, StoreError> {
        let mine = notification::Entity::find().filter(notification::Column::AccountId.eq(account_id));
        let unread = mine
            .clone()
            .filter(notification::Column::ReadAt.is_null())
            .count(&self.read)
            .await?;
        let listed = if unread_only {
            mine.filter(notification::Column::ReadAt.is_null())
        } else {
            mine
        };
        let total = if unread_only {
            unread
        } else {
            listed.clone().count(&self.read).await?
        };
        let items = listed
            .order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_notification)
            .collect::<Result<_, _>>()?;
        Ok(NotificationPage { items, total, unread })
    }

    /// How many of an account's notifications are unread (the bell's number).
    pub async fn unread_notifications(&self, account_id: i64) -> Result<u64, StoreError> {
        Ok(notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null())
            .count(&self.read)
            .await?)
    }

    /// Marks one of the account's notifications read and returns it; `None` when the account has
    /// none with that id.
    pub async fn mark_notification_read(
        &self,
        account_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Notification>, StoreError> {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::Id.eq(id))
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.write)
            .await?;
        notification::Entity::find_by_id(id)
            .filter(notification::Column::AccountId.eq(account_id))
            .one(&self.write)
            .await?
            .map(to_notification)
            .transpose()
    }

    /// Marks the account's unread notifications that lead to `link` read: acting on a thing settles
    /// what reminded of it.
    pub async fn mark_notifications_about_read(
        &self,
        account_id: i64,
        link: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::Link.eq(link))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.write)
            .await?
            .rows_affected)
    }

    /// Marks all of the account's notifications read; returns how many were unread.
    pub async fn mark_all_notifications_read(
        &self,
        account_id: i64,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.write)
            .await?
            .rows_affected)
    }
}
