//! Routing a case step by step (分办、交办、办理、反馈、办结, R13), with the due day of each step.

use chrono::{Datelike, NaiveDate};
use domain::authz::Scope;
use domain::department::{DepartmentKind, DepartmentLevel};
use domain::opinion::{ActionKind, CaseState, Route, StepRefused, next_state, working_days_for};
use store::opinions::CaseRecord;
use store::opinions::StepWrite;
use store::units::{Department, PublicMember};

use crate::access::{Acting, not_visible};
use crate::{App, AppError};

use super::{CaseView, StepCommand, StepInput, standing};

/// A step the caller may take now, with the departments it may go to (when it names one).
#[derive(Debug, Clone)]
pub struct StepOption {
    pub action: ActionKind,
    /// Departments to choose from (批示交办 / 转区职能部门 / 重新交办).
    pub departments: Vec<Department>,
}

/// What a case's page needs: the case, the steps open to the caller with their choices, and the
/// members who may be named responsible (the room's serving members but the one named already).
#[derive(Debug, Clone)]
pub struct CaseWork {
    pub view: CaseView,
    pub steps: Vec<StepOption>,
    pub members: Vec<PublicMember>,
}

/// Whether `department` may take `action` on `case`: a functional department of the case's district —
/// of its town/street for 批示交办, district-level for 转区, either for 复核重新交办. The case page
/// offers the same departments.
pub fn department_fits(action: ActionKind, case: &CaseRecord, department: &Department) -> bool {
    let of_street = department.street_id == Some(case.street_id);
    let of_district = department.level == DepartmentLevel::District;
    department.kind == DepartmentKind::Functional
        && department.district_id == case.district_id
        && match action {
            ActionKind::Instruct => of_street,
            ActionKind::ForwardToDistrict => of_district,
            ActionKind::ReviewReopen => of_street || of_district,
            _ => false,
        }
}

impl App {
    /// The day a step that starts today is due, counting working days on the official calendar.
    pub(super) async fn due_for(
        &self,
        state: CaseState,
        from: NaiveDate,
    ) -> Result<Option<NaiveDate>, AppError> {
        let rules = self
            .store()
            .rule_book()
            .await?
            .in_effect(from)
            .cloned()
            .unwrap_or_default();
        let Some(days) = working_days_for(state, rules.triage_working_days, rules.department_working_days)
        else {
            return Ok(None);
        };
        let calendar = self.store().work_calendar(from.year()..=from.year() + 1).await?;
        Ok(Some(calendar.add_working_days(from, days)))
    }

    /// A case as its page shows it: the view, each step the caller may take with the departments it
    /// may go to, and (when the case can go to the petition office) the room's members, one of whom
    /// must be named responsible.
    pub async fn case_work(&self, acting: &Acting, id: i64) -> Result<CaseWork, AppError> {
        let view = self.case_view(acting, id).await?;
        let departments = if view.next.iter().any(|a| a.names_department()) {
            self.store()
                .departments_in_scope(&Scope::District {
                    district_id: view.case.district_id,
                })
                .await?
        } else {
            Vec::new()
        };
        let steps = view
            .next
            .iter()
            .map(|&action| StepOption {
                action,
                departments: if action.names_department() {
                    departments
                        .iter()
                        .filter(|d| department_fits(action, &view.case, d))
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        let members = if view
            .next
            .iter()
            .any(|a| matches!(a, ActionKind::SendToPetition | ActionKind::AssignMember))
        {
            // Those who could be named: not the member named already.
            let named = view.case.member.as_ref().map(|(id, _)| *id);
            let mut members = self.store().room_members(view.case.room_id).await?;
            members.retain(|m| Some(m.id) != named);
            members
        } else {
            Vec::new()
        };
        Ok(CaseWork { view, steps, members })
    }

    /// Takes one routing step (R13).
    pub async fn take_step(&self, acting: &Acting, id: i64, input: &StepInput) -> Result<CaseView, AppError> {
        let before = self
            .store()
            .case(id)
            .await?
            .ok_or_else(|| not_visible(&acting.scope(), "案件"))?;
        let action = ActionKind::parse(&input.action).ok_or_else(|| {
            AppError::invalid(
                "action",
                format!(
                    "办理步骤「{}」无效：应为 {}",
                    input.action.trim(),
                    ActionKind::ALL.map(ActionKind::as_str).join("、")
                ),
            )
        })?;
        let standing = standing(acting, &before);
        let steps = self.store().case_steps(id).await?;
        let held_before = Self::check_visible(acting, &before, standing, &steps)?;
        let (to_state, route) =
            next_state(before.state, before.route, action, standing).map_err(|refused| match refused {
                // A department that held the case may take its steps, just not now.
                StepRefused::NotYours { .. }
                    if held_before && action.taken_by() == domain::opinion::Taker::HoldingDepartment =>
                {
                    AppError::Conflict(format!(
                        "案件目前“{}”，已不在本部门办理",
                        before.state.public_label()
                    ))
                }
                StepRefused::NotYours { .. } => AppError::Forbidden(refused.to_string()),
                StepRefused::NotNow { .. } => AppError::Conflict(refused.to_string()),
            })?;
        let room = self
            .store()
            .room(before.room_id)
            .await?
            .ok_or_else(|| AppError::Internal("case room missing".into()))?;
        let actor_role = match acting {
            Acting::Account(actor) => actor.role.as_str(),
            Acting::Operator => "operator",
        };
        let mut step = StepWrite::new(action, actor_role, to_state, route);
        // The resident's step is taken by rating (`rate_case`); `next_state` refused it above.
        if action == ActionKind::RateDissatisfied {
            return Err(AppError::Forbidden(
                "「群众评价不满意」只能由群众在查询页评价".into(),
            ));
        }
        // Fields are checked only now, after the caller is known to be allowed this step, so a
        // caller who may not act learns nothing from a field's message.
        let command =
            StepCommand::parse(action, input).map_err(|err| AppError::invalid(err.field, err.message))?;
        match command {
            StepCommand::ScreenOut { procedure, told_body } => {
                step.text = Some(format!(
                    "属于{}事项，已告知向{told_body}提出",
                    procedure.label_zh()
                ));
                step.screened = Some((procedure, told_body));
            }
            StepCommand::AnswerOnSpot { answer } => step.text = Some(answer),
            // These steps carry nothing but themselves.
            StepCommand::ReferToStreet | StepCommand::ConfirmFeedback => {}
            StepCommand::ReviewReopen {
                department_id,
                instruction,
            } => {
                let department = self.department_for_step(action, department_id, &before).await?;
                step.route = Some(if department.level == DepartmentLevel::District {
                    Route::District
                } else {
                    Route::Street
                });
                step.holder = Some(department.id);
                step.text = Some(instruction);
            }
            StepCommand::ReviewUphold { text } => step.text = Some(text),
            StepCommand::SendToPetition => {
                let petition = self
                    .store()
                    .departments_in_scope(&Scope::District {
                        district_id: before.district_id,
                    })
                    .await?
                    .into_iter()
                    .find(|d| d.kind == DepartmentKind::Petition && d.level == DepartmentLevel::District)
                    .ok_or_else(|| AppError::Conflict("本区尚未登记信访部门，请先由区政协添加".into()))?;
                step.holder = Some(petition.id);
                step.text = Some(format!("转{}办理", petition.name));
            }
            StepCommand::Instruct {
                department_id,
                instruction,
            } => {
                let department = self.department_for_step(action, department_id, &before).await?;
                step.holder = Some(department.id);
                step.text = Some(instruction);
            }
            StepCommand::ForwardToDistrict {
                department_id,
                reason,
            } => {
                let department = self.department_for_step(action, department_id, &before).await?;
                step.holder = Some(department.id);
                step.text =
                    Some(reason.unwrap_or_else(|| format!("超出镇（街）职权，转{}办理", department.name)));
            }
            StepCommand::RecordHandling { result } => {
                step.text = Some(result);
                step.holder = None;
            }
            StepCommand::FeedbackToMember { text } => {
                step.text = Some(text);
                step.holder = before.department.as_ref().map(|d| d.0);
            }
            StepCommand::DraftProposal { title, text } | StepCommand::DraftSocialReport { title, text } => {
                step.title = Some(title);
                step.text = Some(text);
                // The draft is kept as a proposal of the member's, linked to this case: what becomes
                // of it is recorded there and told on the tracking page.
                if let Scope::Member { member_id, .. } = acting.scope() {
                    let kind = if action == ActionKind::DraftProposal {
                        domain::proposal::ProposalKind::Proposal
                    } else {
                        domain::proposal::ProposalKind::SocialReport
                    };
                    step.drafts = Some((kind, member_id));
                }
            }
            StepCommand::Close { summary } => step.text = Some(summary),
            StepCommand::AssignMember { member_id } => {
                if before.member.as_ref().is_some_and(|(id, _)| *id == member_id) {
                    return Err(AppError::Conflict("这位委员已在跟进本案".into()));
                }
                let member = self.require_serving(&room, member_id).await?;
                step.text = Some(format!("请{}委员跟进", member.name));
                step.member_id = Some(member.id);
            }
        }
        // The member responsible: named by staff while routing, or the member taking a member's step.
        if let Some(member_id) = input.member_id
            && action != ActionKind::AssignMember
        {
            if action.taken_by() != domain::opinion::Taker::RoomStaff {
                return Err(AppError::invalid("member_id", "只有工作室分办时可以指定负责委员"));
            }
            self.require_serving(&room, member_id).await?;
            step.member_id = Some(member_id);
        }
        if action == ActionKind::SendToPetition && before.member.is_none() && step.member_id.is_none() {
            return Err(AppError::invalid(
                "member_id",
                "信访部门的办理情况要反馈给委员：请指定负责的委员",
            ));
        }
        // Naming a member leaves the case where it is, and its triage day stands.
        step.due_on = if action == ActionKind::AssignMember {
            before.due_on
        } else {
            self.due_for(to_state, self.clock().today()).await?
        };
        let moved = self
            .store()
            .apply_case_step(&acting.who(), &before, &step, self.clock().now())
            .await?;
        if !moved {
            return Err(AppError::Conflict("案件刚被他人办理，请刷新后再看".into()));
        }
        // The step is taken: what follows is bookkeeping, logged when it fails, never the step's error.
        if let Acting::Account(actor) = acting {
            // What reminded the caller of this case is settled by acting on it (before the next
            // holder, perhaps the caller again, is told).
            let link = format!("/admin/opinions/{id}");
            if let Err(err) = self
                .store()
                .mark_notifications_about_read(actor.account_id, &link, self.clock().now())
                .await
            {
                tracing::warn!(case = id, error = %err, "marking the caller's reminders read failed");
            }
        }
        match self.store().case(id).await {
            Ok(Some(after)) => self.notify_arrival(&after).await,
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(case = id, error = %err, "telling the holders failed; the next scan retries");
            }
        }
        self.case_view(acting, id).await
    }

    /// The department a step names, if it may take the case (`department_fits`); 422 otherwise.
    async fn department_for_step(
        &self,
        action: ActionKind,
        department_id: i64,
        case: &CaseRecord,
    ) -> Result<Department, AppError> {
        let department = self
            .store()
            .department(department_id)
            .await?
            .ok_or_else(|| AppError::invalid("department_id", "没有这个部门"))?;
        if department_fits(action, case, &department) {
            Ok(department)
        } else {
            Err(AppError::invalid(
                "department_id",
                match action {
                    ActionKind::Instruct => "批示交办的应是本镇（街）的职能部门",
                    ActionKind::ForwardToDistrict => "应转本区的区级职能部门",
                    _ => "重新交办的应是本镇（街）或本区的职能部门",
                },
            ))
        }
    }
}
