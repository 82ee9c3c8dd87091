//! Citizens' opinions (群众意见, R11, R13, X7): taken online from residents or registered by staff at a
//! reception, screened, routed step by step to the end with due dates on the official calendar, and
//! followed by the resident with a tracking code. Personal data is masked in lists; opening the full
//! record is logged; departments see contact data only while they hold a case the resident did not ask
//! to keep anonymous.

mod intake;
mod queue;
mod reports;
mod routing;
mod tracking;

use domain::authz::{Place, Role, Scope};
use domain::member::MobileNumber;
use domain::opinion::{ActionKind, Standing, mask_name, possible_steps};
pub use store::opinions::{CaseRecord, CaseStep};

use crate::access::{Acting, not_visible};
use crate::{App, AppError};

pub use intake::{OnlineOpinion, Visit, VisitDesk};
pub use queue::{CasePage, DEFAULT_PER_PAGE, MAX_PER_PAGE, QueueFilter, QueueItem, matter_of};
pub use reports::{OverdueCase, Satisfaction};
pub use routing::{CaseWork, StepOption, department_fits};
pub use tracking::PublicCase;

/// The role that took a step, in words (the public sees this, never a name).
pub fn role_label(role: &str) -> &'static str {
    if role == RESIDENT_ROLE {
        return "群众";
    }
    domain::authz::Role::parse(role).map_or("工作人员", domain::authz::Role::label_zh)
}

/// The actor role written on a resident's own step (the rating).
const RESIDENT_ROLE: &str = "resident";

/// Who took a step, as staff read the history: the person (or unit) and their role, with the
/// department of a department's account — never the login name.
pub fn taken_by(step: &CaseStep) -> String {
    let role = role_label(&step.actor_role);
    let Some(name) = step.actor_name.as_deref() else {
        return role.to_owned();
    };
    match step.actor_department.as_deref() {
        Some(department) if !name.contains(department) => format!("{name} · {department} · {role}"),
        _ => format!("{name} · {role}"),
    }
}

/// The most an opinion's text may hold.
pub const MAX_CONTENT_CHARS: usize = 2000;

pub use domain::step::{StepCommand, StepInput};

/// A case as its caller may see it, with its history and what the caller may do next.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: CaseRecord,
    pub steps: Vec<CaseStep>,
    /// The steps the caller could take now.
    pub next: Vec<ActionKind>,
    /// Whether contact data is shown in full (else masked or withheld).
    pub contact_shown: bool,
    /// Whether the current step is past its due day.
    pub overdue: bool,
}

fn case_place(case: &CaseRecord) -> Place {
    Place {
        district_id: Some(case.district_id),
        street_id: Some(case.street_id),
        room_id: Some(case.room_id),
    }
}

fn text_field(field: &str, label: &str, raw: Option<&str>, max: usize) -> Result<String, AppError> {
    domain::text::paragraphs(raw.unwrap_or_default(), max)
        .map_err(|err| AppError::invalid(field, format!("{label}{err}")))
}

/// The steps the caller may take on `case` now: a case waits on the caller when this is not empty.
pub fn steps_open_to(acting: &Acting, case: &CaseRecord) -> Vec<ActionKind> {
    possible_steps(case.state, case.route, standing(acting, case))
}

/// How the caller stands to a case: which of the routing parties it is.
fn standing(acting: &Acting, case: &CaseRecord) -> Standing {
    let Acting::Account(actor) = acting else {
        return Standing::NONE;
    };
    let place = case_place(case);
    // A member acts on the cases they are named on (received, or named by staff while routing);
    // the room's staff triage the rest first (R11, R13).
    let member = match actor.scope {
        Scope::Member { member_id, .. } => case.member.as_ref().is_some_and(|(id, _)| *id == member_id),
        _ => false,
    };
    Standing {
        room_staff: actor.role == Role::RoomStaff && actor.scope.covers(&place),
        street_lead: actor.role == Role::StreetLead && actor.scope.covers(&place),
        holding_department: matches!(
            actor.scope,
            Scope::Department { department_id, .. } if case.department.as_ref().is_some_and(|d| d.0 == department_id)
        ),
        member,
        resident: false,
    }
}

/// What departments and members see of a case they do not keep for the room: the resident masked, or
/// withheld entirely when the resident asked for anonymity towards departments; and not the tracking
/// code in full, which is the resident's key to the public page and its rating.
fn redact_for_outsiders(case: &mut CaseRecord) {
    if case.anonymous_to_departments {
        case.contact_name = "（来访人要求对部门匿名）".to_owned().into();
        case.contact_phone = None;
        case.community = None;
    } else {
        mask_contact(case);
    }
    case.tracking_code = mask_code(&case.tracking_code);
}

/// Who reads cases as an outsider to the room's side: departments and members, and the working
/// departments that inspect (R15), who see contacts masked as in the ledgers.
pub(super) fn reads_as_outsider(acting: &Acting) -> bool {
    match acting {
        Acting::Operator => false,
        Acting::Account(actor) => {
            actor.role == Role::WorkingDepartment
                || matches!(actor.scope, Scope::Department { .. } | Scope::Member { .. })
        }
    }
}

/// K7PM-3XQ9-H2WD → K7PM-****-****
fn mask_code(code: &str) -> String {
    format!("{}-****-****", code.split('-').next().unwrap_or_default())
}

/// Lists show a resident's family name and a masked phone only (X7).
fn mask_contact(case: &mut CaseRecord) {
    case.contact_name = mask_name(case.contact_name.expose()).into();
    case.contact_phone = case
        .contact_phone
        .as_ref()
        .and_then(|p| MobileNumber::parse(p.expose()))
        .map(|p| p.masked().into());
}

impl App {
    /// Refuses a case the caller may not see (403); whether the caller is a department that held it
    /// (by the case's `steps`).
    fn check_visible(
        acting: &Acting,
        case: &CaseRecord,
        standing: Standing,
        steps: &[CaseStep],
    ) -> Result<bool, AppError> {
        let scope = acting.scope();
        let held_before = match scope {
            Scope::Department { department_id, .. } => steps
                .iter()
                .any(|s| s.department.as_ref().is_some_and(|d| d.0 == department_id)),
            _ => false,
        };
        let visible =
            scope.covers(&case_place(case)) || standing.holding_department || held_before || standing.member;
        if visible {
            Ok(held_before)
        } else {
            Err(not_visible(&scope, "案件"))
        }
    }

    /// Cases in the caller's scope, newest first, contact data masked.
    pub async fn cases(&self, acting: &Acting) -> Result<Vec<CaseRecord>, AppError> {
        let scope = acting.scope();
        let mut cases = self.store().cases_in_scope(&scope).await?;
        let outside = reads_as_outsider(acting);
        for case in &mut cases {
            if outside {
                redact_for_outsiders(case);
            } else {
                mask_contact(case);
            }
        }
        Ok(cases)
    }

    /// One case with its history and the steps the caller may take. Opening it with contact data in
    /// full is logged in the audit trail.
    pub async fn case_view(&self, acting: &Acting, id: i64) -> Result<CaseView, AppError> {
        let scope = acting.scope();
        let mut case = self
            .store()
            .case(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "案件"))?;
        let standing = standing(acting, &case);
        let steps = self.store().case_steps(id).await?;
        Self::check_visible(acting, &case, standing, &steps)?;
        // Contact data: in full for the room's side; for a holding department only if the resident
        // allowed it; masked for members and departments otherwise. The tracking code is the
        // resident's key to the public page and its rating: only the room's side sees it in full.
        let room_side = scope.covers(&case_place(&case)) && !reads_as_outsider(acting);
        let contact_shown = room_side || (standing.holding_department && !case.anonymous_to_departments);
        if contact_shown {
            self.store()
                .log_case_view(&acting.who(), &case, self.clock().now())
                .await?;
        } else {
            redact_for_outsiders(&mut case);
        }
        if !room_side {
            case.tracking_code = mask_code(&case.tracking_code);
        }
        let next = possible_steps(case.state, case.route, standing);
        // Late in working days, as the queue and the reminders count it (a step due on Friday is not
        // late on Saturday).
        let overdue = match case.due_on {
            Some(due) if case.state != domain::opinion::CaseState::Closed => {
                let today = self.clock().today();
                let calendar = self
                    .store()
                    .work_calendar(chrono::Datelike::year(&today) - 1..=chrono::Datelike::year(&today))
                    .await?;
                calendar.working_days_between(due, today) > 0
            }
            _ => false,
        };
        Ok(CaseView {
            case,
            steps,
            next,
            contact_shown,
            overdue,
        })
    }
}
