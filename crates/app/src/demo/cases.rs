//! The demo's citizens' opinions (群众意见), read from `data/demo/cases.json` and taken in and routed
//! through the same use cases as a resident's form, a visitor registration and each routing step —
//! each event at its own time, so cases' histories and ages spread over the weeks before loading.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use domain::activity::{ActivityKind, ActivityStatus};
use domain::authz::Scope;
use domain::step::StepInput;
use serde::Deserialize;
use store::units::Room;

use crate::clock::beijing;
use crate::opinions::{OnlineOpinion, Visit};
use crate::{Acting, App, AppError, FixedClock};

const DEMO_CASES: &str = include_str!("../../../../data/demo/cases.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(rename = "_comment")]
    _comment: String,
    cases: Vec<DemoCase>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Channel {
    Online,
    Visit,
}

/// One opinion as the file tells it: who raised it where and when, and each step taken since.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCase {
    room: String,
    channel: Channel,
    /// Working days before the day of loading.
    ago: u32,
    /// A visit on the room's k-th last reception day (1 = the last), when the room has held one.
    #[serde(default)]
    reception: Option<usize>,
    /// The account registering a visit.
    #[serde(default)]
    by: Option<String>,
    /// The member who received the visitor.
    #[serde(default)]
    member: Option<String>,
    content: String,
    name: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    community: Option<String>,
    #[serde(default)]
    steps: Vec<DemoStep>,
    #[serde(default)]
    rating: Option<DemoRating>,
}

/// A routing step: the fields of the steps API, with the department named instead of numbered.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStep {
    ago: u32,
    by: String,
    action: String,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    procedure: Option<String>,
    #[serde(default)]
    told_body: Option<String>,
    #[serde(default)]
    answer: Option<String>,
    #[serde(default)]
    instruction: Option<String>,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

/// The resident's rating on the tracking page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRating {
    ago: u32,
    rating: String,
    #[serde(default)]
    comment: Option<String>,
}

/// What the file's names stand for in the database just loaded.
struct Names {
    rooms: HashMap<String, Room>,
    departments: HashMap<String, i64>,
    members: HashMap<String, i64>,
    accounts: HashMap<String, Acting>,
    /// Each room's reception days held before today, the last first.
    receptions: HashMap<i64, Vec<(i64, NaiveDate)>>,
}

impl Names {
    fn room(&self, name: &str) -> Result<&Room, AppError> {
        self.rooms
            .get(name)
            .ok_or_else(|| AppError::Internal(format!("demo cases: no room {name}")))
    }

    fn account(&self, username: &str) -> Result<&Acting, AppError> {
        self.accounts
            .get(username)
            .ok_or_else(|| AppError::Internal(format!("demo cases: no account {username}")))
    }

    fn member(&self, name: &str) -> Result<i64, AppError> {
        self.members
            .get(name)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo cases: no member {name}")))
    }

    fn department(&self, name: &str) -> Result<i64, AppError> {
        self.departments
            .get(name)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo cases: no department {name}")))
    }
}

impl App {
    /// The same use cases with the clock standing at `at`: the demo takes each event at its own time.
    pub(super) fn as_of(&self, at: DateTime<Utc>) -> App {
        App::new(self.store().clone(), Arc::new(FixedClock(at)))
    }

    async fn demo_names(&self, rooms: &[Room], cases: &[DemoCase]) -> Result<Names, AppError> {
        let today = self.clock().today();
        let mut receptions: HashMap<i64, Vec<(i64, NaiveDate)>> = HashMap::new();
        for activity in self
            .store()
            .activities_in_scope(&Scope::City, &store::activities::ActivityFilter::default())
            .await?
        {
            if activity.kind == ActivityKind::ReceptionDay
                && activity.status == ActivityStatus::Confirmed
                && activity.held_on < today
            {
                receptions
                    .entry(activity.room_id)
                    .or_default()
                    .push((activity.id, activity.held_on));
            }
        }
        for days in receptions.values_mut() {
            days.sort_by_key(|d| std::cmp::Reverse(d.1));
        }
        let mut accounts = HashMap::new();
        let usernames = cases
            .iter()
            .filter_map(|c| c.by.as_deref())
            .chain(cases.iter().flat_map(|c| c.steps.iter().map(|s| s.by.as_str())));
        for username in usernames {
            if !accounts.contains_key(username) {
                accounts.insert(username.to_owned(), self.demo_account(username).await?);
            }
        }
        Ok(Names {
            rooms: rooms.iter().map(|r| (r.name.clone(), r.clone())).collect(),
            departments: self
                .store()
                .departments_in_scope(&Scope::City)
                .await?
                .into_iter()
                .map(|d| (d.name, d.id))
                .collect(),
            members: self
                .store()
                .members_in_scope(&Scope::City)
                .await?
                .into_iter()
                .map(|m| (m.name, m.id))
                .collect(),
            accounts,
            receptions,
        })
    }

    /// Loads `data/demo/cases.json` (run after the demo's rooms, members, sessions and accounts exist).
    pub(super) async fn load_demo_cases(&self, rooms: &[Room]) -> Result<(), AppError> {
        let file: CaseFile = serde_json::from_str(DEMO_CASES)
            .map_err(|err| AppError::Internal(format!("data/demo/cases.json: {err}")))?;
        let names = self.demo_names(rooms, &file.cases).await?;
        let now = self.clock().now();
        let today = self.clock().today();
        let calendar = self
            .store()
            .work_calendar(today.year() - 1..=today.year())
            .await?;
        // The n-th event of a case at 9:00 + n hours Beijing time on its day, never later than now.
        let at = |day: NaiveDate, event: u32| {
            let time = NaiveTime::from_hms_opt(9 + event.min(12), 0, 0).unwrap_or_default();
            day.and_time(time)
                .and_local_timezone(beijing())
                .single()
                .map_or(now, |t| t.with_timezone(&Utc).min(now))
        };
        for (index, demo) in file.cases.iter().enumerate() {
            let failed = |what: &str, err: AppError| {
                AppError::Internal(format!("data/demo/cases.json case {}: {what}: {err}", index + 1))
            };
            let room = names.room(&demo.room)?;
            let reception = demo
                .reception
                .and_then(|k| names.receptions.get(&room.id)?.get(k.checked_sub(1)?).copied());
            let day = reception.map_or_else(|| calendar.subtract_working_days(today, demo.ago), |r| r.1);
            let opened = self.as_of(at(day, 0));
            let case = match demo.channel {
                Channel::Online => {
                    let opinion = OnlineOpinion {
                        content: demo.content.clone(),
                        contact_name: demo.name.clone(),
                        contact_phone: demo.phone.clone().unwrap_or_default(),
                        community: demo.community.clone(),
                        consent: true,
                        anonymous_to_departments: false,
                        trap: None,
                    };
                    opened.submit_online_opinion(room.id, &opinion, None).await
                }
                Channel::Visit => {
                    let by = demo
                        .by
                        .as_deref()
                        .ok_or_else(|| AppError::Internal("a demo visit needs `by`".into()))?;
                    let visit = Visit {
                        room_id: room.id,
                        content: demo.content.clone(),
                        contact_name: demo.name.clone(),
                        contact_phone: demo.phone.clone(),
                        community: demo.community.clone(),
                        member_id: demo.member.as_deref().map(|m| names.member(m)).transpose()?,
                        activity_id: reception.map(|r| r.0),
                        consent: true,
                        anonymous_to_departments: false,
                    };
                    opened.register_visit(names.account(by)?, &visit).await
                }
            }
            .map_err(|err| failed("opening", err))?;
            let mut event = 0;
            for step in &demo.steps {
                event += 1;
                let input = StepInput {
                    action: step.action.clone(),
                    procedure: step.procedure.clone(),
                    told_body: step.told_body.clone(),
                    answer: step.answer.clone(),
                    instruction: step.instruction.clone(),
                    department_id: step
                        .department
                        .as_deref()
                        .map(|d| names.department(d))
                        .transpose()?,
                    result: step.result.clone(),
                    text: step.text.clone(),
                    title: step.title.clone(),
                    summary: step.summary.clone(),
                    member_id: None,
                };
                let step_day = calendar.subtract_working_days(today, step.ago).max(day);
                self.as_of(at(step_day, event))
                    .take_step(names.account(&step.by)?, case.id, &input)
                    .await
                    .map_err(|err| failed(&step.action, err))?;
            }
            if let Some(rating) = &demo.rating {
                let rated_on = calendar.subtract_working_days(today, rating.ago).max(day);
                self.as_of(at(rated_on, event + 1))
                    .rate_case(
                        &case.tracking_code,
                        &rating.rating,
                        rating.comment.as_deref(),
                        None,
                    )
                    .await
                    .map_err(|err| failed("rating", err))?;
            }
        }
        Ok(())
    }
}
