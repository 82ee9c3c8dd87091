//! Citizens' opinions (群众意见, R11, R13, X7): taken online from residents or registered by staff at a
//! reception, screened, routed step by step to the end with due dates on the official calendar, and
//! followed by the resident with a tracking code. Personal data is masked in lists; opening the full
//! record is logged; departments see contact data only while they hold a case the resident did not ask
//! to keep anonymous.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use domain::authz::{Action, Place, Role, Scope};
use domain::department::{DepartmentKind, DepartmentLevel};
use domain::member::MobileNumber;
use domain::opinion::{
    ActionKind, CaseState, Procedure, Rating, Route, Standing, StepRefused, mask_name, next_state,
    parse_tracking_code, possible_steps, submissions_per_client, submissions_per_phone,
    unknown_codes_per_client, working_days_for,
};
use rand::RngCore;
use sha2::{Digest, Sha256};
pub use store::opinions::{CaseRecord, CaseStep};
use store::opinions::{NewCase, StepWrite};
use store::units::{Department, PublicMember, Room};

use crate::access::{Acting, not_visible, room_place};
use crate::{App, AppError};

/// The most an opinion's text may hold.
pub const MAX_CONTENT_CHARS: usize = 2000;

/// What a resident sends from the online form (网上工作室).
#[derive(Debug, Clone, Default)]
pub struct OnlineOpinion {
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub community: Option<String>,
    /// Explicit consent to the processing of personal information (PIPL).
    pub consent: bool,
    /// Keep name and phone from the departments that handle it.
    pub anonymous_to_departments: bool,
    /// The honeypot field people never see; anything in it is a robot.
    pub trap: Option<String>,
}

/// A visitor staff register at a reception (群众来访登记).
#[derive(Debug, Clone, Default)]
pub struct Visit {
    pub room_id: i64,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub community: Option<String>,
    /// The member who received the visitor.
    pub member_id: Option<i64>,
    /// The activity (e.g. the reception day) where the visitor came, of the same room.
    pub activity_id: Option<i64>,
    pub consent: bool,
    pub anonymous_to_departments: bool,
}

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

/// A room where the caller registers visitors, with the choices its form offers.
#[derive(Debug, Clone)]
pub struct VisitDesk {
    pub room: Room,
    /// Who may be named as the member who received the visitor.
    pub members: Vec<PublicMember>,
    /// The confirmed activities of the last 60 days the visit may belong to.
    pub recent: Vec<crate::activities::ActivityRecord>,
}

/// A step the caller may take now, with the departments it may go to (when it names one).
#[derive(Debug, Clone)]
pub struct StepOption {
    pub action: ActionKind,
    /// Departments to choose from (批示交办 / 转区职能部门 / 重新交办).
    pub departments: Vec<Department>,
}

/// What a case's page needs: the case, the steps open to the caller with their choices, and the
/// members who may be named responsible.
#[derive(Debug, Clone)]
pub struct CaseWork {
    pub view: CaseView,
    pub steps: Vec<StepOption>,
    pub members: Vec<PublicMember>,
}

/// A case as the resident's tracking page shows it: plain words, dated steps, roles not names.
#[derive(Debug, Clone)]
pub struct PublicCase {
    pub tracking_code: String,
    pub room_name: String,
    pub received_on: NaiveDate,
    pub state: CaseState,
    pub route: Option<Route>,
    pub told: Option<(Procedure, String)>,
    /// (date, what happened, what the resident may read of it)
    pub steps: Vec<(NaiveDate, String, Option<String>)>,
    pub rating: Option<Rating>,
    pub may_rate: bool,
}

impl PublicCase {
    /// Whether a 不满意 rating goes to the street lead for review (not for statutory procedures or
    /// petition matters).
    pub fn reviewed_if_dissatisfied(&self) -> bool {
        self.route.is_some_and(Route::reviewable)
    }
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

fn role_label(role: &str) -> &'static str {
    if role == RESIDENT_ROLE {
        return "群众";
    }
    Role::parse(role).map_or("工作人员", Role::label_zh)
}

/// The actor role written on a resident's own step (the rating).
const RESIDENT_ROLE: &str = "resident";

fn beijing_date(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::beijing()).date_naive()
}

impl App {
    /// The day a step that starts today is due, counting working days on the official calendar.
    async fn due_for(&self, state: CaseState, from: NaiveDate) -> Result<Option<NaiveDate>, AppError> {
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

    /// Opens a case with a fresh tracking code (retrying the rare code already in use).
    async fn open_case(&self, who: &store::audit::Who, mut new: NewCase) -> Result<CaseRecord, AppError> {
        for _ in 0..5 {
            new.tracking_code = domain::opinion::tracking_code(rand::rng().next_u64());
            match self.store().create_case(who, &new, self.clock().now()).await {
                Ok(id) => {
                    return self
                        .store()
                        .case(id)
                        .await?
                        .ok_or_else(|| AppError::Internal(format!("case {id} vanished")));
                }
                Err(store::StoreError::Duplicate(_)) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Err(AppError::Internal("no free tracking code after 5 tries".into()))
    }

    /// Takes an opinion from the online form of an open room. Returns the tracking code.
    pub async fn submit_online_opinion(
        &self,
        room_id: i64,
        input: &OnlineOpinion,
        client: Option<&str>,
    ) -> Result<CaseRecord, AppError> {
        let room = self
            .store()
            .room(room_id)
            .await?
            .filter(|r| r.open)
            .ok_or_else(|| AppError::NotFound("没有这个工作室".into()))?;
        if input.trap.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            return Err(AppError::invalid(
                "website",
                "提交未通过校验，请直接填写表单中的内容",
            ));
        }
        let content = text_field("content", "意见内容", Some(&input.content), MAX_CONTENT_CHARS)?;
        let name = domain::text::single_line(&input.contact_name, 40)
            .map_err(|err| AppError::invalid("contact_name", format!("联系人姓名{err}")))?;
        let phone = MobileNumber::parse(&input.contact_phone).ok_or_else(|| {
            AppError::invalid("contact_phone", "联系电话应为 11 位手机号码，如 13800138000")
        })?;
        let community = crate::members::optional_text(
            "community",
            "所在社区",
            input.community.as_deref().unwrap_or_default(),
            100,
        )?;
        if !input.consent {
            return Err(AppError::invalid(
                "consent",
                "请阅读并勾选同意《个人信息处理说明》，我们才能受理并回复您的意见",
            ));
        }
        // Rate limits in the database, so they hold across servers: per address and per phone.
        let now = self.clock().now();
        let mut keys = vec![(
            format!("opinion-phone:{}", hex::encode(Sha256::digest(phone.as_str()))),
            submissions_per_phone(),
        )];
        if let Some(ip) = client {
            keys.push((format!("opinion-ip:{ip}"), submissions_per_client()));
        }
        let due_on = self.due_for(CaseState::Received, self.clock().today()).await?;
        // Counted atomically before the write, so a burst cannot pass the limit.
        self.count_attempt(&keys, now).await?;
        let new = NewCase {
            tracking_code: String::new(),
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            channel: "online",
            content,
            contact_name: name,
            contact_phone: Some(phone.as_str().to_owned()),
            community,
            anonymous_to_departments: input.anonymous_to_departments,
            member_id: None,
            activity_id: None,
            due_on,
        };
        match self.open_case(&store::audit::Who::system("online"), new).await {
            Ok(case) => Ok(case),
            Err(err) => {
                // Nothing was received: the attempt does not count against the resident.
                self.give_back_attempts(&keys).await?;
                Err(err)
            }
        }
    }

    /// Registers a visitor at a reception (群众来访登记): the room's staff and those above it.
    pub async fn register_visit(&self, acting: &Acting, visit: &Visit) -> Result<CaseRecord, AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(visit.room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        acting.require(Action::RecordActivities, &room_place(&room))?;
        let content = text_field("content", "来访事项", Some(&visit.content), MAX_CONTENT_CHARS)?;
        let name = domain::text::single_line(&visit.contact_name, 40)
            .map_err(|err| AppError::invalid("contact_name", format!("来访人姓名{err}")))?;
        let phone = match visit.contact_phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(MobileNumber::parse(raw).ok_or_else(|| {
                AppError::invalid("contact_phone", "联系电话应为 11 位手机号码，如 13800138000")
            })?),
        };
        let community = crate::members::optional_text(
            "community",
            "所在社区",
            visit.community.as_deref().unwrap_or_default(),
            100,
        )?;
        if !visit.consent {
            return Err(AppError::invalid(
                "consent",
                "请向来访人说明个人信息的用途并取得同意后再登记",
            ));
        }
        if let Some(member_id) = visit.member_id {
            self.require_serving(&room, member_id).await?;
        }
        if let Some(activity_id) = visit.activity_id {
            let held_here = self
                .store()
                .activity(activity_id)
                .await?
                .is_some_and(|a| a.room_id == room.id);
            if !held_here {
                return Err(AppError::invalid(
                    "activity_id",
                    format!("编号为 {activity_id} 的活动不是本工作室的活动"),
                ));
            }
        }
        let new = NewCase {
            tracking_code: String::new(),
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            channel: "visit",
            content,
            contact_name: name,
            contact_phone: phone.map(|p| p.as_str().to_owned()),
            community,
            anonymous_to_departments: visit.anonymous_to_departments,
            member_id: visit.member_id,
            activity_id: visit.activity_id,
            due_on: self.due_for(CaseState::Received, self.clock().today()).await?,
        };
        self.open_case(&acting.who(), new).await
    }

    async fn require_serving(&self, room: &Room, member_id: i64) -> Result<(), AppError> {
        let serving = self
            .store()
            .room_members(room.id)
            .await?
            .iter()
            .any(|m| m.id == member_id);
        if serving {
            Ok(())
        } else {
            Err(AppError::invalid(
                "member_id",
                format!("编号为 {member_id} 的委员不在本工作室履职"),
            ))
        }
    }

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
        let outside = matches!(scope, Scope::Department { .. } | Scope::Member { .. });
        for case in &mut cases {
            if outside {
                redact_for_outsiders(case);
            } else {
                mask_contact(case);
            }
        }
        Ok(cases)
    }

    /// The rooms where the caller registers visitors (来访登记), each with what the form offers: the
    /// room's serving members and its confirmed activities of the last 60 days. Three queries,
    /// however many rooms a district or the city keeps.
    pub async fn visit_desks(&self, acting: &Acting) -> Result<Vec<VisitDesk>, AppError> {
        let rooms: Vec<Room> = self
            .rooms_with_actions(acting)
            .await?
            .into_iter()
            .filter(|r| r.room.open && r.records_activities)
            .map(|r| r.room)
            .collect();
        if rooms.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let mut members = self.store().members_of_rooms(&ids).await?;
        let today = self.clock().today();
        let filter = crate::activities::ActivityFilter {
            from: Some(today - chrono::Days::new(60)),
            to: Some(today),
            room_id: None,
            status: Some(domain::activity::ActivityStatus::Confirmed),
        };
        let mut recent: HashMap<i64, Vec<crate::activities::ActivityRecord>> = HashMap::new();
        for activity in self.activities(acting, &filter).await? {
            recent.entry(activity.room_id).or_default().push(activity);
        }
        Ok(rooms
            .into_iter()
            .map(|room| VisitDesk {
                members: members.remove(&room.id).unwrap_or_default(),
                recent: recent.remove(&room.id).unwrap_or_default(),
                room,
            })
            .collect())
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
        let members = if view.next.contains(&ActionKind::SendToPetition) {
            self.store().room_members(view.case.room_id).await?
        } else {
            Vec::new()
        };
        Ok(CaseWork { view, steps, members })
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
        let room_side = scope.covers(&case_place(&case));
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
        let overdue = case.due_on.is_some_and(|due| due < self.clock().today());
        Ok(CaseView {
            case,
            steps,
            next,
            contact_shown,
            overdue,
        })
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
            }
            StepCommand::Close { summary } => step.text = Some(summary),
        }
        // The member responsible: named by staff while routing, or the member taking a member's step.
        if let Some(member_id) = input.member_id {
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
        step.due_on = self.due_for(to_state, self.clock().today()).await?;
        let moved = self
            .store()
            .apply_case_step(&acting.who(), &before, &step, self.clock().now())
            .await?;
        if !moved {
            return Err(AppError::Conflict("案件刚被他人办理，请刷新后再看".into()));
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

    /// A case as its tracking code shows it to the resident; unknown codes count towards a limit per
    /// address, so codes cannot be guessed.
    pub async fn track(&self, raw_code: &str, client: Option<&str>) -> Result<PublicCase, AppError> {
        let case = self.tracked_case(raw_code, client).await?;
        self.public_case(case).await
    }

    /// The case a tracking code opens; unknown codes count towards the per-address limit (429 after).
    async fn tracked_case(&self, raw_code: &str, client: Option<&str>) -> Result<CaseRecord, AppError> {
        let now = self.clock().now();
        let keys: Vec<_> = client
            .map(|ip| (format!("track-ip:{ip}"), unknown_codes_per_client()))
            .into_iter()
            .collect();
        // Every lookup is counted before it runs (so parallel guesses cannot overshoot the limit);
        // one that finds its case is taken back, so only unknown codes count.
        self.count_attempt(&keys, now).await?;
        let found = match parse_tracking_code(raw_code) {
            Some(code) => self.store().case_by_code(&code).await?,
            None => None,
        };
        let Some(case) = found else {
            return Err(AppError::NotFound("没有找到这个查询码，请核对后再试".into()));
        };
        self.give_back_attempts(&keys).await?;
        Ok(case)
    }

    /// What the resident's tracking page shows of `case`.
    async fn public_case(&self, case: CaseRecord) -> Result<PublicCase, AppError> {
        let steps = self.store().case_steps(case.id).await?;
        let public_steps = steps
            .iter()
            .map(|s| {
                let who = role_label(&s.actor_role);
                let (what, detail) = match s.action {
                    ActionKind::ScreenOut => ("不予受理，已告知法定途径".to_owned(), s.text.clone()),
                    ActionKind::AnswerOnSpot => (format!("{who}当场答复"), s.text.clone()),
                    ActionKind::ReferToStreet => ("转街道（镇）负责人研究办理".to_owned(), None),
                    ActionKind::SendToPetition => ("按信访事项转信访部门办理".to_owned(), None),
                    ActionKind::Instruct | ActionKind::ForwardToDistrict => (
                        format!(
                            "交{}办理",
                            s.department.as_ref().map_or("职能部门", |d| d.1.as_str())
                        ),
                        None,
                    ),
                    ActionKind::RecordHandling => ("承办部门已办理".to_owned(), s.text.clone()),
                    ActionKind::FeedbackToMember => ("信访部门已向委员反馈办理情况".to_owned(), None),
                    ActionKind::ConfirmFeedback => ("委员已确认办理情况".to_owned(), None),
                    ActionKind::DraftProposal => ("委员据此形成提案".to_owned(), s.title.clone()),
                    ActionKind::DraftSocialReport => ("委员据此形成社情民意信息".to_owned(), s.title.clone()),
                    ActionKind::Close => ("已办结".to_owned(), s.text.clone()),
                    ActionKind::RateDissatisfied => {
                        ("您评价不满意，已转镇（街）负责人复核".to_owned(), s.text.clone())
                    }
                    ActionKind::ReviewReopen => (
                        format!(
                            "镇（街）负责人复核后，交{}重新办理",
                            s.department.as_ref().map_or("职能部门", |d| d.1.as_str())
                        ),
                        None,
                    ),
                    ActionKind::ReviewUphold => ("镇（街）负责人复核后维持办结".to_owned(), s.text.clone()),
                };
                (beijing_date(s.taken_at), what, detail)
            })
            .collect();
        Ok(PublicCase {
            tracking_code: case.tracking_code.clone(),
            room_name: case.room_name.clone(),
            received_on: beijing_date(case.received_at),
            state: case.state,
            route: case.route,
            told: case.procedure.zip(case.told_body.clone()),
            steps: public_steps,
            rating: case.rating,
            may_rate: case.state == CaseState::Closed
                && case.rated_at.is_none()
                && case
                    .closed_at
                    .is_some_and(|closed| domain::opinion::rating_open(closed, self.clock().now())),
        })
    }

    /// The resident's rating of a closed case (满意度), once.
    pub async fn rate_case(
        &self,
        raw_code: &str,
        rating: &str,
        comment: Option<&str>,
        client: Option<&str>,
    ) -> Result<PublicCase, AppError> {
        let case = self.tracked_case(raw_code, client).await?;
        let rating = Rating::parse(rating).ok_or_else(|| {
            AppError::invalid(
                "rating",
                "评价应为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）",
            )
        })?;
        let comment = crate::members::optional_text("comment", "评价说明", comment.unwrap_or_default(), 500)?;
        if rating == Rating::Dissatisfied && comment.is_none() {
            return Err(AppError::invalid(
                "comment",
                "请说明不满意的原因，镇（街）负责人会据此复核",
            ));
        }
        if case.rated_at.is_some() {
            return Err(AppError::Conflict("这件事已经评价过了，感谢您的反馈".into()));
        }
        let Some(closed_at) = case.closed_at.filter(|_| case.state == CaseState::Closed) else {
            return Err(AppError::Conflict("案件办结后才能评价".into()));
        };
        if !domain::opinion::rating_open(closed_at, self.clock().now()) {
            return Err(AppError::Conflict(format!(
                "办结已超过 {} 天，不能再评价；如有新情况，请重新反映",
                domain::opinion::RATING_WINDOW_DAYS
            )));
        }
        // 不满意 goes back to the street lead for review (复核), with the resident's reason; on a route
        // the street does not review (statutory procedures, petitions) the rating is recorded only.
        let resident = Standing {
            resident: true,
            ..Standing::NONE
        };
        let review = match next_state(case.state, case.route, ActionKind::RateDissatisfied, resident) {
            Ok((to_state, route)) if rating == Rating::Dissatisfied => Some(StepWrite {
                text: comment.clone(),
                due_on: self.due_for(to_state, self.clock().today()).await?,
                ..StepWrite::new(ActionKind::RateDissatisfied, RESIDENT_ROLE, to_state, route)
            }),
            _ => None,
        };
        if !self
            .store()
            .rate_case(
                &case,
                rating,
                comment.as_deref(),
                review.as_ref(),
                self.clock().now(),
            )
            .await?
        {
            return Err(AppError::Conflict("这件事已经评价过了，感谢您的反馈".into()));
        }
        let rated = self
            .store()
            .case(case.id)
            .await?
            .ok_or_else(|| AppError::Internal("rated case missing".into()))?;
        self.public_case(rated).await
    }
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
        case.contact_name = "（来访人要求对部门匿名）".into();
        case.contact_phone = None;
        case.community = None;
    } else {
        mask_contact(case);
    }
    case.tracking_code = mask_code(&case.tracking_code);
}

/// K7PM-3XQ9-H2WD → K7PM-****-****
fn mask_code(code: &str) -> String {
    format!("{}-****-****", code.split('-').next().unwrap_or_default())
}

/// Lists show a resident's family name and a masked phone only (X7).
fn mask_contact(case: &mut CaseRecord) {
    case.contact_name = mask_name(&case.contact_name);
    case.contact_phone = case
        .contact_phone
        .as_deref()
        .and_then(MobileNumber::parse)
        .map(|p| p.masked());
}

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
