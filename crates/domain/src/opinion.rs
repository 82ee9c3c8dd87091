//! Citizens' opinions (群众意见, R11, R13): the tracking code a resident keeps, the screening of matters a
//! room does not accept, and the routing of every case as a state machine. Each step names who may take
//! it; a step the case's state does not allow, or a role that may not take it, is refused with words a
//! person understands.

use chrono::Duration;
use serde::Serialize;

use crate::identity::ThrottlePolicy;

/// Where a case stands (办理状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已登记，待工作室分办: the room triages it.
    Received,
    /// 已当场答复: waits for the staff to close it.
    Answered,
    /// 待镇（街）负责人批示 (R13 ②).
    AtStreetLead,
    /// 职能部门办理中: a street department (after the instruction) or a district department.
    AtDepartment,
    /// 信访部门办理中 (R13 ③).
    AtPetition,
    /// 信访部门已反馈，待委员确认.
    FeedbackGiven,
    /// 部门已办结 / 委员已确认反馈 / 委员已形成提案或社情民意信息: waits for the staff to close it.
    Done,
    /// 已办结.
    Closed,
    /// 群众评价不满意，待镇（街）负责人复核: the resident rated the closed case 不满意 and the street
    /// lead decides whether it is handled again (重新交办) or stays closed (维持办结).
    UnderReview,
}

impl CaseState {
    pub const ALL: [CaseState; 9] = [
        Self::Received,
        Self::Answered,
        Self::AtStreetLead,
        Self::AtDepartment,
        Self::AtPetition,
        Self::FeedbackGiven,
        Self::Done,
        Self::Closed,
        Self::UnderReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Answered => "answered",
            Self::AtStreetLead => "at_street_lead",
            Self::AtDepartment => "at_department",
            Self::AtPetition => "at_petition",
            Self::FeedbackGiven => "feedback_given",
            Self::Done => "done",
            Self::Closed => "closed",
            Self::UnderReview => "under_review",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The state in plain words, as the resident's tracking page shows it.
    pub fn public_label(self) -> &'static str {
        match self {
            Self::Received => "已受理，正在分办",
            Self::Answered => "已当场答复",
            Self::AtStreetLead => "已转街道（镇）研究办理",
            Self::AtDepartment => "职能部门办理中",
            Self::AtPetition => "已转信访部门办理",
            Self::FeedbackGiven => "信访部门已反馈办理情况",
            Self::Done => "办理完毕，待办结",
            Self::Closed => "已办结",
            Self::UnderReview => "群众评价不满意，镇（街）负责人复核中",
        }
    }
}

/// The way a case went (办理路径, R13), fixed by the first routing step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Not accepted: belongs to a statutory procedure (R11).
    ScreenedOut,
    /// ① 当场答复
    OnTheSpot,
    /// ② within the town/street's remit (after the instruction, a street department).
    Street,
    /// ② beyond it: a district department.
    District,
    /// ③ 信访事项
    Petition,
    /// ④ 提案
    Proposal,
    /// ④ 社情民意信息
    SocialReport,
}

impl Route {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 7] = [
        Self::ScreenedOut,
        Self::OnTheSpot,
        Self::Street,
        Self::District,
        Self::Petition,
        Self::Proposal,
        Self::SocialReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScreenedOut => "screened_out",
            Self::OnTheSpot => "on_the_spot",
            Self::Street => "street",
            Self::District => "district",
            Self::Petition => "petition",
            Self::Proposal => "proposal",
            Self::SocialReport => "social_report",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ScreenedOut => "不予受理（已告知途径）",
            Self::OnTheSpot => "当场答复",
            Self::Street => "街道（镇）办理",
            Self::District => "转区职能部门",
            Self::Petition => "信访事项",
            Self::Proposal => "形成提案",
            Self::SocialReport => "形成社情民意信息",
        }
    }
}

/// The statutory procedures a room does not take matters from (R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    Litigation,
    AdministrativeReconsideration,
    Arbitration,
    Other,
}

impl Procedure {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 4] = [
        Self::Litigation,
        Self::AdministrativeReconsideration,
        Self::Arbitration,
        Self::Other,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "litigation" => Some(Self::Litigation),
            "administrative_reconsideration" => Some(Self::AdministrativeReconsideration),
            "arbitration" => Some(Self::Arbitration),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Litigation => "litigation",
            Self::AdministrativeReconsideration => "administrative_reconsideration",
            Self::Arbitration => "arbitration",
            Self::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Litigation => "诉讼",
            Self::AdministrativeReconsideration => "行政复议",
            Self::Arbitration => "仲裁",
            Self::Other => "其他法定程序",
        }
    }
}

impl Route {
    /// Whether a 不满意 rating sends the case back to the street lead. Not for matters the resident was
    /// told to take to a statutory procedure (R11), nor for petition matters, whose outcome is reviewed
    /// under the petition rules (信访复查): there the rating is recorded and reported only.
    pub fn reviewable(self) -> bool {
        !matches!(self, Self::ScreenedOut | Self::Petition)
    }
}

/// How long after closing the resident may rate a case (回访评价): the rating is about the handling
/// while it is fresh, and a case long closed is not reopened by a late rating.
pub const RATING_WINDOW_DAYS: i64 = 30;

/// Whether a case closed at `closed_at` may still be rated at `now`.
pub fn rating_open(closed_at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
    now - closed_at <= Duration::days(RATING_WINDOW_DAYS)
}

/// A routing step's code (shared/CONTRACT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    ScreenOut,
    AnswerOnSpot,
    ReferToStreet,
    SendToPetition,
    /// 指定委员跟进: room staff name the member who takes the case up (as a proposal or a 社情民意信息),
    /// without moving it.
    AssignMember,
    Instruct,
    ForwardToDistrict,
    RecordHandling,
    FeedbackToMember,
    ConfirmFeedback,
    DraftProposal,
    DraftSocialReport,
    Close,
    /// The resident rates a closed case 不满意 (with the reason): it goes back to the street lead.
    RateDissatisfied,
    /// 复核后重新交办: the street lead sends a 不满意 case to a department again.
    ReviewReopen,
    /// 复核后维持办结: the street lead finds the handling sound and says why.
    ReviewUphold,
}

impl ActionKind {
    pub const ALL: [ActionKind; 16] = [
        Self::ScreenOut,
        Self::AnswerOnSpot,
        Self::ReferToStreet,
        Self::SendToPetition,
        Self::AssignMember,
        Self::Instruct,
        Self::ForwardToDistrict,
        Self::RecordHandling,
        Self::FeedbackToMember,
        Self::ConfirmFeedback,
        Self::DraftProposal,
        Self::DraftSocialReport,
        Self::Close,
        Self::RateDissatisfied,
        Self::ReviewReopen,
        Self::ReviewUphold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScreenOut => "screen_out",
            Self::AnswerOnSpot => "answer_on_spot",
            Self::ReferToStreet => "refer_to_street",
            Self::SendToPetition => "send_to_petition",
            Self::AssignMember => "assign_member",
            Self::Instruct => "instruct",
            Self::ForwardToDistrict => "forward_to_district",
            Self::RecordHandling => "record_handling",
            Self::FeedbackToMember => "feedback_to_member",
            Self::ConfirmFeedback => "confirm_feedback",
            Self::DraftProposal => "draft_proposal",
            Self::DraftSocialReport => "draft_social_report",
            Self::Close => "close",
            Self::RateDissatisfied => "rate_dissatisfied",
            Self::ReviewReopen => "review_reopen",
            Self::ReviewUphold => "review_uphold",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ScreenOut => "不予受理并告知途径",
            Self::AnswerOnSpot => "当场答复",
            Self::ReferToStreet => "转街道（镇）负责人",
            Self::SendToPetition => "转信访部门",
            Self::AssignMember => "指定委员跟进",
            Self::Instruct => "批示交办",
            Self::ForwardToDistrict => "转区职能部门",
            Self::RecordHandling => "登记办理结果",
            Self::FeedbackToMember => "向委员反馈",
            Self::ConfirmFeedback => "确认收到反馈",
            Self::DraftProposal => "形成提案",
            Self::DraftSocialReport => "形成社情民意信息",
            Self::Close => "办结",
            Self::RateDissatisfied => "群众评价不满意",
            Self::ReviewReopen => "复核后重新交办",
            Self::ReviewUphold => "复核后维持办结",
        }
    }

    /// Who takes this step.
    pub fn taken_by(self) -> Taker {
        match self {
            Self::ScreenOut
            | Self::AnswerOnSpot
            | Self::ReferToStreet
            | Self::SendToPetition
            | Self::AssignMember
            | Self::Close => Taker::RoomStaff,
            Self::Instruct | Self::ForwardToDistrict | Self::ReviewReopen | Self::ReviewUphold => {
                Taker::StreetLead
            }
            Self::RecordHandling | Self::FeedbackToMember => Taker::HoldingDepartment,
            Self::ConfirmFeedback | Self::DraftProposal | Self::DraftSocialReport => Taker::Member,
            Self::RateDissatisfied => Taker::Resident,
        }
    }

    /// Whether the step sends the case to a department (and so names one).
    pub fn names_department(self) -> bool {
        matches!(
            self,
            Self::Instruct | Self::ForwardToDistrict | Self::ReviewReopen
        )
    }

    /// Whether the step reopens a rated case: the old rating stays in the history and the resident
    /// rates the new result when it closes again.
    pub fn reopens(self) -> bool {
        self == Self::ReviewReopen
    }
}

/// The party that takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Taker {
    /// The staff of the case's room.
    RoomStaff,
    /// The lead of the room's town/street.
    StreetLead,
    /// The department the case is at (functional for `record_handling`, petition for feedback).
    HoldingDepartment,
    /// The member responsible for the case.
    Member,
    /// The resident who submitted it, by the tracking code.
    Resident,
}

/// How the caller stands to one case, worked out by the use case from the account and the case. Five
/// independent facts (one account may be none of them), so plain flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Standing {
    pub room_staff: bool,
    pub street_lead: bool,
    /// The caller is the department the case is at.
    pub holding_department: bool,
    /// The caller is the case's member (or, before one is named, a member serving in its room).
    pub member: bool,
    /// The caller holds the case's tracking code (the resident rating it).
    pub resident: bool,
}

impl Standing {
    /// Nobody in particular: no step is theirs.
    pub const NONE: Standing = Standing {
        room_staff: false,
        street_lead: false,
        holding_department: false,
        member: false,
        resident: false,
    };
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    /// The caller's role does not take this step on this case (403).
    #[error("「{action}」应由{who}办理")]
    NotYours { action: &'static str, who: &'static str },
    /// The case's state does not allow the step now (409).
    #[error("案件目前“{state}”，不能“{action}”")]
    NotNow {
        action: &'static str,
        state: &'static str,
    },
}

fn taker_label(taker: Taker) -> &'static str {
    match taker {
        Taker::RoomStaff => "工作室工作人员",
        Taker::StreetLead => "镇（街）负责人",
        Taker::HoldingDepartment => "正在办理的部门",
        Taker::Member => "负责的委员",
        Taker::Resident => "评价的群众",
    }
}

/// The state after `action` on a case in `state` with `route`, by a caller standing as `standing`;
/// the route the case takes (set by the first routing step).
pub fn next_state(
    state: CaseState,
    route: Option<Route>,
    action: ActionKind,
    standing: Standing,
) -> Result<(CaseState, Option<Route>), StepRefused> {
    use ActionKind as A;
    use CaseState as S;
    let taker = action.taken_by();
    let allowed = match taker {
        Taker::RoomStaff => standing.room_staff,
        Taker::StreetLead => standing.street_lead,
        Taker::HoldingDepartment => standing.holding_department,
        Taker::Member => standing.member,
        Taker::Resident => standing.resident,
    };
    if !allowed {
        return Err(StepRefused::NotYours {
            action: action.label_zh(),
            who: taker_label(taker),
        });
    }
    let next = match (state, action) {
        (S::Received, A::ScreenOut) => (S::Closed, Some(Route::ScreenedOut)),
        (S::Received, A::AnswerOnSpot) => (S::Answered, Some(Route::OnTheSpot)),
        (S::Received, A::ReferToStreet) => (S::AtStreetLead, Some(Route::Street)),
        (S::Received, A::SendToPetition) => (S::AtPetition, Some(Route::Petition)),
        // The case stays with the room; the member named may now take it up.
        (S::Received, A::AssignMember) => (S::Received, route),
        (S::Received, A::DraftProposal) => (S::Done, Some(Route::Proposal)),
        (S::Received, A::DraftSocialReport) => (S::Done, Some(Route::SocialReport)),
        (S::AtStreetLead, A::Instruct) => (S::AtDepartment, Some(Route::Street)),
        (S::AtStreetLead, A::ForwardToDistrict) => (S::AtDepartment, Some(Route::District)),
        (S::AtDepartment, A::RecordHandling) | (S::FeedbackGiven, A::ConfirmFeedback) => (S::Done, route),
        (S::AtPetition, A::FeedbackToMember) => (S::FeedbackGiven, route),
        (S::Answered | S::Done, A::Close) | (S::UnderReview, A::ReviewUphold) => (S::Closed, route),
        (S::Closed, A::RateDissatisfied) if route.is_some_and(Route::reviewable) => (S::UnderReview, route),
        // The route follows the department chosen; the use case sets it from the department's level.
        (S::UnderReview, A::ReviewReopen) => (S::AtDepartment, route),
        _ => {
            return Err(StepRefused::NotNow {
                action: action.label_zh(),
                state: state.public_label(),
            });
        }
    };
    Ok(next)
}

/// The steps a caller could take now, for the case page's buttons.
pub fn possible_steps(state: CaseState, route: Option<Route>, standing: Standing) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|a| next_state(state, route, *a, standing).is_ok())
        .collect()
}

/// The (state, route) pairs in which a party with `standing` has a step to take: what "waiting on
/// me" (待我办理) means, read off the same state machine, so a list can ask the database for it.
pub fn waiting_on(standing: Standing) -> Vec<(CaseState, Option<Route>)> {
    let routes = std::iter::once(None).chain(Route::ALL.into_iter().map(Some));
    routes
        .flat_map(|route| CaseState::ALL.into_iter().map(move |state| (state, route)))
        .filter(|&(state, route)| !possible_steps(state, route, standing).is_empty())
        .collect()
}

/// Working days the current step has (R13, X13), from the rule set: triage by the room and the
/// street lead's instruction within `triage` days, a department's answer within `department` days.
pub fn working_days_for(state: CaseState, triage: u32, department: u32) -> Option<u32> {
    match state {
        CaseState::Received
        | CaseState::AtStreetLead
        | CaseState::Answered
        | CaseState::Done
        | CaseState::UnderReview => Some(triage),
        CaseState::AtDepartment | CaseState::AtPetition | CaseState::FeedbackGiven => Some(department),
        CaseState::Closed => None,
    }
}

/// Who an overdue step is pressed on (督办, X13): the town/street lead as soon as it is late, the
/// district once it is this many working days late.
pub const DISTRICT_ESCALATION_WORKING_DAYS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    StreetLead,
    District,
}

impl Escalation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StreetLead => "street_lead",
            Self::District => "district",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::StreetLead => "镇（街）负责人督办",
            Self::District => "区政协督办",
        }
    }
}

/// The escalation of a step `late_working_days` working days past its due day (0: not late).
pub fn escalation(late_working_days: u32) -> Option<Escalation> {
    match late_working_days {
        0 => None,
        days if days < DISTRICT_ESCALATION_WORKING_DAYS => Some(Escalation::StreetLead),
        _ => Some(Escalation::District),
    }
}

/// The alphabet of tracking codes: digits and capitals without 0/O, 1/I/L, U/V (29 symbols, a prime),
/// so a code read out over the phone or copied from paper is not mistaken.
const CODE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// Symbols of randomness in a code: 11 × log2(29) ≈ 53.4 bits, then one check symbol.
const CODE_RANDOM_SYMBOLS: usize = 11;

fn check_symbol(symbols: &[u8]) -> u8 {
    // Weighted sum mod 29 (a prime, larger than every weight), so any one wrong symbol and any swap of
    // neighbours is caught.
    let sum: usize = symbols
        .iter()
        .enumerate()
        .map(|(i, s)| (i + 1) * CODE_ALPHABET.iter().position(|c| c == s).unwrap_or(0))
        .sum();
    CODE_ALPHABET[sum % CODE_ALPHABET.len()]
}

/// A tracking code (查询码) from 64 random bits: 11 base-29 symbols and a check symbol, shown as
/// `XXXX-XXXX-XXXX`.
pub fn tracking_code(random: u64) -> String {
    let base = CODE_ALPHABET.len() as u64;
    let mut rest = random;
    let symbols: Vec<u8> = (0..CODE_RANDOM_SYMBOLS)
        .map(|_| {
            let symbol = CODE_ALPHABET[usize::try_from(rest % base).unwrap_or(0)];
            rest /= base;
            symbol
        })
        .collect();
    let mut all = symbols.clone();
    all.push(check_symbol(&symbols));
    let text = String::from_utf8(all).unwrap_or_default();
    format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12])
}

/// Reads a tracking code as a person may type it (lower case, spaces or no hyphens, or in full-width
/// characters, as a Chinese input method types them: `ｋ７ｐｍ－３ｘｑ９`, the ideographic space, a
/// long dash) and checks its check symbol; the canonical `XXXX-XXXX-XXXX` form, or `None`.
pub fn parse_tracking_code(raw: &str) -> Option<String> {
    let mut symbols: Vec<u8> = Vec::with_capacity(CODE_RANDOM_SYMBOLS + 1);
    for c in raw.chars() {
        let c = match c {
            // Full-width ASCII (U+FF01–U+FF5E) is ASCII shifted by 0xFEE0.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0)?,
            other => other,
        };
        match c {
            ' ' | '\u{3000}' | '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' => {}
            c if c.is_ascii() => symbols.push((c as u8).to_ascii_uppercase()),
            _ => return None,
        }
        if symbols.len() > CODE_RANDOM_SYMBOLS + 1 {
            return None;
        }
    }
    if symbols.len() != CODE_RANDOM_SYMBOLS + 1 || !symbols.iter().all(|s| CODE_ALPHABET.contains(s)) {
        return None;
    }
    let (body, check) = symbols.split_at(CODE_RANDOM_SYMBOLS);
    if check_symbol(body) != check[0] {
        return None;
    }
    let text = String::from_utf8(symbols).ok()?;
    Some(format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12]))
}

/// Online submissions from one address: 30 an hour (a community centre's shared connection is one
/// address; one sender is held back by the limit per phone).
pub fn submissions_per_client() -> ThrottlePolicy {
    ThrottlePolicy {
        max_failures: 30,
        window: Duration::hours(1),
        lockout: Duration::hours(1),
    }
}

/// Online submissions with one phone number: 5 a day.
pub fn submissions_per_phone() -> ThrottlePolicy {
    ThrottlePolicy {
        max_failures: 5,
        window: Duration::days(1),
        lockout: Duration::days(1),
    }
}

/// Lookups of unknown tracking codes from one address: 20 in 15 minutes, so codes cannot be guessed.
pub fn unknown_codes_per_client() -> ThrottlePolicy {
    ThrottlePolicy {
        max_failures: 20,
        window: Duration::minutes(15),
        lockout: Duration::minutes(15),
    }
}

/// A resident's rating of a closed case (满意度), as the 12345 hotlines ask it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

impl Rating {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 3] = [Self::Satisfied, Self::BasicallySatisfied, Self::Dissatisfied];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "satisfied" => Some(Self::Satisfied),
            "basically_satisfied" => Some(Self::BasicallySatisfied),
            "dissatisfied" => Some(Self::Dissatisfied),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::BasicallySatisfied => "basically_satisfied",
            Self::Dissatisfied => "dissatisfied",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Satisfied => "满意",
            Self::BasicallySatisfied => "基本满意",
            Self::Dissatisfied => "不满意",
        }
    }
}

/// Masks a resident's name for lists: 陈思远 → 陈**.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_waits_on_each_party_is_read_off_the_state_machine() {
        let staff = waiting_on(Standing {
            room_staff: true,
            ..Standing::NONE
        });
        assert!(staff.contains(&(CaseState::Received, None)));
        assert!(
            staff
                .iter()
                .all(|(s, _)| *s != CaseState::AtStreetLead && *s != CaseState::Closed)
        );
        let lead = waiting_on(Standing {
            street_lead: true,
            ..Standing::NONE
        });
        assert!(lead.iter().any(|(s, _)| *s == CaseState::AtStreetLead));
        assert!(lead.iter().any(|(s, _)| *s == CaseState::UnderReview));
        let department = waiting_on(Standing {
            holding_department: true,
            ..Standing::NONE
        });
        assert!(
            department
                .iter()
                .all(|(s, _)| matches!(s, CaseState::AtDepartment | CaseState::AtPetition))
        );
        assert!(!department.is_empty());
        assert!(waiting_on(Standing::NONE).is_empty());
    }

    const STAFF: Standing = Standing {
        room_staff: true,
        ..Standing::NONE
    };
    const LEAD: Standing = Standing {
        street_lead: true,
        ..Standing::NONE
    };
    const DEPT: Standing = Standing {
        holding_department: true,
        ..Standing::NONE
    };
    const MEMBER: Standing = Standing {
        member: true,
        ..Standing::NONE
    };

    #[test]
    fn the_street_route_runs_from_instruction_to_closing() {
        let (s, r) = next_state(CaseState::Received, None, ActionKind::ReferToStreet, STAFF).unwrap();
        assert_eq!((s, r), (CaseState::AtStreetLead, Some(Route::Street)));
        let (s, r) = next_state(s, r, ActionKind::Instruct, LEAD).unwrap();
        assert_eq!(s, CaseState::AtDepartment);
        let (s, r) = next_state(s, r, ActionKind::RecordHandling, DEPT).unwrap();
        assert_eq!(s, CaseState::Done);
        let (s, r) = next_state(s, r, ActionKind::Close, STAFF).unwrap();
        assert_eq!((s, r), (CaseState::Closed, Some(Route::Street)));
    }

    #[test]
    fn forwarding_beyond_the_remit_makes_it_a_district_case() {
        let (s, r) = next_state(
            CaseState::AtStreetLead,
            Some(Route::Street),
            ActionKind::ForwardToDistrict,
            LEAD,
        )
        .unwrap();
        assert_eq!((s, r), (CaseState::AtDepartment, Some(Route::District)));
    }

    #[test]
    fn petition_feedback_goes_to_the_member_who_confirms_it() {
        let (s, r) = next_state(CaseState::Received, None, ActionKind::SendToPetition, STAFF).unwrap();
        let (s, r) = next_state(s, r, ActionKind::FeedbackToMember, DEPT).unwrap();
        assert_eq!(s, CaseState::FeedbackGiven);
        assert!(matches!(
            next_state(s, r, ActionKind::Close, STAFF),
            Err(StepRefused::NotNow { .. })
        ));
        let (s, r) = next_state(s, r, ActionKind::ConfirmFeedback, MEMBER).unwrap();
        assert_eq!((s, r), (CaseState::Done, Some(Route::Petition)));
    }

    #[test]
    fn a_role_that_may_not_take_a_step_is_told_who_does_before_the_state_is_considered() {
        let refused = next_state(CaseState::Closed, None, ActionKind::Instruct, STAFF).unwrap_err();
        assert!(matches!(refused, StepRefused::NotYours { .. }));
        assert!(refused.to_string().contains("镇（街）负责人"));
        let refused = next_state(CaseState::Received, None, ActionKind::Close, STAFF).unwrap_err();
        assert!(matches!(refused, StepRefused::NotNow { .. }));
    }

    const RESIDENT: Standing = Standing {
        resident: true,
        ..Standing::NONE
    };

    #[test]
    fn a_dissatisfied_rating_goes_back_to_the_street_lead_who_reopens_or_upholds() {
        let closed = (CaseState::Closed, Some(Route::Street));
        // Only the resident rates, and only a closed case.
        assert!(matches!(
            next_state(closed.0, closed.1, ActionKind::RateDissatisfied, STAFF),
            Err(StepRefused::NotYours { .. })
        ));
        assert!(matches!(
            next_state(CaseState::Done, closed.1, ActionKind::RateDissatisfied, RESIDENT),
            Err(StepRefused::NotNow { .. })
        ));
        let (s, r) = next_state(closed.0, closed.1, ActionKind::RateDissatisfied, RESIDENT).unwrap();
        assert_eq!(s, CaseState::UnderReview);
        assert_eq!(
            possible_steps(s, r, LEAD),
            vec![ActionKind::ReviewReopen, ActionKind::ReviewUphold]
        );
        assert!(possible_steps(s, r, STAFF).is_empty(), "the review is the lead's");
        let (again, _) = next_state(s, r, ActionKind::ReviewReopen, LEAD).unwrap();
        assert_eq!(again, CaseState::AtDepartment);
        let (kept, _) = next_state(s, r, ActionKind::ReviewUphold, LEAD).unwrap();
        assert_eq!(kept, CaseState::Closed);
        assert!(ActionKind::ReviewReopen.reopens() && !ActionKind::ReviewUphold.reopens());
        // Statutory procedures and petition matters are not reviewed by the street.
        for route in [Route::ScreenedOut, Route::Petition] {
            assert!(matches!(
                next_state(
                    CaseState::Closed,
                    Some(route),
                    ActionKind::RateDissatisfied,
                    RESIDENT
                ),
                Err(StepRefused::NotNow { .. })
            ));
        }
        assert_eq!(working_days_for(s, 1, 7), Some(1));
    }

    #[test]
    fn screening_out_closes_the_case_at_once() {
        let (s, r) = next_state(CaseState::Received, None, ActionKind::ScreenOut, STAFF).unwrap();
        assert_eq!((s, r), (CaseState::Closed, Some(Route::ScreenedOut)));
        assert!(possible_steps(s, r, STAFF).is_empty());
    }

    #[test]
    fn staff_see_the_triage_steps_of_a_new_case() {
        assert_eq!(
            possible_steps(CaseState::Received, None, STAFF),
            vec![
                ActionKind::ScreenOut,
                ActionKind::AnswerOnSpot,
                ActionKind::ReferToStreet,
                ActionKind::SendToPetition,
                ActionKind::AssignMember
            ]
        );
        assert_eq!(
            possible_steps(CaseState::Received, None, MEMBER),
            vec![ActionKind::DraftProposal, ActionKind::DraftSocialReport]
        );
    }

    #[test]
    fn naming_a_member_leaves_the_case_with_the_room() {
        let (s, r) = next_state(CaseState::Received, None, ActionKind::AssignMember, STAFF).unwrap();
        assert_eq!((s, r), (CaseState::Received, None));
        // Only while it is received: once routed, the member's steps are no longer open.
        for state in [
            CaseState::AtStreetLead,
            CaseState::AtDepartment,
            CaseState::Closed,
        ] {
            assert!(matches!(
                next_state(state, Some(Route::Street), ActionKind::AssignMember, STAFF),
                Err(StepRefused::NotNow { .. })
            ));
        }
        assert!(matches!(
            next_state(CaseState::Received, None, ActionKind::AssignMember, MEMBER),
            Err(StepRefused::NotYours { .. })
        ));
    }

    #[test]
    fn tracking_codes_carry_a_check_symbol_and_read_back_however_typed() {
        let code = tracking_code(0x9E37_79B9_7F4A_7C15);
        assert_eq!(code.len(), 14);
        assert_eq!(parse_tracking_code(&code).as_deref(), Some(code.as_str()));
        let typed = code.replace('-', " ").to_lowercase();
        assert_eq!(parse_tracking_code(&typed).as_deref(), Some(code.as_str()));
        // One wrong symbol is caught.
        let mut wrong: Vec<char> = code.chars().collect();
        wrong[1] = if wrong[1] == '2' { '3' } else { '2' };
        let wrong: String = wrong.into_iter().collect();
        assert_eq!(parse_tracking_code(&wrong), None);
        assert_eq!(
            parse_tracking_code("0000-0000-0000"),
            None,
            "no confusable symbols"
        );
        assert_eq!(parse_tracking_code("short"), None);
    }

    #[test]
    fn a_code_typed_with_a_chinese_input_method_reads_back() {
        let code = tracking_code(0x0123_4567_89AB_CDEF);
        // Full-width letters and digits, the ideographic space, the full-width and long dashes.
        let full_width: String = code
            .to_lowercase()
            .chars()
            .map(|c| {
                if c == '-' {
                    '－'
                } else {
                    char::from_u32(u32::from(c) + 0xFEE0).unwrap()
                }
            })
            .collect();
        assert_eq!(parse_tracking_code(&full_width).as_deref(), Some(code.as_str()));
        for separator in ["\u{3000}", "—", "－", "−"] {
            let typed = code.replace('-', separator);
            assert_eq!(
                parse_tracking_code(&typed).as_deref(),
                Some(code.as_str()),
                "{typed}"
            );
        }
        // Other characters are still no code, and a long input stops early.
        assert_eq!(parse_tracking_code(&format!("{code}码")), None);
        assert_eq!(parse_tracking_code(&"K".repeat(10_000)), None);
    }

    #[test]
    fn late_steps_go_to_the_street_lead_then_the_district() {
        assert_eq!(escalation(0), None);
        assert_eq!(escalation(1), Some(Escalation::StreetLead));
        assert_eq!(escalation(2), Some(Escalation::StreetLead));
        assert_eq!(escalation(3), Some(Escalation::District));
    }

    #[test]
    fn no_throttle_window_outlasts_the_clean_up() {
        use crate::identity::LONGEST_THROTTLE_WINDOW;
        for policy in [
            ThrottlePolicy::per_username(),
            ThrottlePolicy::per_client(),
            submissions_per_client(),
            submissions_per_phone(),
            unknown_codes_per_client(),
        ] {
            assert!(policy.window <= LONGEST_THROTTLE_WINDOW);
        }
    }

    #[test]
    fn names_are_masked_to_the_family_name() {
        assert_eq!(mask_name("陈思远"), "陈**");
        assert_eq!(mask_name("李"), "李*");
    }
}
