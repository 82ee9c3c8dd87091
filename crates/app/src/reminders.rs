//! Reminders (提醒, X5): the scan every server runs (and the demo once) turns the records into the
//! reminders due today (`domain::reminder`) and writes each to its accounts once — the dedupe key
//! makes a second server's identical scan a no-op. A routing step tells the case's new holders at
//! once. Residents are never messaged: they follow their case on the tracking page.

use std::collections::HashSet;

use chrono::{Datelike, Days};
use domain::annual::SummaryStatus;
use domain::authz::Scope;
use domain::calendar::SessionStatus;
use domain::inspection::TaskStatus;
use domain::reminder::{
    CaseFacts, NOTICE_FIRST_DAYS, Reminder, SessionFacts, TaskFacts, below_minimum, case_arrived,
    case_deadlines, dedupe_key, notice_reminders, rectification_reminders, summary_reminders,
};
use store::notifications::NewNotification;
pub use store::notifications::{Notification, NotificationPage};
use store::opinions::CaseRecord;

use crate::access::Acting;
use crate::{App, AppError};

/// Notifications per page unless asked otherwise, and the most a page holds.
pub const NOTIFICATIONS_PER_PAGE: u64 = 20;
pub const MAX_NOTIFICATIONS_PER_PAGE: u64 = 100;

fn case_facts(case: &CaseRecord) -> CaseFacts {
    CaseFacts {
        id: case.id,
        state: case.state,
        route: case.route,
        due_on: case.due_on,
        room_id: case.room_id,
        street_id: case.street_id,
        district_id: case.district_id,
        department_id: case.department.as_ref().map(|d| d.0),
        member_id: case.member.as_ref().map(|m| m.0),
        matter: crate::opinions::matter_of(&case.content),
    }
}

fn account_of(acting: &Acting) -> Result<i64, AppError> {
    match acting {
        Acting::Account(actor) => Ok(actor.account_id),
        Acting::Operator => Err(AppError::Forbidden("提醒属于登录账号".into())),
    }
}

impl App {
    /// Writes the reminders due now; returns how many notifications were new.
    pub async fn send_reminders(&self) -> Result<u64, AppError> {
        let today = self.clock().today();
        let calendar = self
            .store()
            .work_calendar(today.year() - 1..=today.year() + 1)
            .await?;
        let mut reminders: Vec<Reminder> = Vec::new();

        for case in self.store().open_cases().await? {
            let facts = case_facts(&case);
            reminders.extend(case_arrived(&facts));
            reminders.extend(case_deadlines(&facts, today, &calendar));
        }

        let rooms = self.store().rooms_in_scope(&Scope::City).await?;
        let ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let horizon = today
            .checked_add_days(Days::new(NOTICE_FIRST_DAYS))
            .unwrap_or(today);
        for session in self.store().sessions_in_rooms(&ids, today, horizon).await? {
            if session.status != SessionStatus::Planned {
                continue;
            }
            let Some(room) = rooms.iter().find(|r| r.id == session.room_id) else {
                continue;
            };
            let facts = SessionFacts {
                id: session.id,
                room_id: room.id,
                room_name: room.name.clone(),
                street_id: room.street_id,
                date: session.date,
                notice_posted: session.notice_posted_on.is_some(),
            };
            reminders.extend(notice_reminders(&facts, today));
        }

        if today.month() >= domain::reminder::BELOW_MINIMUM_FROM_MONTH {
            let members = self.store().members_in_scope(&Scope::City).await?;
            for duty in self.duty_of(members, today.year()).await? {
                reminders.extend(below_minimum(
                    duty.member.id,
                    &duty.member.name,
                    duty.member.district_id,
                    duty.duty.remaining(),
                    today,
                ));
            }
        }

        for task in self.open_task_facts(None).await? {
            reminders.extend(rectification_reminders(&task, today));
        }

        // Support requests (R12) waiting on the district since the member's last question.
        let beijing = crate::clock::beijing();
        for request in self
            .store()
            .support_requests(store::support::SupportFilter::All)
            .await?
            .into_iter()
            .filter(|r| r.status == domain::support::SupportStatus::Open)
        {
            let asks: Vec<_> = request
                .messages
                .iter()
                .filter(|m| {
                    matches!(
                        m.step,
                        domain::support::SupportStep::Ask | domain::support::SupportStep::AskAgain
                    )
                })
                .collect();
            let Some(last) = asks.last() else { continue };
            let room_name = rooms
                .iter()
                .find(|r| r.id == request.room_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            reminders.extend(domain::reminder::support_reminders(
                &domain::reminder::SupportFacts {
                    id: request.id,
                    district_id: request.district_id,
                    room_name,
                    kind_label: request.kind.label_zh(),
                    asked_on: last.at.with_timezone(&beijing).date_naive(),
                    asks: asks.len(),
                },
                today,
                &calendar,
            ));
        }

        for listing in self.annual_summaries(&Acting::Operator, today.year()).await? {
            let submitted = matches!(listing.status, SummaryStatus::Submitted | SummaryStatus::Received);
            reminders.extend(summary_reminders(
                listing.district.id,
                &listing.district.code,
                &listing.district.name,
                today.year(),
                submitted,
                listing.due,
                today,
            ));
        }
        self.deliver(&reminders).await
    }

    /// The rectification tasks not closed (all, or those of one inspection) as the reminders read them.
    async fn open_task_facts(&self, inspection_id: Option<i64>) -> Result<Vec<TaskFacts>, AppError> {
        let tasks = self
            .store()
            .rectification_tasks(
                &Scope::City,
                Some(&[TaskStatus::Open, TaskStatus::Reported, TaskStatus::Returned]),
                inspection_id,
            )
            .await?;
        let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
        let mut steps: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for step in self.store().rectification_steps(&ids).await? {
            *steps.entry(step.task_id).or_default() += 1;
        }
        let rooms: std::collections::HashMap<i64, String> = self
            .store()
            .rooms_in_scope(&Scope::City)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        Ok(tasks
            .into_iter()
            .map(|t| TaskFacts {
                id: t.id,
                room_id: t.room_id,
                room_name: rooms.get(&t.room_id).cloned().unwrap_or_default(),
                street_id: t.street_id,
                district_id: t.district_id,
                owner: t.owner,
                status: t.status,
                due: t.due_date,
                steps: steps.get(&t.id).copied().unwrap_or(0),
            })
            .collect())
    }

    /// Tells whoever a rectification task now waits on (its owner, or the inspectors once reported).
    /// The step is already taken: a failure is logged and the next scan writes the same notification.
    pub(crate) async fn notify_rectification(&self, inspection_id: i64, task_id: Option<i64>) {
        let today = self.clock().today();
        let reminders: Result<Vec<Reminder>, AppError> =
            self.open_task_facts(Some(inspection_id)).await.map(|tasks| {
                tasks
                    .iter()
                    .filter(|t| task_id.is_none_or(|id| id == t.id))
                    .flat_map(|t| rectification_reminders(t, today))
                    .collect()
            });
        let outcome = match reminders {
            Ok(reminders) => self.deliver(&reminders).await.map(|_| ()),
            Err(err) => Err(err),
        };
        if let Err(err) = outcome {
            tracing::warn!(inspection = inspection_id, error = %err, "telling about rectification failed; the next scan retries");
        }
    }

    /// Tells a case's holders that it reached them. The step is already taken: a failure here is
    /// logged, and the next scan writes the same notification.
    pub(crate) async fn notify_arrival(&self, case: &CaseRecord) {
        let Some(reminder) = case_arrived(&case_facts(case)) else {
            return;
        };
        if let Err(err) = self.deliver(&[reminder]).await {
            tracing::warn!(case = case.id, error = %err, "telling the holders failed; the next scan retries");
        }
    }

    /// Addresses reminders to the accounts holding their recipients and writes those not yet written.
    async fn deliver(&self, reminders: &[Reminder]) -> Result<u64, AppError> {
        let mut wanted: Vec<_> = reminders
            .iter()
            .flat_map(|r| r.recipients.iter().copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let accounts = self.store().accounts_for(&wanted).await?;
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for reminder in reminders {
            for recipient in &reminder.recipients {
                for &account_id in accounts.get(recipient).into_iter().flatten() {
                    let key = dedupe_key(reminder, account_id);
                    if seen.insert(key.clone()) {
                        rows.push(NewNotification {
                            account_id,
                            kind: reminder.kind,
                            subject: reminder.subject.clone(),
                            due_date: reminder.due_date,
                            title: reminder.title.clone(),
                            link: reminder.link.clone(),
                            dedupe_key: key,
                        });
                    }
                }
            }
        }
        Ok(self.store().add_notifications(&rows, self.clock().now()).await?)
    }

    /// The caller's notifications, newest first, one page at a time.
    pub async fn notifications(
        &self,
        acting: &Acting,
        unread_only: bool,
        page: Option<u64>,
        per_page: Option<u64>,
    ) -> Result<NotificationPage, AppError> {
        let account_id = account_of(acting)?;
        let page = page.unwrap_or(1);
        if page == 0 || page > 100_000 {
            return Err(AppError::invalid("page", "页码应为 1 至 100000 的整数"));
        }
        let per_page = per_page.unwrap_or(NOTIFICATIONS_PER_PAGE);
        if per_page == 0 || per_page > MAX_NOTIFICATIONS_PER_PAGE {
            return Err(AppError::invalid(
                "per_page",
                format!("每页条数应为 1 至 {MAX_NOTIFICATIONS_PER_PAGE}"),
            ));
        }
        Ok(self
            .store()
            .notifications(account_id, unread_only, page, per_page)
            .await?)
    }

    /// The bell's number: the caller's unread notifications (0 for the command line).
    pub async fn unread_notifications(&self, acting: &Acting) -> Result<u64, AppError> {
        match acting {
            Acting::Account(actor) => Ok(self.store().unread_notifications(actor.account_id).await?),
            Acting::Operator => Ok(0),
        }
    }

    /// Marks one of the caller's notifications read and returns it (404 for another account's or a
    /// missing one).
    pub async fn read_notification(&self, acting: &Acting, id: i64) -> Result<Notification, AppError> {
        let account_id = account_of(acting)?;
        self.store()
            .mark_notification_read(account_id, id, self.clock().now())
            .await?
            .ok_or_else(|| AppError::NotFound("没有这条提醒".into()))
    }

    /// Marks all of the caller's notifications read; returns how many were unread.
    pub async fn read_all_notifications(&self, acting: &Acting) -> Result<u64, AppError> {
        let account_id = account_of(acting)?;
        Ok(self
            .store()
            .mark_all_notifications_read(account_id, self.clock().now())
            .await?)
    }
}
