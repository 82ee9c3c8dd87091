//! Inspections (督查检查, R15) and rectification (整改): the city's checklist and how each item is
//! prefilled from a room's records, so the inspector confirms instead of counting; findings that become
//! rectification tasks with an owner and a due day; and a task's way to closure — the owner reports,
//! the inspecting department accepts or returns, and only an accepted task is closed.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::FieldError;
use crate::authz::{Actor, Place, Role};
use crate::text;

/// Longest finding, report or reason, in characters.
pub const TEXT_MAX: usize = 1000;
/// Most findings one inspection records.
pub const FINDINGS_MAX: usize = 30;
/// How long after the inspection it may be recorded.
pub const LONGEST_BACKDATING_DAYS: u64 = 60;
/// How far after the inspection a rectification may be due.
pub const LONGEST_RECTIFICATION_DAYS: u64 = 366;

/// One item of the city's checklist (检查清单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckItem {
    /// 人员配备: the room has staff and members serving it (R7).
    Staffing,
    /// 接待日按期开展: the reception days held as planned (R8).
    ReceptionDaysHeld,
    /// 公告按时张贴: notices posted by T-3 (R9).
    NoticesOnTime,
    /// 台账规范: sessions and activities recorded (R14).
    LedgersKept,
    /// 制度上墙: the room's rules in force (R14).
    RulesPosted,
    /// 意见按时办结: citizens' opinions answered within their steps' time (R13).
    OpinionsAnswered,
}

impl CheckItem {
    pub const ALL: [CheckItem; 6] = [
        Self::Staffing,
        Self::ReceptionDaysHeld,
        Self::NoticesOnTime,
        Self::LedgersKept,
        Self::RulesPosted,
        Self::OpinionsAnswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staffing => "staffing",
            Self::ReceptionDaysHeld => "reception_days_held",
            Self::NoticesOnTime => "notices_on_time",
            Self::LedgersKept => "ledgers_kept",
            Self::RulesPosted => "rules_posted",
            Self::OpinionsAnswered => "opinions_answered",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Staffing => "人员配备（工作人员、入驻委员）",
            Self::ReceptionDaysHeld => "接待日按期开展",
            Self::NoticesOnTime => "接待公告按时张贴",
            Self::LedgersKept => "工作台账规范完整",
            Self::RulesPosted => "工作制度上墙",
            Self::OpinionsAnswered => "群众意见按时办理",
        }
    }
}

/// What a room's records say, counted up to the inspection day of its year: the facts the checklist is
/// prefilled from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomFacts {
    pub staff_accounts: u32,
    pub members_serving: u32,
    /// Sessions dated before the inspection day and not cancelled; of them, those held.
    pub sessions_due: u32,
    pub sessions_held: u32,
    /// Notices that were due by the inspection day; of them, those posted on time.
    pub notices_due: u32,
    pub notices_on_time: u32,
    /// Held sessions with no member on duty recorded (a hole in the work ledger).
    pub held_without_members: u32,
    pub activities_confirmed: u32,
    pub rules_in_force: u32,
    pub cases: u32,
    /// Cases whose current step is past its due day.
    pub cases_late: u32,
}

/// One checklist line: the item, whether it is met, what the records say, and the inspector's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub item: CheckItem,
    pub passed: bool,
    /// What the records said when the inspection was recorded (系统核对).
    pub evidence: String,
    #[serde(default)]
    pub note: String,
}

/// The checklist as the records suggest it: each item met or not, with the counts behind it.
pub fn prefill(facts: &RoomFacts) -> Vec<CheckResult> {
    let line = |item, passed, evidence: String| CheckResult {
        item,
        passed,
        evidence,
        note: String::new(),
    };
    CheckItem::ALL
        .into_iter()
        .map(|item| match item {
            CheckItem::Staffing => line(
                item,
                facts.staff_accounts > 0 && facts.members_serving > 0,
                format!(
                    "工作人员账号 {} 个，入驻委员 {} 名",
                    facts.staff_accounts, facts.members_serving
                ),
            ),
            CheckItem::ReceptionDaysHeld => line(
                item,
                facts.sessions_held == facts.sessions_due,
                format!(
                    "应开展接待日 {} 次，已开展 {} 次",
                    facts.sessions_due, facts.sessions_held
                ),
            ),
            CheckItem::NoticesOnTime => line(
                item,
                facts.notices_on_time == facts.notices_due,
                format!(
                    "应张贴公告 {} 次，按时张贴 {} 次",
                    facts.notices_due, facts.notices_on_time
                ),
            ),
            CheckItem::LedgersKept => line(
                item,
                facts.held_without_members == 0
                    && (facts.sessions_held > 0 || facts.activities_confirmed > 0),
                format!(
                    "已记录接待日 {} 次（{} 次未登记值班委员）、活动 {} 次",
                    facts.sessions_held, facts.held_without_members, facts.activities_confirmed
                ),
            ),
            CheckItem::RulesPosted => line(
                item,
                facts.rules_in_force > 0,
                format!("现行制度 {} 项", facts.rules_in_force),
            ),
            CheckItem::OpinionsAnswered => line(
                item,
                facts.cases_late == 0,
                format!(
                    "本年群众意见 {} 件，办理逾期 {} 件",
                    facts.cases, facts.cases_late
                ),
            ),
        })
        .collect()
}

/// The inspector's decision on one item, as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDecision {
    pub item: CheckItem,
    pub passed: bool,
    pub note: String,
}

/// The checklist as recorded: the prefilled lines with the inspector's decisions applied. An item the
/// inspector did not decide keeps what the records suggest; a decision against the records needs a note
/// saying why, so nobody overrules the ledger silently.
pub fn confirm(
    prefilled: Vec<CheckResult>,
    decisions: &[CheckDecision],
) -> Result<Vec<CheckResult>, FieldError> {
    for (index, decision) in decisions.iter().enumerate() {
        if decisions[..index].iter().any(|d| d.item == decision.item) {
            return Err(FieldError::new(
                "checklist",
                format!("检查项“{}”填写了两次", decision.item.label_zh()),
            ));
        }
    }
    prefilled
        .into_iter()
        .map(|mut line| {
            if let Some(decision) = decisions.iter().find(|d| d.item == line.item) {
                let note = if decision.note.trim().is_empty() {
                    String::new()
                } else {
                    text::paragraphs(&decision.note, TEXT_MAX).map_err(|err| {
                        FieldError::new("checklist", format!("“{}”的说明{err}", line.item.label_zh()))
                    })?
                };
                if decision.passed != line.passed && note.is_empty() {
                    return Err(FieldError::new(
                        "checklist",
                        format!(
                            "“{}”与系统核对结果（{}）不一致，请写明理由",
                            line.item.label_zh(),
                            line.evidence
                        ),
                    ));
                }
                line.passed = decision.passed;
                line.note = note;
            }
            Ok(line)
        })
        .collect()
}

/// Who answers for a finding (整改责任方).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// 工作室: the room's staff.
    RoomStaff,
    /// 镇（街）: the town/street lead.
    StreetLead,
    /// 区政协: the district.
    District,
}

impl Owner {
    pub const ALL: [Owner; 3] = [Self::RoomStaff, Self::StreetLead, Self::District];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoomStaff => "room_staff",
            Self::StreetLead => "street_lead",
            Self::District => "district",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::RoomStaff => "工作室",
            Self::StreetLead => "镇（街）",
            Self::District => "区政协",
        }
    }

    /// The role whose accounts report for this owner.
    pub fn role(self) -> Role {
        match self {
            Self::RoomStaff => Role::RoomStaff,
            Self::StreetLead => Role::StreetLead,
            Self::District => Role::DistrictStaff,
        }
    }
}

/// A finding as submitted: text, owner and due day, each still unchecked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingInput {
    pub text: String,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
}

/// A checked finding: it becomes one rectification task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub text: String,
    pub owner: Owner,
    pub due_date: NaiveDate,
}

/// Checks the inspection's day and its findings: the day not in the future nor more than
/// [`LONGEST_BACKDATING_DAYS`] past, each finding with a text,
/// a known owner and a due day after the inspection and within [`LONGEST_RECTIFICATION_DAYS`].
pub fn check_findings(
    inspected_on: NaiveDate,
    today: NaiveDate,
    findings: &[FindingInput],
) -> Result<Vec<Finding>, FieldError> {
    if inspected_on > today {
        return Err(FieldError::new(
            "date",
            "检查日期不能晚于今天：请在检查之后再登记",
        ));
    }
    // The checklist is counted from the records as they stand now, so an inspection is recorded
    // while they still describe its day.
    let earliest = today
        .checked_sub_days(Days::new(LONGEST_BACKDATING_DAYS))
        .unwrap_or(today);
    if inspected_on < earliest {
        return Err(FieldError::new(
            "date",
            format!("检查日期不能早于 {earliest}：请在检查后 {LONGEST_BACKDATING_DAYS} 天内登记"),
        ));
    }
    if findings.len() > FINDINGS_MAX {
        return Err(FieldError::new(
            "findings",
            format!("一次检查最多登记 {FINDINGS_MAX} 条问题"),
        ));
    }
    let latest = inspected_on
        .checked_add_days(Days::new(LONGEST_RECTIFICATION_DAYS))
        .unwrap_or(inspected_on);
    findings
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let n = index + 1;
            let text = text::paragraphs(&f.text, TEXT_MAX)
                .map_err(|err| FieldError::new("findings", format!("第 {n} 条问题的内容{err}")))?;
            let owner = match f.owner.as_deref().map(str::trim) {
                None | Some("") => {
                    return Err(FieldError::new(
                        "findings",
                        format!("第 {n} 条问题没有整改责任方：请选择工作室、镇（街）或区政协"),
                    ));
                }
                Some(raw) => Owner::parse(raw).ok_or_else(|| {
                    FieldError::new(
                        "findings",
                        format!(
                            "第 {n} 条问题的责任方“{raw}”不认识：应为 room_staff、street_lead 或 district"
                        ),
                    )
                })?,
            };
            let due_date = f.due_date.ok_or_else(|| {
                FieldError::new("findings", format!("第 {n} 条问题没有整改期限：请填写截止日期"))
            })?;
            if due_date <= inspected_on || due_date > latest {
                return Err(FieldError::new(
                    "findings",
                    format!("第 {n} 条问题的整改期限应在检查日期之后、{latest} 之前"),
                ));
            }
            Ok(Finding {
                text,
                owner,
                due_date,
            })
        })
        .collect()
}

/// Where a rectification task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 待整改
    Open,
    /// 已报告，待验收
    Reported,
    /// 已退回，重新整改
    Returned,
    /// 已验收销号
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [Self::Open, Self::Reported, Self::Returned, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Reported => "reported",
            Self::Returned => "returned",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Open => "待整改",
            Self::Reported => "待验收",
            Self::Returned => "退回重改",
            Self::Closed => "已验收销号",
        }
    }

    /// Still the owner's to do (open or returned).
    pub fn with_owner(self) -> bool {
        matches!(self, Self::Open | Self::Returned)
    }
}

/// A step on a rectification task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStep {
    /// The owner reports what was done (报告整改情况).
    Report,
    /// The inspecting department accepts it (验收通过).
    Accept,
    /// …or returns it with a reason (退回).
    Return,
}

impl TaskStep {
    pub const ALL: [TaskStep; 3] = [Self::Report, Self::Accept, Self::Return];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Report => "report",
            Self::Accept => "accept",
            Self::Return => "return",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Report => "报告整改情况",
            Self::Accept => "验收通过",
            Self::Return => "退回重改",
        }
    }
}

/// A step the task's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("整改任务目前“{}”，不能{}", .status.label_zh(), .step.label_zh())]
pub struct TaskStepNotNow {
    pub status: TaskStatus,
    pub step: TaskStep,
}

/// The status after `step`: the owner reports an open or returned task; a reported one is accepted
/// (closed) or returned. A closed task takes no step.
pub fn next_task_status(status: TaskStatus, step: TaskStep) -> Result<TaskStatus, TaskStepNotNow> {
    use TaskStatus as S;
    match (status, step) {
        (S::Open | S::Returned, TaskStep::Report) => Ok(S::Reported),
        (S::Reported, TaskStep::Accept) => Ok(S::Closed),
        (S::Reported, TaskStep::Return) => Ok(S::Returned),
        _ => Err(TaskStepNotNow { status, step }),
    }
}

/// Who may record an inspection of a room: a CPPCC working department (市/区政协工作部门) whose scope
/// holds the room — the city's inspects every room, a district's those of its district.
pub fn may_inspect(actor: &Actor, room: &Place) -> bool {
    actor.role == Role::WorkingDepartment && room.room_id.is_some() && actor.scope.covers(room)
}

/// Who reads inspections and tasks of a room: the city general office, the working departments and the
/// district, street and room staff whose scope holds it. Members and departments never.
pub fn may_read(actor: &Actor, room: &Place) -> bool {
    match actor.role {
        Role::CityOffice => true,
        Role::WorkingDepartment | Role::DistrictStaff | Role::StreetLead | Role::RoomStaff => {
            room.room_id.is_some() && actor.scope.covers(room)
        }
        Role::Member | Role::FunctionalDepartment | Role::PetitionDepartment => false,
    }
}

/// Whether the actor's role reads inspections at all (some room of its scope): everyone but members and
/// departments.
pub fn reads_inspections(actor: &Actor) -> bool {
    !matches!(
        actor.role,
        Role::Member | Role::FunctionalDepartment | Role::PetitionDepartment
    )
}

/// Who may take `step` on a task of `owner` at `room`: the owner's accounts report; the working
/// departments that may inspect the room accept or return.
pub fn may_take(actor: &Actor, step: TaskStep, owner: Owner, room: &Place) -> bool {
    match step {
        TaskStep::Report => actor.role == owner.role() && room.room_id.is_some() && actor.scope.covers(room),
        TaskStep::Accept | TaskStep::Return => may_inspect(actor, room),
    }
}

/// Longest note of who will go (检查人员), in characters.
pub const PLAN_INSPECTORS_MAX: usize = 200;

/// Where a room stands in the year's inspection plan (年度检查计划).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStanding {
    /// 未列入计划
    Unplanned,
    /// 已列入计划
    Planned,
    /// 计划日期已过，尚未检查
    Overdue,
    /// 已检查
    Inspected,
}

impl PlanStanding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unplanned => "unplanned",
            Self::Planned => "planned",
            Self::Overdue => "overdue",
            Self::Inspected => "inspected",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Unplanned => "未列入计划",
            Self::Planned => "已列入计划",
            Self::Overdue => "计划日期已过，尚未检查",
            Self::Inspected => "已检查",
        }
    }
}

/// A room's standing: inspected in the year whatever the plan said; else planned, or overdue once
/// the planned day has passed.
pub fn plan_standing(planned_on: Option<NaiveDate>, inspected: bool, today: NaiveDate) -> PlanStanding {
    match (inspected, planned_on) {
        (true, _) => PlanStanding::Inspected,
        (false, Some(day)) if day < today => PlanStanding::Overdue,
        (false, Some(_)) => PlanStanding::Planned,
        (false, None) => PlanStanding::Unplanned,
    }
}

/// Checks a planned day: in the plan's year and not already past (a plan is for what is to come).
pub fn check_planned_day(day: NaiveDate, year: i32, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    use chrono::Datelike;
    if day.year() != year {
        return Err(FieldError::new(
            "planned_on",
            format!("计划检查日期应在 {year} 年内"),
        ));
    }
    if day < today {
        return Err(FieldError::new(
            "planned_on",
            format!("计划检查日期不能早于今天（{today}）"),
        ));
    }
    Ok(day)
}

/// Checks who will go: a line such as “市政协社会和法制委 王某、李某”.
pub fn check_plan_inspectors(raw: &str) -> Result<String, FieldError> {
    text::single_line(raw, PLAN_INSPECTORS_MAX)
        .map_err(|err| FieldError::new("inspectors", format!("检查人员{err}")))
}

/// Checks the text of a report or a reason to return.
pub fn check_text(field: &'static str, what: &str, raw: &str) -> Result<String, FieldError> {
    text::paragraphs(raw, TEXT_MAX).map_err(|err| FieldError::new(field, format!("{what}{err}")))
}

/// Days a task has been open, or past its due day (negative while time is left).
pub fn days_past_due(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_for_the_year_ahead_and_a_room_once_inspected_is_done() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let today = day(11, 30);
        assert_eq!(plan_standing(None, false, today), PlanStanding::Unplanned);
        assert_eq!(
            plan_standing(Some(day(12, 2)), false, today),
            PlanStanding::Planned
        );
        assert_eq!(plan_standing(Some(today), false, today), PlanStanding::Planned);
        assert_eq!(
            plan_standing(Some(day(11, 20)), false, today),
            PlanStanding::Overdue
        );
        assert_eq!(
            plan_standing(Some(day(11, 20)), true, today),
            PlanStanding::Inspected
        );
        assert_eq!(plan_standing(None, true, today), PlanStanding::Inspected);
        assert_eq!(check_planned_day(day(12, 15), 2026, today), Ok(day(12, 15)));
        assert_eq!(
            check_planned_day(day(11, 1), 2026, today).unwrap_err().field,
            "planned_on"
        );
        let next_year = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert!(check_planned_day(next_year, 2026, today).is_err());
        assert!(check_plan_inspectors(" ").is_err());
    }
    use crate::authz::Scope;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            account_id: 1,
            username: "x".into(),
            role,
            scope,
        }
    }

    fn room() -> Place {
        Place {
            district_id: Some(2),
            street_id: Some(20),
            room_id: Some(7),
        }
    }

    fn facts() -> RoomFacts {
        RoomFacts {
            staff_accounts: 1,
            members_serving: 6,
            sessions_due: 6,
            sessions_held: 6,
            notices_due: 6,
            notices_on_time: 5,
            held_without_members: 0,
            activities_confirmed: 3,
            rules_in_force: 0,
            cases: 9,
            cases_late: 0,
        }
    }

    #[test]
    fn the_checklist_is_prefilled_from_the_counts() {
        let lines = prefill(&facts());
        assert_eq!(lines.len(), CheckItem::ALL.len());
        let passed = |item| lines.iter().find(|l| l.item == item).unwrap().passed;
        assert!(passed(CheckItem::Staffing));
        assert!(passed(CheckItem::ReceptionDaysHeld));
        assert!(!passed(CheckItem::NoticesOnTime), "one of six posted late");
        assert!(passed(CheckItem::LedgersKept));
        assert!(!passed(CheckItem::RulesPosted), "no rule in force");
        assert!(passed(CheckItem::OpinionsAnswered));
        let notices = lines.iter().find(|l| l.item == CheckItem::NoticesOnTime).unwrap();
        assert_eq!(notices.evidence, "应张贴公告 6 次，按时张贴 5 次");
    }

    #[test]
    fn overruling_the_records_needs_a_reason() {
        let overrule = |note: &str| {
            confirm(
                prefill(&facts()),
                &[CheckDecision {
                    item: CheckItem::NoticesOnTime,
                    passed: true,
                    note: note.into(),
                }],
            )
        };
        let refused = overrule("").unwrap_err();
        assert_eq!(refused.field, "checklist");
        assert!(refused.message.contains("请写明理由"), "{}", refused.message);
        let lines = overrule("迟贴一次系停电所致，已现场核实").unwrap();
        assert!(
            lines
                .iter()
                .find(|l| l.item == CheckItem::NoticesOnTime)
                .unwrap()
                .passed
        );
        // Agreeing with the records needs no note; an undecided item keeps the suggestion.
        let lines = confirm(prefill(&facts()), &[]).unwrap();
        assert_eq!(lines, prefill(&facts()));
        let twice = [CheckItem::Staffing, CheckItem::Staffing].map(|item| CheckDecision {
            item,
            passed: true,
            note: String::new(),
        });
        assert!(confirm(prefill(&facts()), &twice).is_err());
    }

    #[test]
    fn a_finding_needs_text_owner_and_a_due_day_after_the_inspection() {
        let input = |text: &str, owner: Option<&str>, due: Option<NaiveDate>| FindingInput {
            text: text.into(),
            owner: owner.map(Into::into),
            due_date: due,
        };
        let inspected = day(11, 20);
        let today = day(11, 30);
        let ok = check_findings(
            inspected,
            today,
            &[input(
                "公告未提前三个工作日张贴",
                Some("room_staff"),
                Some(day(12, 31)),
            )],
        )
        .unwrap();
        assert_eq!(ok[0].owner, Owner::RoomStaff);
        for (bad, says) in [
            (input("x", None, Some(day(12, 1))), "没有整改责任方"),
            (input("x", Some("mayor"), Some(day(12, 1))), "不认识"),
            (input("x", Some("district"), None), "没有整改期限"),
            (input("x", Some("district"), Some(day(11, 20))), "检查日期之后"),
            (input("   ", Some("district"), Some(day(12, 1))), "内容"),
        ] {
            let err = check_findings(inspected, today, &[bad]).unwrap_err();
            assert!(err.message.contains(says), "{}", err.message);
        }
        assert_eq!(check_findings(day(12, 1), today, &[]).unwrap_err().field, "date");
        let long_ago = check_findings(day(9, 30), today, &[]).unwrap_err();
        assert!(long_ago.message.contains("60 天内登记"), "{}", long_ago.message);
        assert!(check_findings(day(10, 1), today, &[]).is_ok());
    }

    #[test]
    fn a_task_closes_only_when_accepted() {
        use TaskStatus as S;
        assert_eq!(next_task_status(S::Open, TaskStep::Report), Ok(S::Reported));
        assert_eq!(next_task_status(S::Reported, TaskStep::Return), Ok(S::Returned));
        assert_eq!(next_task_status(S::Returned, TaskStep::Report), Ok(S::Reported));
        assert_eq!(next_task_status(S::Reported, TaskStep::Accept), Ok(S::Closed));
        assert!(next_task_status(S::Open, TaskStep::Accept).is_err());
        assert!(next_task_status(S::Closed, TaskStep::Report).is_err());
        assert!(next_task_status(S::Returned, TaskStep::Accept).is_err());
    }

    #[test]
    fn the_owner_reports_and_the_inspecting_department_accepts() {
        let city_inspector = actor(Role::WorkingDepartment, Scope::City);
        let other_inspector = actor(Role::WorkingDepartment, Scope::District { district_id: 3 });
        let staff = actor(
            Role::RoomStaff,
            Scope::Room {
                district_id: 2,
                street_id: 20,
                room_id: 7,
            },
        );
        let district = actor(Role::DistrictStaff, Scope::District { district_id: 2 });
        assert!(may_inspect(&city_inspector, &room()));
        assert!(!may_inspect(&other_inspector, &room()));
        assert!(!may_inspect(&district, &room()));
        assert!(may_take(&staff, TaskStep::Report, Owner::RoomStaff, &room()));
        assert!(!may_take(&staff, TaskStep::Report, Owner::District, &room()));
        assert!(may_take(&district, TaskStep::Report, Owner::District, &room()));
        assert!(!may_take(&district, TaskStep::Accept, Owner::District, &room()));
        assert!(may_take(
            &city_inspector,
            TaskStep::Accept,
            Owner::District,
            &room()
        ));
        let member = actor(
            Role::Member,
            Scope::Member {
                member_id: 1,
                district_id: Some(2),
            },
        );
        assert!(!may_read(&member, &room()));
        assert!(may_read(&staff, &room()));
    }
}
