//! Members' support requests (委员履职支持, R12): a member asks the district CPPCC for guidance (指导),
//! consultation (咨询) or people to take part (人员参与) about a room they serve; the district answers;
//! the member confirms or asks again. The status machine and who may take which step are decided here.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::FieldError;
use crate::authz::{Actor, Role, Scope};
use crate::text;

/// Longest question or answer, in characters.
pub const TEXT_MAX: usize = 2000;

/// What the member asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// 指导
    Guidance,
    /// 咨询
    Consultation,
    /// 人员参与
    People,
}

impl SupportKind {
    pub const ALL: [Self; 3] = [Self::Guidance, Self::Consultation, Self::People];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guidance => "guidance",
            Self::Consultation => "consultation",
            Self::People => "people",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Guidance => "指导",
            Self::Consultation => "咨询",
            Self::People => "人员参与",
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    /// 待答复: with the district.
    Open,
    /// 已答复: with the member, to confirm or ask again.
    Answered,
    /// 已确认: the member is satisfied.
    Closed,
}

impl SupportStatus {
    pub const ALL: [Self; 3] = [Self::Open, Self::Answered, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Open => "待区政协答复",
            Self::Answered => "已答复，待委员确认",
            Self::Closed => "已确认办结",
        }
    }
}

/// A step on a request; each is a message in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportStep {
    /// The member's request (提出).
    Ask,
    /// The district's answer (答复).
    Answer,
    /// The member confirms (确认).
    Confirm,
    /// The member asks again (追问).
    AskAgain,
}

impl SupportStep {
    pub const ALL: [Self; 4] = [Self::Ask, Self::Answer, Self::Confirm, Self::AskAgain];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ask => "ask",
            Self::Answer => "answer",
            Self::Confirm => "confirm",
            Self::AskAgain => "ask_again",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Ask => "提出请求",
            Self::Answer => "答复",
            Self::Confirm => "确认",
            Self::AskAgain => "追问",
        }
    }
}

/// A step the request's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("这项请求目前“{}”，不能{}", .status.label_zh(), .step.label_zh())]
pub struct SupportStepNotNow {
    pub status: SupportStatus,
    pub step: SupportStep,
}

/// The status after `step` on a request in `status` (`Ask` opens a new one).
pub fn next_status(status: SupportStatus, step: SupportStep) -> Result<SupportStatus, SupportStepNotNow> {
    use SupportStatus as S;
    match (status, step) {
        (S::Open, SupportStep::Answer) => Ok(S::Answered),
        (S::Answered, SupportStep::Confirm) => Ok(S::Closed),
        (S::Answered, SupportStep::AskAgain) => Ok(S::Open),
        _ => Err(SupportStepNotNow { status, step }),
    }
}

/// Who takes a step on a request of `member_id` in `district_id`: the member asks, confirms and asks
/// again; the district's staff answer.
pub fn may_take(actor: &Actor, step: SupportStep, member_id: i64, district_id: i64) -> bool {
    match step {
        SupportStep::Ask | SupportStep::Confirm | SupportStep::AskAgain => {
            matches!(actor.scope, Scope::Member { member_id: own, .. } if own == member_id)
        }
        SupportStep::Answer => {
            actor.role == Role::DistrictStaff
                && matches!(actor.scope, Scope::District { district_id: own } if own == district_id)
        }
    }
}

/// Who reads it: the member who asked, the district's staff, and the city general office.
pub fn may_read(actor: &Actor, member_id: i64, district_id: i64) -> bool {
    match actor.role {
        Role::CityOffice => true,
        Role::DistrictStaff => may_take(actor, SupportStep::Answer, member_id, district_id),
        Role::Member => may_take(actor, SupportStep::Ask, member_id, district_id),
        _ => false,
    }
}

/// Checks a question or an answer.
pub fn check_text(raw: &str, what: &str) -> Result<String, FieldError> {
    text::paragraphs(raw, TEXT_MAX).map_err(|err| FieldError::new("text", format!("{what}{err}")))
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
    fn the_member_asks_the_district_answers_the_member_confirms_or_asks_again() {
        use SupportStatus as S;
        assert_eq!(next_status(S::Open, SupportStep::Answer), Ok(S::Answered));
        assert_eq!(next_status(S::Answered, SupportStep::AskAgain), Ok(S::Open));
        assert_eq!(next_status(S::Answered, SupportStep::Confirm), Ok(S::Closed));
        assert!(next_status(S::Open, SupportStep::Confirm).is_err());
        assert!(next_status(S::Closed, SupportStep::Answer).is_err());
        let member = actor(
            Role::Member,
            Scope::Member {
                member_id: 9,
                district_id: Some(2),
            },
        );
        let district = actor(Role::DistrictStaff, Scope::District { district_id: 2 });
        let other = actor(Role::DistrictStaff, Scope::District { district_id: 3 });
        assert!(may_take(&member, SupportStep::Ask, 9, 2));
        assert!(!may_take(&member, SupportStep::Answer, 9, 2));
        assert!(
            !may_take(&member, SupportStep::Confirm, 8, 2),
            "another member's request"
        );
        assert!(may_take(&district, SupportStep::Answer, 9, 2));
        assert!(!may_take(&other, SupportStep::Answer, 9, 2));
        assert!(!may_read(&other, 9, 2));
        assert!(may_read(&actor(Role::CityOffice, Scope::City), 9, 2));
        assert!(!may_read(&actor(Role::WorkingDepartment, Scope::City), 9, 2));
    }
}
