//! A routing step (办理步骤) as submitted, and the command it parses into: each step's fields are
//! required by its variant, so the code that takes a step cannot forget one or read another's.

use crate::FieldError;
use crate::opinion::{ActionKind, Procedure};
use crate::text;

/// A step as a form or JSON body sends it: the action code and whichever fields came with it.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub action: String,
    pub procedure: Option<String>,
    pub told_body: Option<String>,
    pub answer: Option<String>,
    pub instruction: Option<String>,
    pub department_id: Option<i64>,
    pub result: Option<String>,
    pub text: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The member responsible, when staff name one while routing (any staff step may carry it).
    pub member_id: Option<i64>,
}

/// A step with exactly the fields it needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepCommand {
    /// 不予受理: the statutory route (法定途径) and the body the resident was told to turn to.
    ScreenOut {
        procedure: Procedure,
        told_body: String,
    },
    /// 当场答复.
    AnswerOnSpot {
        answer: String,
    },
    ReferToStreet,
    ConfirmFeedback,
    /// The district's petition office (信访部门) is found by the district, not named.
    SendToPetition,
    /// 指定委员跟进: the member serving the room who takes the case up.
    AssignMember {
        member_id: i64,
    },
    /// 批示交办 to a street department.
    Instruct {
        department_id: i64,
        instruction: String,
    },
    /// 转区级部门; without a reason the step says the matter is beyond the street's powers.
    ForwardToDistrict {
        department_id: i64,
        reason: Option<String>,
    },
    RecordHandling {
        result: String,
    },
    FeedbackToMember {
        text: String,
    },
    DraftProposal {
        title: String,
        text: String,
    },
    DraftSocialReport {
        title: String,
        text: String,
    },
    /// 办结.
    Close {
        summary: String,
    },
    /// 复核: send back to a department.
    ReviewReopen {
        department_id: i64,
        instruction: String,
    },
    /// 复核: the handling stands.
    ReviewUphold {
        text: String,
    },
}

fn paragraphs(field: &'static str, label: &str, raw: Option<&str>, max: usize) -> Result<String, FieldError> {
    text::paragraphs(raw.unwrap_or_default(), max)
        .map_err(|err| FieldError::new(field, format!("{label}{err}")))
}

fn title(raw: Option<&str>) -> Result<String, FieldError> {
    text::single_line(raw.unwrap_or_default(), 200)
        .map_err(|err| FieldError::new("title", format!("标题{err}")))
}

fn department(raw: Option<i64>) -> Result<i64, FieldError> {
    raw.ok_or_else(|| FieldError::new("department_id", "请选择承办部门"))
}

impl StepCommand {
    /// The fields `action` needs, from `input`. The resident's own step (a 不满意 rating) is not a
    /// command: it is taken by rating, so it is refused here as well as by the state machine.
    pub fn parse(action: ActionKind, input: &StepInput) -> Result<Self, FieldError> {
        Ok(match action {
            ActionKind::ScreenOut => {
                let procedure = input.procedure.as_deref().and_then(Procedure::parse).ok_or_else(|| {
                    FieldError::new(
                        "procedure",
                        "请选择法定途径：litigation（诉讼）、administrative_reconsideration（行政复议）、arbitration（仲裁）或 other（其他法定程序）",
                    )
                })?;
                let told_body = text::single_line(input.told_body.as_deref().unwrap_or_default(), 200)
                    .map_err(|err| FieldError::new("told_body", format!("告知的受理机关{err}")))?;
                Self::ScreenOut { procedure, told_body }
            }
            ActionKind::AnswerOnSpot => Self::AnswerOnSpot {
                answer: paragraphs("answer", "答复内容", input.answer.as_deref(), 2000)?,
            },
            ActionKind::ReferToStreet => Self::ReferToStreet,
            ActionKind::ConfirmFeedback => Self::ConfirmFeedback,
            ActionKind::SendToPetition => Self::SendToPetition,
            ActionKind::AssignMember => Self::AssignMember {
                member_id: input
                    .member_id
                    .ok_or_else(|| FieldError::new("member_id", "请选择跟进的委员"))?,
            },
            ActionKind::RateDissatisfied => {
                return Err(FieldError::new(
                    "action",
                    "「群众评价不满意」只能由群众在查询页评价",
                ));
            }
            ActionKind::Instruct => Self::Instruct {
                department_id: department(input.department_id)?,
                instruction: paragraphs("instruction", "批示内容", input.instruction.as_deref(), 1000)?,
            },
            ActionKind::ForwardToDistrict => Self::ForwardToDistrict {
                department_id: department(input.department_id)?,
                reason: match input.instruction.as_deref().map(str::trim) {
                    Some(reason) if !reason.is_empty() => {
                        Some(paragraphs("instruction", "转办说明", Some(reason), 1000)?)
                    }
                    _ => None,
                },
            },
            ActionKind::RecordHandling => Self::RecordHandling {
                result: paragraphs("result", "办理结果", input.result.as_deref(), 2000)?,
            },
            ActionKind::FeedbackToMember => Self::FeedbackToMember {
                text: paragraphs("text", "反馈内容", input.text.as_deref(), 2000)?,
            },
            ActionKind::DraftProposal => Self::DraftProposal {
                title: title(input.title.as_deref())?,
                text: paragraphs("text", "正文", input.text.as_deref(), 5000)?,
            },
            ActionKind::DraftSocialReport => Self::DraftSocialReport {
                title: title(input.title.as_deref())?,
                text: paragraphs("text", "正文", input.text.as_deref(), 5000)?,
            },
            ActionKind::Close => Self::Close {
                summary: paragraphs("summary", "办结说明", input.summary.as_deref(), 1000)?,
            },
            ActionKind::ReviewReopen => Self::ReviewReopen {
                department_id: department(input.department_id)?,
                instruction: paragraphs("instruction", "复核意见", input.instruction.as_deref(), 1000)?,
            },
            ActionKind::ReviewUphold => Self::ReviewUphold {
                text: paragraphs("text", "复核意见", input.text.as_deref(), 1000)?,
            },
        })
    }

    /// The action this command takes.
    pub fn action(&self) -> ActionKind {
        match self {
            Self::ScreenOut { .. } => ActionKind::ScreenOut,
            Self::AnswerOnSpot { .. } => ActionKind::AnswerOnSpot,
            Self::ReferToStreet => ActionKind::ReferToStreet,
            Self::ConfirmFeedback => ActionKind::ConfirmFeedback,
            Self::SendToPetition => ActionKind::SendToPetition,
            Self::AssignMember { .. } => ActionKind::AssignMember,
            Self::Instruct { .. } => ActionKind::Instruct,
            Self::ForwardToDistrict { .. } => ActionKind::ForwardToDistrict,
            Self::RecordHandling { .. } => ActionKind::RecordHandling,
            Self::FeedbackToMember { .. } => ActionKind::FeedbackToMember,
            Self::DraftProposal { .. } => ActionKind::DraftProposal,
            Self::DraftSocialReport { .. } => ActionKind::DraftSocialReport,
            Self::Close { .. } => ActionKind::Close,
            Self::ReviewReopen { .. } => ActionKind::ReviewReopen,
            Self::ReviewUphold { .. } => ActionKind::ReviewUphold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(action: ActionKind) -> StepInput {
        StepInput {
            action: action.as_str().to_owned(),
            ..StepInput::default()
        }
    }

    #[test]
    fn every_action_but_the_residents_parses_back_to_itself() {
        let full = |action| StepInput {
            procedure: Some("arbitration".into()),
            told_body: Some("广州仲裁委员会".into()),
            answer: Some("已答复".into()),
            instruction: Some("请尽快办理".into()),
            department_id: Some(3),
            result: Some("已修复".into()),
            text: Some("情况说明".into()),
            title: Some("关于加装电梯的建议".into()),
            summary: Some("已办结".into()),
            member_id: Some(7),
            ..input(action)
        };
        for action in ActionKind::ALL {
            match StepCommand::parse(action, &full(action)) {
                Ok(command) => assert_eq!(command.action(), action),
                Err(err) => {
                    assert_eq!(action, ActionKind::RateDissatisfied, "{err:?}");
                    assert_eq!(err.field, "action");
                }
            }
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        for (action, field) in [
            (ActionKind::ScreenOut, "procedure"),
            (ActionKind::AnswerOnSpot, "answer"),
            (ActionKind::AssignMember, "member_id"),
            (ActionKind::Instruct, "department_id"),
            (ActionKind::ForwardToDistrict, "department_id"),
            (ActionKind::RecordHandling, "result"),
            (ActionKind::FeedbackToMember, "text"),
            (ActionKind::DraftProposal, "title"),
            (ActionKind::Close, "summary"),
            (ActionKind::ReviewReopen, "department_id"),
            (ActionKind::ReviewUphold, "text"),
        ] {
            let err = StepCommand::parse(action, &input(action)).unwrap_err();
            assert_eq!(err.field, field, "{action:?}");
            assert!(!err.message.is_empty());
        }
        let with_department = StepInput {
            department_id: Some(1),
            ..input(ActionKind::Instruct)
        };
        assert_eq!(
            StepCommand::parse(ActionKind::Instruct, &with_department)
                .unwrap_err()
                .field,
            "instruction"
        );
    }

    #[test]
    fn forwarding_without_a_reason_keeps_none_and_blank_is_none() {
        for reason in [None, Some("   ".to_owned())] {
            let step = StepInput {
                department_id: Some(9),
                instruction: reason,
                ..input(ActionKind::ForwardToDistrict)
            };
            assert_eq!(
                StepCommand::parse(ActionKind::ForwardToDistrict, &step),
                Ok(StepCommand::ForwardToDistrict {
                    department_id: 9,
                    reason: None
                })
            );
        }
    }
}
