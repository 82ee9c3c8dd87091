//! Reminders (提醒, X5): what is due to whom on a given day, from the records' facts and the official
//! calendar — before a rule is broken, not after. Each reminder names its recipients by role and
//! place (the store finds the accounts) and carries a dedupe key per recipient, so however many
//! servers scan at once, each is created once.

use chrono::{Datelike, Days, NaiveDate};

use crate::calendar::WorkCalendar;
use crate::inspection::{Owner, TaskStatus};
use crate::opinion::{CaseState, Route, Standing, possible_steps};

/// The kinds of reminder. Stored as text; a new kind needs a migration widening the column's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReminderKind {
    /// A case arrived at the recipient's step (待办).
    CaseArrived,
    /// The step is due on the next working day.
    StepDueTomorrow,
    /// The step is past its due day: the holder and the town/street lead (督办).
    StepOverdue,
    /// The step is `DISTRICT_ESCALATION_WORKING_DAYS` late: the district too.
    StepEscalated,
    /// A reception notice not yet posted five days before the session.
    NoticeDue,
    /// Still not posted three days before: the street lead too.
    NoticeUrgent,
    /// From October 1, monthly: a member short of the yearly minimum (R17).
    BelowMinimum,
    /// The district's annual summary not submitted by December 10.
    SummaryDue,
    /// Not submitted by the due day.
    SummaryOverdue,
    /// A rectification task (整改, R15) reached the recipient: a new or returned task to its owner, a
    /// report to the inspecting departments.
    RectificationWaiting,
    /// A task with its owner is due within [`RECTIFICATION_DUE_DAYS`] days.
    RectificationDue,
    /// Past its due day with its owner: the owner and the inspecting departments.
    RectificationOverdue,
    /// A member's support request (履职支持, R12) unanswered after
    /// [`SUPPORT_ANSWER_WORKING_DAYS`] working days: the district's staff.
    SupportUnanswered,
}

impl ReminderKind {
    pub const ALL: [Self; 13] = [
        Self::CaseArrived,
        Self::StepDueTomorrow,
        Self::StepOverdue,
        Self::StepEscalated,
        Self::NoticeDue,
        Self::NoticeUrgent,
        Self::BelowMinimum,
        Self::SummaryDue,
        Self::SummaryOverdue,
        Self::RectificationWaiting,
        Self::RectificationDue,
        Self::RectificationOverdue,
        Self::SupportUnanswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseArrived => "case_arrived",
            Self::StepDueTomorrow => "step_due_tomorrow",
            Self::StepOverdue => "step_overdue",
            Self::StepEscalated => "step_escalated",
            Self::NoticeDue => "notice_due",
            Self::NoticeUrgent => "notice_urgent",
            Self::BelowMinimum => "below_minimum",
            Self::SummaryDue => "summary_due",
            Self::SummaryOverdue => "summary_overdue",
            Self::RectificationWaiting => "rectification_waiting",
            Self::RectificationDue => "rectification_due",
            Self::RectificationOverdue => "rectification_overdue",
            Self::SupportUnanswered => "support_unanswered",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::CaseArrived => "新的待办",
            Self::StepDueTomorrow => "明天到期",
            Self::StepOverdue => "已超期",
            Self::StepEscalated => "超期督办",
            Self::NoticeDue => "接待公告待张贴",
            Self::NoticeUrgent => "接待公告即将逾期",
            Self::BelowMinimum => "履职次数不足",
            Self::SummaryDue => "年度总结待报送",
            Self::SummaryOverdue => "年度总结逾期",
            Self::RectificationWaiting => "整改待办",
            Self::RectificationDue => "整改即将到期",
            Self::RectificationOverdue => "整改逾期",
            Self::SupportUnanswered => "履职支持请求待答复",
        }
    }
}

/// Who a reminder is for, by role and place; the store resolves each to the accounts that hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Recipient {
    RoomStaff {
        room_id: i64,
    },
    StreetLead {
        street_id: i64,
    },
    Department {
        department_id: i64,
    },
    Member {
        member_id: i64,
    },
    DistrictStaff {
        district_id: i64,
    },
    CityOffice,
    /// The working departments that inspect the district's rooms (the city's and the district's own).
    Inspectors {
        district_id: i64,
    },
}

/// One reminder before it is addressed to accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// What it is about, as `case:12`, `session:7`, `member:3`, `summary:440104:2026`.
    pub subject: String,
    /// The day the thing is due (part of the dedupe key: a new due day is a new reminder).
    pub due_date: Option<NaiveDate>,
    pub recipients: Vec<Recipient>,
    /// The sentence shown.
    pub title: String,
    /// Where it leads.
    pub link: String,
}

/// The key that makes a reminder to one account unique: kind, subject, due day and recipient.
pub fn dedupe_key(reminder: &Reminder, account_id: i64) -> String {
    let due = reminder.due_date.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{}|{}|{due}|{account_id}",
        reminder.kind.as_str(),
        reminder.subject
    )
}

/// What a reminder needs to know of an open case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: i64,
    pub state: CaseState,
    pub route: Option<Route>,
    pub due_on: Option<NaiveDate>,
    pub room_id: i64,
    pub street_id: i64,
    pub district_id: i64,
    pub department_id: Option<i64>,
    pub member_id: Option<i64>,
    /// The first words of the content.
    pub matter: String,
}

/// Who holds a case's current step: each party with a step open in its state, read off the state
/// machine (the room's staff and the member both may act on a received visit).
pub fn holders(case: &CaseFacts) -> Vec<Recipient> {
    let may = |standing: Standing| !possible_steps(case.state, case.route, standing).is_empty();
    let mut out = Vec::new();
    if may(Standing {
        room_staff: true,
        ..Standing::NONE
    }) {
        out.push(Recipient::RoomStaff {
            room_id: case.room_id,
        });
    }
    if may(Standing {
        street_lead: true,
        ..Standing::NONE
    }) {
        out.push(Recipient::StreetLead {
            street_id: case.street_id,
        });
    }
    if let Some(department_id) = case.department_id
        && may(Standing {
            holding_department: true,
            ..Standing::NONE
        })
    {
        out.push(Recipient::Department { department_id });
    }
    if let Some(member_id) = case.member_id
        && may(Standing {
            member: true,
            ..Standing::NONE
        })
    {
        out.push(Recipient::Member { member_id });
    }
    out
}

/// The reminder that a case reached its holders (sent at once by the step, and by every scan until
/// it exists).
pub fn case_arrived(case: &CaseFacts) -> Option<Reminder> {
    let recipients = holders(case);
    (!recipients.is_empty() && case.state != CaseState::Closed).then(|| Reminder {
        kind: ReminderKind::CaseArrived,
        subject: format!("case:{}:{}", case.id, case.state.as_str()),
        due_date: case.due_on,
        recipients,
        title: format!("群众意见待您办理：{}", case.matter),
        link: format!("/admin/opinions/{}", case.id),
    })
}

/// A case's deadline reminders on `today`: due on the next working day (on a working day, so
/// Friday's reminder covers Monday), overdue (holder and street lead), and escalated to the district.
pub fn case_deadlines(case: &CaseFacts, today: NaiveDate, calendar: &WorkCalendar) -> Vec<Reminder> {
    let Some(due) = case.due_on else {
        return Vec::new();
    };
    if case.state == CaseState::Closed {
        return Vec::new();
    }
    let holders = holders(case);
    let link = format!("/admin/opinions/{}", case.id);
    let subject = format!("case:{}:{}", case.id, case.state.as_str());
    let mut out = Vec::new();
    if calendar.is_working_day(today) && calendar.add_working_days(today, 1) == due && !holders.is_empty() {
        out.push(Reminder {
            kind: ReminderKind::StepDueTomorrow,
            subject: subject.clone(),
            due_date: Some(due),
            recipients: holders.clone(),
            title: format!("明天（{due}）到期：{}", case.matter),
            link: link.clone(),
        });
    }
    let late = calendar.working_days_between(due, today);
    if late >= 1 {
        let mut recipients = holders;
        let lead = Recipient::StreetLead {
            street_id: case.street_id,
        };
        if !recipients.contains(&lead) {
            recipients.push(lead);
        }
        out.push(Reminder {
            kind: ReminderKind::StepOverdue,
            subject: subject.clone(),
            due_date: Some(due),
            recipients,
            title: format!("已超期（应于 {due} 前办理）：{}", case.matter),
            link: link.clone(),
        });
    }
    if late >= crate::opinion::DISTRICT_ESCALATION_WORKING_DAYS {
        out.push(Reminder {
            kind: ReminderKind::StepEscalated,
            subject,
            due_date: Some(due),
            recipients: vec![Recipient::DistrictStaff {
                district_id: case.district_id,
            }],
            title: format!("超期 {late} 个工作日，请督办：{}", case.matter),
            link,
        });
    }
    out
}

/// What a notice reminder needs to know of a planned reception session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFacts {
    pub id: i64,
    pub room_id: i64,
    pub room_name: String,
    pub street_id: i64,
    pub date: NaiveDate,
    pub notice_posted: bool,
}

/// Days before a session when its unposted notice is first raised, and when the lead is told too.
pub const NOTICE_FIRST_DAYS: u64 = 5;
pub const NOTICE_URGENT_DAYS: u64 = 3;

/// A planned session's notice reminders on `today`: five days before (room staff), three days
/// before (room staff and street lead), while the notice is not marked posted.
pub fn notice_reminders(session: &SessionFacts, today: NaiveDate) -> Vec<Reminder> {
    if session.notice_posted || today > session.date {
        return Vec::new();
    }
    let before = |days: u64| {
        session
            .date
            .checked_sub_days(Days::new(days))
            .unwrap_or(session.date)
    };
    let staff = Recipient::RoomStaff {
        room_id: session.room_id,
    };
    let link = format!("/admin/rooms/{}/sessions", session.room_id);
    let subject = format!("session:{}", session.id);
    let mut out = Vec::new();
    if today >= before(NOTICE_FIRST_DAYS) {
        out.push(Reminder {
            kind: ReminderKind::NoticeDue,
            subject: subject.clone(),
            due_date: Some(session.date),
            recipients: vec![staff],
            title: format!(
                "{} {} 的接待日公告尚未张贴，请尽快公布",
                session.room_name, session.date
            ),
            link: link.clone(),
        });
    }
    if today >= before(NOTICE_URGENT_DAYS) {
        out.push(Reminder {
            kind: ReminderKind::NoticeUrgent,
            subject,
            due_date: Some(session.date),
            recipients: vec![
                staff,
                Recipient::StreetLead {
                    street_id: session.street_id,
                },
            ],
            title: format!(
                "{} {} 的接待日公告仍未张贴，即将违反提前公告的规定",
                session.room_name, session.date
            ),
            link,
        });
    }
    out
}

/// The first month of the members' minimum reminders (R17: the fourth quarter).
pub const BELOW_MINIMUM_FROM_MONTH: u32 = 10;

/// A member short of the yearly minimum, from October on, once a month: to the member and the
/// district. `remaining` is what is left to reach the minimum.
pub fn below_minimum(
    member_id: i64,
    member_name: &str,
    district_id: Option<i64>,
    remaining: u32,
    today: NaiveDate,
) -> Option<Reminder> {
    if remaining == 0 || today.month() < BELOW_MINIMUM_FROM_MONTH {
        return None;
    }
    let month = today.with_day(1)?;
    let mut recipients = vec![Recipient::Member { member_id }];
    if let Some(district_id) = district_id {
        recipients.push(Recipient::DistrictStaff { district_id });
    }
    Some(Reminder {
        kind: ReminderKind::BelowMinimum,
        subject: format!("member:{member_id}:{}", today.year()),
        due_date: Some(month),
        recipients,
        title: format!("{member_name}委员本年度进社区履职还差 {remaining} 次，请关注所在工作室的接待安排"),
        link: format!("/admin/members/{member_id}"),
    })
}

/// The day from which an unsubmitted annual summary is raised.
pub const SUMMARY_REMINDER_DAY: u32 = 10;

/// A district's annual summary not yet submitted: from December 10 (district staff), and from the
/// due day (district staff and the city general office).
pub fn summary_reminders(
    district_id: i64,
    district_code: &str,
    district_name: &str,
    year: i32,
    submitted: bool,
    due: NaiveDate,
    today: NaiveDate,
) -> Vec<Reminder> {
    let Some(from) = NaiveDate::from_ymd_opt(year, 12, SUMMARY_REMINDER_DAY) else {
        return Vec::new();
    };
    if submitted || today < from.min(due) || today.year() != year {
        return Vec::new();
    }
    let subject = format!("summary:{district_code}:{year}");
    let link = format!("/admin/annual-summaries/{district_code}/{year}");
    let district = Recipient::DistrictStaff { district_id };
    if today >= due {
        vec![Reminder {
            kind: ReminderKind::SummaryOverdue,
            subject,
            due_date: Some(due),
            recipients: vec![district, Recipient::CityOffice],
            title: format!("{district_name} {year} 年度工作总结已过报送期限（{due}），尚未报送"),
            link,
        }]
    } else {
        vec![Reminder {
            kind: ReminderKind::SummaryDue,
            subject,
            due_date: Some(due),
            recipients: vec![district],
            title: format!("{district_name} {year} 年度工作总结尚未报送，截止 {due}"),
            link,
        }]
    }
}

/// How many days before its due day a rectification task is raised with its owner.
pub const RECTIFICATION_DUE_DAYS: u64 = 3;

/// What a reminder needs to know of a rectification task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub id: i64,
    pub room_id: i64,
    pub room_name: String,
    pub street_id: i64,
    pub district_id: i64,
    pub owner: Owner,
    pub status: TaskStatus,
    pub due: NaiveDate,
    /// Steps taken so far: each new round (assigned, reported, returned) is told once.
    pub steps: usize,
}

fn owner_recipient(task: &TaskFacts) -> Recipient {
    match task.owner {
        Owner::RoomStaff => Recipient::RoomStaff {
            room_id: task.room_id,
        },
        Owner::StreetLead => Recipient::StreetLead {
            street_id: task.street_id,
        },
        Owner::District => Recipient::DistrictStaff {
            district_id: task.district_id,
        },
    }
}

/// What a rectification task raises today: who it waits on now (the owner while open or returned,
/// the inspecting departments once reported), and while with its owner, due within
/// [`RECTIFICATION_DUE_DAYS`] days or past due (the inspectors told too). A closed task raises nothing.
pub fn rectification_reminders(task: &TaskFacts, today: NaiveDate) -> Vec<Reminder> {
    let link = format!("/admin/rectifications/{}", task.id);
    let inspectors = Recipient::Inspectors {
        district_id: task.district_id,
    };
    let owner = owner_recipient(task);
    let mut out = Vec::new();
    let waiting = |recipients, title| Reminder {
        kind: ReminderKind::RectificationWaiting,
        subject: format!("rectification:{}#{}", task.id, task.steps),
        due_date: Some(task.due),
        recipients,
        title,
        link: link.clone(),
    };
    match task.status {
        TaskStatus::Closed => return out,
        TaskStatus::Reported => {
            out.push(waiting(
                vec![inspectors],
                format!("{}报告了整改情况，请验收", task.room_name),
            ));
            return out;
        }
        TaskStatus::Open => out.push(waiting(
            vec![owner],
            format!(
                "{}有一项检查发现的问题需要整改，期限 {}",
                task.room_name, task.due
            ),
        )),
        TaskStatus::Returned => out.push(waiting(
            vec![owner],
            format!(
                "{}的整改情况被退回，请重新整改，期限 {}",
                task.room_name, task.due
            ),
        )),
    }
    let subject = format!("rectification:{}", task.id);
    if today > task.due {
        out.push(Reminder {
            kind: ReminderKind::RectificationOverdue,
            subject,
            due_date: Some(task.due),
            recipients: vec![owner, inspectors],
            title: format!(
                "{}的整改任务已过期限（{}），尚未报告整改情况",
                task.room_name, task.due
            ),
            link,
        });
    } else if today
        .checked_add_days(Days::new(RECTIFICATION_DUE_DAYS))
        .is_some_and(|soon| soon >= task.due)
    {
        out.push(Reminder {
            kind: ReminderKind::RectificationDue,
            subject,
            due_date: Some(task.due),
            recipients: vec![owner],
            title: format!(
                "{}的整改任务 {} 到期，请及时报告整改情况",
                task.room_name, task.due
            ),
            link,
        });
    }
    out
}

/// How many working days the district has to answer a member's support request before it is reminded.
pub const SUPPORT_ANSWER_WORKING_DAYS: u32 = 5;

/// What a reminder needs to know of a support request waiting on the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportFacts {
    pub id: i64,
    pub district_id: i64,
    pub room_name: String,
    pub kind_label: &'static str,
    /// The day of the member's last question (the request or the latest 追问).
    pub asked_on: NaiveDate,
    /// How many questions so far: each round is reminded once.
    pub asks: usize,
}

/// A request the district has not answered within [`SUPPORT_ANSWER_WORKING_DAYS`] working days of the
/// member's last question: its staff are reminded, from the next day on, once per round.
pub fn support_reminders(
    request: &SupportFacts,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Option<Reminder> {
    let due = calendar.add_working_days(request.asked_on, SUPPORT_ANSWER_WORKING_DAYS);
    (today > due).then(|| Reminder {
        kind: ReminderKind::SupportUnanswered,
        subject: format!("support:{}#{}", request.id, request.asks),
        due_date: Some(due),
        recipients: vec![Recipient::DistrictStaff {
            district_id: request.district_id,
        }],
        title: format!(
            "{}：委员的{}请求超过 {SUPPORT_ANSWER_WORKING_DAYS} 个工作日未答复（答复期限 {due}）",
            request.room_name, request.kind_label
        ),
        link: format!("/admin/support-requests/{}", request.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::arrangement::OfficialKind;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn case(state: CaseState, route: Option<Route>, due: &str) -> CaseFacts {
        CaseFacts {
            id: 7,
            state,
            route,
            due_on: Some(date(due)),
            room_id: 1,
            street_id: 2,
            district_id: 3,
            department_id: Some(4),
            member_id: None,
            matter: "路灯坏了".into(),
        }
    }

    fn kinds(reminders: &[Reminder]) -> Vec<ReminderKind> {
        reminders.iter().map(|r| r.kind).collect()
    }

    #[test]
    fn every_kind_reads_back() {
        for kind in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn a_step_is_due_tomorrow_on_the_working_day_before_and_late_after() {
        let mut calendar = WorkCalendar::new();
        calendar.mark(2026, date("2026-10-01"), OfficialKind::Holiday, "国庆节");
        let at_department = case(CaseState::AtDepartment, Some(Route::Street), "2026-11-30");
        // Due Monday 30 Nov: told on Friday 27th, not on Thursday, Saturday or Sunday.
        assert_eq!(
            kinds(&case_deadlines(&at_department, date("2026-11-27"), &calendar)),
            [ReminderKind::StepDueTomorrow]
        );
        for quiet in ["2026-11-26", "2026-11-28", "2026-11-29", "2026-11-30"] {
            assert!(
                case_deadlines(&at_department, date(quiet), &calendar).is_empty(),
                "{quiet}"
            );
        }
        // Tuesday: one working day late, the department and the street lead are told.
        let late = case_deadlines(&at_department, date("2026-12-01"), &calendar);
        assert_eq!(kinds(&late), [ReminderKind::StepOverdue]);
        assert_eq!(
            late[0].recipients,
            [
                Recipient::Department { department_id: 4 },
                Recipient::StreetLead { street_id: 2 }
            ]
        );
        // Thursday: three working days late, the district too.
        let escalated = case_deadlines(&at_department, date("2026-12-03"), &calendar);
        assert_eq!(
            kinds(&escalated),
            [ReminderKind::StepOverdue, ReminderKind::StepEscalated]
        );
        assert_eq!(
            escalated[1].recipients,
            [Recipient::DistrictStaff { district_id: 3 }]
        );
        // Holidays are days off: due on Friday 2 October after the 1st's holiday, told on Wednesday
        // 30 September, the working day before, and not on the 29th.
        let after_holiday = case(CaseState::Received, None, "2026-10-02");
        assert_eq!(
            kinds(&case_deadlines(&after_holiday, date("2026-09-30"), &calendar)),
            [ReminderKind::StepDueTomorrow]
        );
        assert!(case_deadlines(&after_holiday, date("2026-09-29"), &calendar).is_empty());
        let closed = case(CaseState::Closed, Some(Route::Street), "2026-11-30");
        assert!(case_deadlines(&closed, date("2026-12-03"), &calendar).is_empty());
    }

    #[test]
    fn the_holder_is_who_may_take_the_step() {
        let received = case(CaseState::Received, None, "2026-12-01");
        assert_eq!(holders(&received), [Recipient::RoomStaff { room_id: 1 }]);
        let at_lead = case(CaseState::AtStreetLead, Some(Route::Street), "2026-12-01");
        assert_eq!(holders(&at_lead), [Recipient::StreetLead { street_id: 2 }]);
        let mut feedback = case(CaseState::FeedbackGiven, Some(Route::Petition), "2026-12-01");
        feedback.member_id = Some(9);
        assert_eq!(holders(&feedback), [Recipient::Member { member_id: 9 }]);
        let arrived = case_arrived(&at_lead).unwrap();
        assert_eq!(arrived.kind, ReminderKind::CaseArrived);
        assert_ne!(
            dedupe_key(&arrived, 1),
            dedupe_key(&case_arrived(&received).unwrap(), 1),
            "a new step is a new arrival"
        );
    }

    #[test]
    fn notices_are_raised_five_then_three_days_before() {
        let session = SessionFacts {
            id: 5,
            room_id: 1,
            room_name: "洪桥街政协委员工作室".into(),
            street_id: 2,
            date: date("2027-01-15"),
            notice_posted: false,
        };
        assert!(notice_reminders(&session, date("2027-01-09")).is_empty());
        assert_eq!(
            kinds(&notice_reminders(&session, date("2027-01-10"))),
            [ReminderKind::NoticeDue]
        );
        let urgent = notice_reminders(&session, date("2027-01-12"));
        assert_eq!(
            kinds(&urgent),
            [ReminderKind::NoticeDue, ReminderKind::NoticeUrgent]
        );
        assert!(
            urgent[1]
                .recipients
                .contains(&Recipient::StreetLead { street_id: 2 })
        );
        assert!(notice_reminders(&session, date("2027-01-16")).is_empty());
        let posted = SessionFacts {
            notice_posted: true,
            ..session
        };
        assert!(notice_reminders(&posted, date("2027-01-12")).is_empty());
    }

    #[test]
    fn members_short_are_told_monthly_from_october() {
        assert!(below_minimum(1, "陈思远", Some(3), 2, date("2026-09-30")).is_none());
        let october = below_minimum(1, "陈思远", Some(3), 2, date("2026-10-01")).unwrap();
        let late_october = below_minimum(1, "陈思远", Some(3), 2, date("2026-10-28")).unwrap();
        let november = below_minimum(1, "陈思远", Some(3), 1, date("2026-11-02")).unwrap();
        assert_eq!(
            dedupe_key(&october, 8),
            dedupe_key(&late_october, 8),
            "once a month"
        );
        assert_ne!(dedupe_key(&october, 8), dedupe_key(&november, 8));
        assert!(november.title.contains("还差 1 次"));
        assert!(below_minimum(1, "陈思远", Some(3), 0, date("2026-11-02")).is_none());
    }

    #[test]
    fn a_summary_is_raised_from_the_tenth_and_to_the_city_when_late() {
        let due = date("2026-12-20");
        let on = |today: &str, submitted: bool| {
            kinds(&summary_reminders(
                3,
                "440105",
                "海珠区",
                2026,
                submitted,
                due,
                date(today),
            ))
        };
        assert!(on("2026-12-09", false).is_empty());
        assert_eq!(on("2026-12-10", false), [ReminderKind::SummaryDue]);
        assert_eq!(on("2026-12-20", false), [ReminderKind::SummaryOverdue]);
        assert!(on("2026-12-15", true).is_empty());
        let late = summary_reminders(3, "440105", "海珠区", 2026, false, due, date("2026-12-21"));
        assert!(late[0].recipients.contains(&Recipient::CityOffice));
    }

    #[test]
    fn a_support_request_unanswered_for_five_working_days_reminds_the_district_once_a_round() {
        let calendar = WorkCalendar::new();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let request = SupportFacts {
            id: 4,
            district_id: 2,
            room_name: "洪桥街政协委员工作室".into(),
            kind_label: "咨询",
            // Saturday 28 November: the five working days run Monday to Friday 4 December.
            asked_on: day(28),
            asks: 1,
        };
        let december = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(support_reminders(&request, december(4), &calendar), None);
        let late = support_reminders(&request, december(5), &calendar).unwrap();
        assert_eq!(late.kind, ReminderKind::SupportUnanswered);
        assert_eq!(late.due_date, Some(december(4)));
        assert_eq!(late.recipients, vec![Recipient::DistrictStaff { district_id: 2 }]);
        assert!(late.title.contains("超过 5 个工作日未答复"), "{}", late.title);
        let again = SupportFacts { asks: 2, ..request };
        assert_ne!(
            support_reminders(&again, december(20), &calendar)
                .unwrap()
                .subject,
            late.subject,
            "a new question is a new round"
        );
    }

    #[test]
    fn a_rectification_task_tells_its_owner_then_the_inspectors() {
        let task = |status, due: &str, steps| TaskFacts {
            id: 4,
            room_id: 7,
            room_name: "洪桥街政协委员工作室".into(),
            street_id: 20,
            district_id: 2,
            owner: Owner::StreetLead,
            status,
            due: date(due),
            steps,
        };
        let kinds = |t: &TaskFacts, today: &str| -> Vec<(ReminderKind, Vec<Recipient>)> {
            rectification_reminders(t, date(today))
                .into_iter()
                .map(|r| (r.kind, r.recipients))
                .collect()
        };
        let lead = Recipient::StreetLead { street_id: 20 };
        let inspectors = Recipient::Inspectors { district_id: 2 };
        let open = task(TaskStatus::Open, "2026-12-10", 0);
        assert_eq!(
            kinds(&open, "2026-12-01"),
            vec![(ReminderKind::RectificationWaiting, vec![lead])]
        );
        assert_eq!(
            kinds(&open, "2026-12-07")[1],
            (ReminderKind::RectificationDue, vec![lead]),
            "three days before"
        );
        assert_eq!(
            kinds(&open, "2026-12-11")[1],
            (ReminderKind::RectificationOverdue, vec![lead, inspectors])
        );
        let reported = task(TaskStatus::Reported, "2026-12-10", 1);
        assert_eq!(
            kinds(&reported, "2026-12-11"),
            vec![(ReminderKind::RectificationWaiting, vec![inspectors])],
            "reported: no longer pressed on the owner"
        );
        // A returned task is a new round: a new subject, so it is told again.
        let returned = task(TaskStatus::Returned, "2026-12-10", 2);
        let first = &rectification_reminders(&open, date("2026-12-01"))[0];
        let again = &rectification_reminders(&returned, date("2026-12-01"))[0];
        assert_ne!(dedupe_key(first, 1), dedupe_key(again, 1));
        assert!(kinds(&task(TaskStatus::Closed, "2026-12-10", 3), "2026-12-11").is_empty());
    }
}
