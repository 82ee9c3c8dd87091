//! The case queue (案件列表): one page of the caller's cases at a time, filtered and counted by the
//! database — 待我办理, by state, route, room, street, year and overdue — open cases by due date,
//! each titled by its matter.

use chrono::{Datelike, NaiveDate, Utc};
use domain::authz::{Role, Scope};
use domain::opinion::{CaseState, Route, Standing, waiting_on};
use store::opinions::{CaseQuery, CaseRecord, Waiting};

use crate::access::Acting;
use crate::{App, AppError};

use super::{mask_contact, reads_as_outsider, redact_for_outsiders, steps_open_to};

/// Cases per page unless asked otherwise, and the most a page holds.
pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;

/// How many characters of the content title a row.
const MATTER_CHARS: usize = 28;

/// The queue's filters as they come from a form or a query string, unchecked.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only cases with a step for the caller (待我办理).
    pub mine: bool,
    pub state: Option<String>,
    pub route: Option<String>,
    pub room_id: Option<i64>,
    pub street_id: Option<i64>,
    pub year: Option<i32>,
    /// Only open cases past their step's due day (超期).
    pub overdue: bool,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// One row of the queue.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub case: CaseRecord,
    /// The first words of what the resident raised (反映事项), as the row's title.
    pub matter: String,
    /// Working days since it was received (for open cases; 0 once closed).
    pub age_working_days: u32,
    /// Working days past the current step's due day (0 when not late).
    pub late_working_days: u32,
    /// The caller has a step to take on it now.
    pub waits_on_caller: bool,
}

/// A page of the queue and how many cases match in all.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub items: Vec<QueueItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl CasePage {
    /// How many pages the matching cases fill (at least 1).
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
}

/// The first words of a case's content, on one line.
pub fn matter_of(content: &str) -> String {
    let flat: String = content.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > MATTER_CHARS {
        format!("{}…", flat.chars().take(MATTER_CHARS).collect::<String>())
    } else {
        flat
    }
}

/// The steps the caller's role takes, whoever holds the case: what 待我办理 asks the database for.
fn waiting_for(acting: &Acting) -> Waiting {
    let Acting::Account(actor) = acting else {
        return Waiting::default();
    };
    let (standing, department_id, member_id) = match (actor.role, actor.scope) {
        (Role::RoomStaff, _) => (
            Standing {
                room_staff: true,
                ..Standing::NONE
            },
            None,
            None,
        ),
        (Role::StreetLead, _) => (
            Standing {
                street_lead: true,
                ..Standing::NONE
            },
            None,
            None,
        ),
        (_, Scope::Department { department_id, .. }) => (
            Standing {
                holding_department: true,
                ..Standing::NONE
            },
            Some(department_id),
            None,
        ),
        (_, Scope::Member { member_id, .. }) => (
            Standing {
                member: true,
                ..Standing::NONE
            },
            None,
            Some(member_id),
        ),
        _ => (Standing::NONE, None, None),
    };
    Waiting {
        pairs: waiting_on(standing),
        department_id,
        member_id,
    }
}

fn parse_filter(filter: &QueueFilter, calendar_today: NaiveDate) -> Result<CaseQuery, AppError> {
    let state = match filter.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(CaseState::parse(raw).ok_or_else(|| {
            AppError::invalid(
                "state",
                format!(
                    "办理状态「{raw}」无效：应为 {}",
                    CaseState::ALL.map(CaseState::as_str).join("、")
                ),
            )
        })?),
    };
    let route = match filter.route.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(Route::parse(raw).ok_or_else(|| {
            AppError::invalid(
                "route",
                format!(
                    "办理途径「{raw}」无效：应为 {}",
                    Route::ALL.map(Route::as_str).join("、")
                ),
            )
        })?),
    };
    let received = match filter.year {
        None => None,
        Some(year) => {
            domain::calendar::Year::of_records(year, calendar_today)?;
            let start = |y: i32| {
                NaiveDate::from_ymd_opt(y, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|t| t.and_local_timezone(crate::clock::beijing()).single())
                    .map(|t| t.with_timezone(&Utc))
            };
            Some(
                start(year)
                    .zip(start(year + 1))
                    .ok_or_else(|| AppError::invalid("year", "年份无效"))?,
            )
        }
    };
    let page = filter.page.unwrap_or(1);
    if page == 0 || page > 100_000 {
        return Err(AppError::invalid("page", "页码应为 1 至 100000 的整数"));
    }
    let per_page = filter.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(AppError::invalid(
            "per_page",
            format!("每页条数应为 1 至 {MAX_PER_PAGE}"),
        ));
    }
    Ok(CaseQuery {
        state,
        route,
        room_id: filter.room_id,
        street_id: filter.street_id,
        received,
        due_before: None,
        waiting: None,
        page,
        per_page,
    })
}

impl App {
    /// One page of the caller's cases (contact data masked as in every list), with the total.
    pub async fn case_queue(&self, acting: &Acting, filter: &QueueFilter) -> Result<CasePage, AppError> {
        let today = self.clock().today();
        let mut query = parse_filter(filter, today)?;
        let calendar = self
            .store()
            .work_calendar(today.year() - 1..=today.year())
            .await?;
        if filter.overdue {
            query.due_before = Some(calendar.late_if_due_before(today, 1));
        }
        if filter.mine {
            query.waiting = Some(waiting_for(acting));
        }
        let scope = acting.scope();
        let (cases, total) = self.store().case_page(&scope, &query).await?;
        let outside = reads_as_outsider(acting);
        let items = cases
            .into_iter()
            .map(|mut case| {
                let waits_on_caller = !steps_open_to(acting, &case).is_empty();
                if outside {
                    redact_for_outsiders(&mut case);
                } else {
                    mask_contact(&mut case);
                }
                let received = case
                    .received_at
                    .with_timezone(&crate::clock::beijing())
                    .date_naive();
                let open = case.state != CaseState::Closed;
                QueueItem {
                    matter: matter_of(&case.content),
                    age_working_days: if open {
                        calendar.working_days_between(received, today)
                    } else {
                        0
                    },
                    late_working_days: match case.due_on {
                        Some(due) if open => calendar.working_days_between(due, today),
                        _ => 0,
                    },
                    waits_on_caller,
                    case,
                }
            })
            .collect();
        Ok(CasePage {
            items,
            total,
            page: query.page,
            per_page: query.per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matter_is_the_first_words_on_one_line() {
        assert_eq!(matter_of("夜间施工\n噪音扰民。"), "夜间施工 噪音扰民。");
        let long = "三眼井社区 12 号楼前的路灯已经坏了两周，晚上老人出行不安全，希望尽快修复。";
        let matter = matter_of(long);
        assert!(matter.ends_with('…') && matter.chars().count() == MATTER_CHARS + 1);
    }

    #[test]
    fn bad_filters_say_which_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let field = |filter: QueueFilter| match parse_filter(&filter, today) {
            Err(AppError::Invalid { field, .. }) => field.unwrap_or_default(),
            other => panic!("{other:?}"),
        };
        let state = QueueFilter {
            state: Some("lost".into()),
            ..QueueFilter::default()
        };
        assert_eq!(field(state), "state");
        let per_page = QueueFilter {
            per_page: Some(MAX_PER_PAGE + 1),
            ..QueueFilter::default()
        };
        assert_eq!(field(per_page), "per_page");
        let page = QueueFilter {
            page: Some(0),
            ..QueueFilter::default()
        };
        assert_eq!(field(page), "page");
        let year = QueueFilter {
            year: Some(1999),
            ..QueueFilter::default()
        };
        assert_eq!(field(year), "year");
        let fine = parse_filter(&QueueFilter::default(), today).unwrap();
        assert_eq!((fine.page, fine.per_page), (1, DEFAULT_PER_PAGE));
    }
}
