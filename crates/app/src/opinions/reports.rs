//! Reports over cases: overdue steps pressed on someone (督办), satisfaction by room and route, and
//! the retention jobs.

use chrono::Datelike;
use domain::authz::Scope;
use domain::opinion::{CaseState, Rating, Route};
use store::opinions::CaseRecord;

use crate::access::Acting;
use crate::{App, AppError};

use super::steps_open_to;

/// A case whose current step is past its due day, with how late it is and whom it is pressed on.
#[derive(Debug, Clone)]
pub struct OverdueCase {
    pub case: CaseRecord,
    pub late_working_days: u32,
    pub escalation: domain::opinion::Escalation,
}

/// Ratings of closed cases for one room and route (满意度).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Satisfaction {
    pub room_name: String,
    pub route: Option<Route>,
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
    /// Closed but not (yet) rated.
    pub unrated: u32,
}

impl App {
    /// Overdue cases pressed on the caller (督办, X13): the room's staff see their own late steps; a
    /// town/street lead every late step in the street; a district (and the city) those late by
    /// `DISTRICT_ESCALATION_WORKING_DAYS` working days or more. Departments and members see the late
    /// steps they hold.
    pub async fn overdue_cases(&self, acting: &Acting) -> Result<Vec<OverdueCase>, AppError> {
        let cases = self.cases(acting).await?;
        self.overdue_among(acting, cases).await
    }

    /// For the workbench, from one read of the caller's cases: how many wait on the caller (待办) and
    /// how many late steps are pressed on them (督办).
    pub async fn opinions_at_a_glance(&self, acting: &Acting) -> Result<(usize, usize), AppError> {
        let cases = self.cases(acting).await?;
        let waiting = cases
            .iter()
            .filter(|c| !steps_open_to(acting, c).is_empty())
            .count();
        let overdue = self.overdue_among(acting, cases).await?.len();
        Ok((waiting, overdue))
    }

    async fn overdue_among(
        &self,
        acting: &Acting,
        cases: Vec<CaseRecord>,
    ) -> Result<Vec<OverdueCase>, AppError> {
        let today = self.clock().today();
        let calendar = self
            .store()
            .work_calendar(today.year() - 1..=today.year())
            .await?;
        let scope = acting.scope();
        let district_level = matches!(scope, Scope::District { .. } | Scope::City);
        let mut out: Vec<OverdueCase> = cases
            .into_iter()
            .filter(|c| c.state != CaseState::Closed)
            // Departments and members are pressed only on the steps they hold.
            .filter(|c| match scope {
                Scope::Department { department_id, .. } => {
                    c.department.as_ref().is_some_and(|d| d.0 == department_id)
                        && c.state != CaseState::FeedbackGiven
                }
                Scope::Member { .. } => c.state == CaseState::FeedbackGiven,
                _ => true,
            })
            .filter_map(|case| {
                let due = case.due_on?;
                let late = calendar.working_days_between(due, today);
                let escalation = domain::opinion::escalation(late)?;
                (!district_level || escalation == domain::opinion::Escalation::District).then_some(
                    OverdueCase {
                        case,
                        late_working_days: late,
                        escalation,
                    },
                )
            })
            .collect();
        out.sort_by_key(|o| std::cmp::Reverse(o.late_working_days));
        Ok(out)
    }

    /// Residents' ratings of closed cases in the caller's scope, by room and route.
    pub async fn satisfaction(&self, acting: &Acting) -> Result<Vec<Satisfaction>, AppError> {
        let mut rows: Vec<Satisfaction> = Vec::new();
        for case in self.cases(acting).await? {
            // Closed cases, and those the resident rated 不满意 that are under review.
            if case.state != CaseState::Closed && case.rating.is_none() {
                continue;
            }
            let index = if let Some(i) = rows
                .iter()
                .position(|r| r.room_name == case.room_name && r.route == case.route)
            {
                i
            } else {
                rows.push(Satisfaction {
                    room_name: case.room_name.clone(),
                    route: case.route,
                    ..Satisfaction::default()
                });
                rows.len() - 1
            };
            let row = &mut rows[index];
            match case.rating {
                Some(Rating::Satisfied) => row.satisfied += 1,
                Some(Rating::BasicallySatisfied) => row.basically_satisfied += 1,
                Some(Rating::Dissatisfied) => row.dissatisfied += 1,
                None => row.unrated += 1,
            }
        }
        rows.sort_by(|a, b| {
            a.room_name
                .cmp(&b.room_name)
                .then(a.route.map(Route::as_str).cmp(&b.route.map(Route::as_str)))
        });
        Ok(rows)
    }
}

impl App {
    /// Anonymises the residents of cases closed longer ago than the rule set's retention period (X7).
    /// Safe to run on several servers at once: the update skips what is already anonymised.
    pub async fn anonymise_expired_cases(&self) -> Result<u64, AppError> {
        let now = self.clock().now();
        let days = self
            .store()
            .rule_book()
            .await?
            .in_effect(self.clock().today())
            .map_or(730, |r| r.opinion_retention_days);
        let cutoff = now - chrono::Duration::days(i64::from(days));
        Ok(self.store().anonymise_closed_cases(cutoff, now).await?)
    }

    /// Deletes rate-limit records past their use, among them the keys derived from residents' phones
    /// (X7). Safe on several servers at once.
    pub async fn forget_stale_throttles(&self) -> Result<u64, AppError> {
        Ok(self.store().forget_stale_throttles(self.clock().now()).await?)
    }
}
