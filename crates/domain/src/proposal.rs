//! Proposals (提案) and 社情民意信息 that members write from residents' opinions (R13.4), and what
//! became of them: submitted to the CPPCC with its number (提交, 编号), accepted (立案; a 社情民意信息 is
//! 采用) or not, answered by the handling unit (承办单位答复). A draft links the cases it came from,
//! one when a member takes the `draft_proposal` step on a case, several when it starts from a group of
//! concentrated opinions; each linked case's tracking page tells the resident in plain words.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::FieldError;
use crate::authz::{Actor, Role, Scope};
use crate::text;

/// Longest title, in characters (as the case step's).
pub const TITLE_MAX: usize = 200;
/// Longest draft, in characters (as the case step's).
pub const TEXT_MAX: usize = 5000;
/// Longest answer or reason, in characters.
pub const ANSWER_MAX: usize = 5000;
/// Longest CPPCC number (提案编号) or handling unit's name, in characters.
pub const NUMBER_MAX: usize = 40;
pub const UNIT_MAX: usize = 100;
/// Most cases one draft links (a year's concentrated group is well under this).
pub const CASES_MAX: usize = 200;

/// What the member writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// 提案
    Proposal,
    /// 社情民意信息
    SocialReport,
}

impl ProposalKind {
    pub const ALL: [Self; 2] = [Self::Proposal, Self::SocialReport];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposal => "proposal",
            Self::SocialReport => "social_report",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Proposal => "提案",
            Self::SocialReport => "社情民意信息",
        }
    }
}

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    /// 已起草: with the member.
    Drafted,
    /// 已提交: with the CPPCC, under its number.
    Submitted,
    /// 已立案 (a 社情民意信息: 已采用): sent to a handling unit.
    Accepted,
    /// 不予立案 (未采用), with the reason.
    Declined,
    /// 已答复: the handling unit answered.
    Answered,
    /// 已撤回: a draft from a group the member set aside before submitting it.
    Withdrawn,
}

impl ProposalStatus {
    pub const ALL: [Self; 6] = [
        Self::Drafted,
        Self::Submitted,
        Self::Accepted,
        Self::Declined,
        Self::Answered,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Drafted => "drafted",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Answered => "answered",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The status in words, as the kind says it (a 提案 is 立案, a 社情民意信息 采用).
    pub fn label_zh(self, kind: ProposalKind) -> &'static str {
        match (self, kind) {
            (Self::Drafted, _) => "已起草，待提交",
            (Self::Submitted, _) => "已提交政协",
            (Self::Accepted, ProposalKind::Proposal) => "已立案，待承办单位答复",
            (Self::Accepted, ProposalKind::SocialReport) => "已采用，待有关部门回复",
            (Self::Declined, ProposalKind::Proposal) => "不予立案",
            (Self::Declined, ProposalKind::SocialReport) => "未采用",
            (Self::Answered, ProposalKind::Proposal) => "承办单位已答复",
            (Self::Answered, ProposalKind::SocialReport) => "有关部门已回复",
            (Self::Withdrawn, _) => "已撤回，未提交",
        }
    }

    /// No step follows.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Answered | Self::Withdrawn)
    }
}

/// A step in a draft's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStep {
    /// 起草
    Draft,
    /// 提交, with the CPPCC's number.
    Submit,
    /// 立案 / 采用
    Accept,
    /// 不予立案 / 未采用, with the reason.
    Decline,
    /// 答复, with the handling unit and its answer.
    Answer,
    /// 撤回: the member sets a group's draft aside before submitting it.
    Withdraw,
}

impl ProposalStep {
    pub const ALL: [Self; 6] = [
        Self::Draft,
        Self::Submit,
        Self::Accept,
        Self::Decline,
        Self::Answer,
        Self::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submit => "submit",
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Answer => "answer",
            Self::Withdraw => "withdraw",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self, kind: ProposalKind) -> &'static str {
        match (self, kind) {
            (Self::Draft, _) => "起草",
            (Self::Submit, _) => "提交政协",
            (Self::Accept, ProposalKind::Proposal) => "立案",
            (Self::Accept, ProposalKind::SocialReport) => "采用",
            (Self::Decline, ProposalKind::Proposal) => "不予立案",
            (Self::Decline, ProposalKind::SocialReport) => "未采用",
            (Self::Answer, _) => "记录答复",
            (Self::Withdraw, _) => "撤回",
        }
    }

    /// The steps that follow a draft, in the order they happen.
    pub const LATER: [Self; 5] = [
        Self::Submit,
        Self::Accept,
        Self::Decline,
        Self::Answer,
        Self::Withdraw,
    ];
}

/// A step the draft's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("这份{}目前“{}”，不能{}", .kind.label_zh(), .status.label_zh(*.kind), .step.label_zh(*.kind))]
pub struct ProposalStepNotNow {
    pub kind: ProposalKind,
    pub status: ProposalStatus,
    pub step: ProposalStep,
}

/// The status after `step` on a draft in `status` (`Draft` makes a new one).
pub fn next_status(
    kind: ProposalKind,
    status: ProposalStatus,
    step: ProposalStep,
) -> Result<ProposalStatus, ProposalStepNotNow> {
    use ProposalStatus as S;
    match (status, step) {
        (S::Drafted, ProposalStep::Submit) => Ok(S::Submitted),
        (S::Submitted, ProposalStep::Accept) => Ok(S::Accepted),
        (S::Submitted, ProposalStep::Decline) => Ok(S::Declined),
        (S::Accepted, ProposalStep::Answer) => Ok(S::Answered),
        (S::Drafted, ProposalStep::Withdraw) => Ok(S::Withdrawn),
        _ => Err(ProposalStepNotNow { kind, status, step }),
    }
}

/// Who takes a step on a draft of `member_id` whose cases are in `district_id`: the member writes and
/// submits it; what the CPPCC decided and the unit answered is recorded by the member, by the
/// district CPPCC's staff, who receive both, or by the city general office (city members' proposals
/// go to the city CPPCC).
pub fn may_take(actor: &Actor, step: ProposalStep, member_id: i64, district_id: i64) -> bool {
    let own = matches!(actor.scope, Scope::Member { member_id: own, .. } if own == member_id);
    match step {
        ProposalStep::Draft | ProposalStep::Submit | ProposalStep::Withdraw => own,
        ProposalStep::Accept | ProposalStep::Decline | ProposalStep::Answer => {
            own || may_read_as_office(actor, district_id)
        }
    }
}

fn may_read_as_office(actor: &Actor, district_id: i64) -> bool {
    match actor.role {
        Role::CityOffice => true,
        Role::DistrictStaff => {
            matches!(actor.scope, Scope::District { district_id: own } if own == district_id)
        }
        _ => false,
    }
}

/// Who reads a draft: the member who wrote it, the district's staff, and the city general office.
/// Residents read what became of it on their tracking pages, in plain words only.
pub fn may_read(actor: &Actor, member_id: i64, district_id: i64) -> bool {
    may_take(actor, ProposalStep::Draft, member_id, district_id) || may_read_as_office(actor, district_id)
}

pub fn check_title(raw: &str) -> Result<String, FieldError> {
    text::single_line(raw, TITLE_MAX).map_err(|err| FieldError::new("title", format!("标题{err}")))
}

pub fn check_text(raw: &str) -> Result<String, FieldError> {
    text::paragraphs(raw, TEXT_MAX).map_err(|err| FieldError::new("text", format!("正文{err}")))
}

/// The CPPCC's number for a submitted draft (提案编号, such as 20260123).
pub fn check_number(raw: &str) -> Result<String, FieldError> {
    text::single_line(raw, NUMBER_MAX)
        .map_err(|err| FieldError::new("number", format!("政协给出的编号{err}")))
}

pub fn check_unit(raw: &str) -> Result<String, FieldError> {
    text::single_line(raw, UNIT_MAX).map_err(|err| FieldError::new("unit", format!("承办单位{err}")))
}

/// An answer, or the reason for not accepting.
pub fn check_answer(raw: &str, field: &'static str, what: &str) -> Result<String, FieldError> {
    text::paragraphs(raw, ANSWER_MAX).map_err(|err| FieldError::new(field, format!("{what}{err}")))
}

/// One step as the resident's tracking page says it: what happened, and what the resident may read
/// of it. `from_this_case` is whether the draft started from the resident's own case (its case step
/// already says so) or from a group of similar opinions.
pub fn public_words(
    kind: ProposalKind,
    step: ProposalStep,
    from_this_case: bool,
    title: &str,
    number: Option<&str>,
    unit: Option<&str>,
    detail: Option<&str>,
) -> Option<(String, Option<String>)> {
    let name = kind.label_zh();
    Some(match step {
        // A draft set aside was never the residents' to read.
        ProposalStep::Withdraw | ProposalStep::Draft if from_this_case => return None,
        ProposalStep::Withdraw => return None,
        ProposalStep::Draft => (
            format!("委员把您和其他群众反映的同类问题写成{name}"),
            Some(format!("《{title}》")),
        ),
        ProposalStep::Submit => (
            match number {
                Some(number) => format!("{name}《{title}》已提交政协，编号 {number}"),
                None => format!("{name}《{title}》已提交政协"),
            },
            None,
        ),
        ProposalStep::Accept => (
            match kind {
                ProposalKind::Proposal => format!("提案《{title}》已立案，交承办单位办理"),
                ProposalKind::SocialReport => format!("社情民意信息《{title}》已被采用"),
            },
            None,
        ),
        ProposalStep::Decline => (
            match kind {
                ProposalKind::Proposal => format!("提案《{title}》未予立案"),
                ProposalKind::SocialReport => format!("社情民意信息《{title}》未被采用"),
            },
            detail.map(str::to_owned),
        ),
        ProposalStep::Answer => (
            format!("{}已答复{name}《{title}》", unit.unwrap_or("承办单位")),
            detail.map(str::to_owned),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            account_id: 1,
            username: "x".into(),
            role,
            scope,
        }
    }

    #[test]
    fn a_draft_is_submitted_then_accepted_or_declined_and_an_accepted_one_answered() {
        use ProposalStatus as S;
        let k = ProposalKind::Proposal;
        assert_eq!(next_status(k, S::Drafted, ProposalStep::Submit), Ok(S::Submitted));
        assert_eq!(
            next_status(k, S::Submitted, ProposalStep::Accept),
            Ok(S::Accepted)
        );
        assert_eq!(
            next_status(k, S::Submitted, ProposalStep::Decline),
            Ok(S::Declined)
        );
        assert_eq!(next_status(k, S::Accepted, ProposalStep::Answer), Ok(S::Answered));
        for (status, step) in [
            (S::Drafted, ProposalStep::Accept),
            (S::Drafted, ProposalStep::Answer),
            (S::Submitted, ProposalStep::Submit),
            (S::Submitted, ProposalStep::Answer),
            (S::Declined, ProposalStep::Answer),
            (S::Answered, ProposalStep::Answer),
            (S::Accepted, ProposalStep::Draft),
        ] {
            let refused = next_status(k, status, step).unwrap_err();
            assert!(refused.to_string().contains("不能"), "{refused}");
        }
        assert!(S::Declined.is_final() && S::Answered.is_final() && !S::Accepted.is_final());
        assert_eq!(
            next_status(k, S::Drafted, ProposalStep::Withdraw),
            Ok(S::Withdrawn)
        );
        assert!(
            next_status(k, S::Submitted, ProposalStep::Withdraw).is_err(),
            "submitted is out of hand"
        );
        assert!(S::Withdrawn.is_final());
        assert_eq!(
            public_words(k, ProposalStep::Withdraw, false, "t", None, None, None),
            None
        );
        assert_eq!(
            S::Accepted.label_zh(ProposalKind::SocialReport),
            "已采用，待有关部门回复"
        );
    }

    #[test]
    fn the_member_writes_and_submits_the_district_or_the_member_records_the_outcome() {
        let member = actor(
            Role::Member,
            Scope::Member {
                member_id: 9,
                district_id: Some(2),
            },
        );
        let district = actor(Role::DistrictStaff, Scope::District { district_id: 2 });
        let other = actor(Role::DistrictStaff, Scope::District { district_id: 3 });
        let city = actor(Role::CityOffice, Scope::City);
        let street = actor(
            Role::StreetLead,
            Scope::Street {
                district_id: 2,
                street_id: 4,
            },
        );
        assert!(may_take(&member, ProposalStep::Submit, 9, 2));
        assert!(may_take(&member, ProposalStep::Answer, 9, 2));
        assert!(!may_take(&member, ProposalStep::Submit, 8, 2), "another member's");
        assert!(
            !may_take(&district, ProposalStep::Submit, 9, 2),
            "the member submits"
        );
        assert!(may_take(&district, ProposalStep::Accept, 9, 2));
        assert!(!may_take(&other, ProposalStep::Accept, 9, 2));
        assert!(may_take(&city, ProposalStep::Answer, 9, 2));
        assert!(may_read(&district, 9, 2) && may_read(&city, 9, 2) && may_read(&member, 9, 2));
        assert!(!may_read(&other, 9, 2) && !may_read(&street, 9, 2));
    }

    #[test]
    fn residents_read_the_fate_in_plain_words() {
        let k = ProposalKind::Proposal;
        assert_eq!(
            public_words(k, ProposalStep::Draft, true, "关于加装电梯", None, None, None),
            None,
            "the case's own step says it"
        );
        let (what, detail) =
            public_words(k, ProposalStep::Draft, false, "关于加装电梯", None, None, None).unwrap();
        assert!(what.contains("同类问题写成提案"), "{what}");
        assert_eq!(detail.as_deref(), Some("《关于加装电梯》"));
        let (what, _) = public_words(
            k,
            ProposalStep::Submit,
            false,
            "关于加装电梯",
            Some("20260123"),
            None,
            None,
        )
        .unwrap();
        assert_eq!(what, "提案《关于加装电梯》已提交政协，编号 20260123");
        let (what, detail) = public_words(
            k,
            ProposalStep::Answer,
            true,
            "关于加装电梯",
            None,
            Some("区住房城乡建设局"),
            Some("已简化审批"),
        )
        .unwrap();
        assert_eq!(what, "区住房城乡建设局已答复提案《关于加装电梯》");
        assert_eq!(detail.as_deref(), Some("已简化审批"));
        assert!(check_number(" ").is_err() && check_number("2026-0123").is_ok());
        assert_eq!(check_unit("").unwrap_err().field, "unit");
    }
}
