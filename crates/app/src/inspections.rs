//! Inspections (督查检查, R15) and rectification (整改): the year's overview (rooms not yet inspected,
//! inspections, open tasks by age, per district), the checklist prefilled from a room's records, an
//! inspection recorded with its findings as tasks, and each task's report, acceptance or return. Who
//! may do what is decided in `domain::inspection` and returned with every view.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use domain::activity::ActivityStatus;
use domain::authz::{Place, Scope};
use domain::calendar::{NoticeStatus, SessionStatus, Year, notice_status};
use domain::inspection::{
    self, CheckDecision, CheckResult, FindingInput, PlanStanding, RoomFacts, TaskStatus, TaskStep,
};
use domain::opinion::CaseState;
use domain::reminder::Recipient;
use sha2::{Digest, Sha256};
use store::Recorded;
use store::activities::ActivityFilter;
use store::inspections::{
    InspectionRecord, NewInspection, PlanRecord, TaskChange, TaskRecord, TaskStepRecord,
};

use crate::access::{Acting, forbidden, not_visible, room_place};
use crate::{App, AppError, Room};

/// A rectification task with its room, its history and what the caller may do now.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: TaskRecord,
    pub room_name: String,
    pub district_name: String,
    pub steps: Vec<TaskStepRecord>,
    pub actions: Vec<TaskStep>,
    /// Days past the due day while still with its owner (negative: days left); `None` once reported or
    /// closed.
    pub days_past_due: Option<i64>,
    /// The photos given as evidence (整改佐证), oldest first.
    pub photo_ids: Vec<i64>,
    /// Whether the caller may add a photo now (the owner, before reporting).
    pub may_add_photo: bool,
}

/// Most photos one task keeps as evidence.
pub const MAX_PHOTOS_PER_TASK: usize = 6;

/// One inspection with its room and tasks.
#[derive(Debug, Clone)]
pub struct InspectionView {
    pub record: InspectionRecord,
    pub room: Room,
    pub tasks: Vec<TaskView>,
}

impl InspectionView {
    pub fn failed_items(&self) -> usize {
        self.record.checklist.iter().filter(|c| !c.passed).count()
    }
}

/// One line of the year's list.
#[derive(Debug, Clone)]
pub struct InspectionListing {
    pub record: InspectionRecord,
    pub room_name: String,
    pub failed_items: usize,
    pub tasks: usize,
    pub open_tasks: usize,
}

/// A district's figures of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictInspections {
    pub district: String,
    pub rooms: usize,
    pub inspected: usize,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
}

/// The year's inspections in the caller's scope.
#[derive(Debug, Clone)]
pub struct InspectionsOverview {
    pub year: i32,
    pub inspections: Vec<InspectionListing>,
    /// Open rooms not inspected in the year.
    pub not_inspected: Vec<Room>,
    /// Tasks not closed, the longest past due first.
    pub open_tasks: Vec<TaskView>,
    pub by_district: Vec<DistrictInspections>,
    /// The year's plan (年度检查计划): every open room of the scope, the earliest planned first and the
    /// unplanned last.
    pub plan: Vec<PlanLine>,
    /// Whether the caller records inspections (a working department).
    pub may_inspect: bool,
}

/// One room in the year's inspection plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub room: Room,
    pub planned: Option<PlanRecord>,
    pub standing: PlanStanding,
    /// The year's first inspection of the room, if any.
    pub inspected_on: Option<NaiveDate>,
    /// Whether the caller may plan it (a working department whose scope holds it, not yet inspected).
    pub may_plan: bool,
}

/// The checklist a new inspection starts from.
#[derive(Debug, Clone)]
pub struct ChecklistDraft {
    pub room: Room,
    pub date: NaiveDate,
    pub lines: Vec<CheckResult>,
}

/// A new inspection as submitted.
#[derive(Debug, Clone)]
pub struct InspectionInput {
    pub room_id: i64,
    pub date: NaiveDate,
    pub checklist: Vec<CheckDecision>,
    pub remarks: String,
    pub findings: Vec<FindingInput>,
    /// The client's idempotency key (提交编号): the same inspection sent again, by a double tap or a
    /// retry, finds the first instead of recording a second.
    pub client_key: Option<String>,
}

/// A step on a task, typed at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    Report { text: String },
    Accept,
    Return { reason: String },
}

impl TaskCommand {
    pub fn step(&self) -> TaskStep {
        match self {
            Self::Report { .. } => TaskStep::Report,
            Self::Accept => TaskStep::Accept,
            Self::Return { .. } => TaskStep::Return,
        }
    }
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskFilter {
    /// Not closed (open, reported, returned).
    Open,
    Closed,
    All,
}

impl TaskFilter {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "all" => Some(Self::All),
            _ => None,
        }
    }

    fn statuses(self) -> Option<&'static [TaskStatus]> {
        match self {
            Self::Open => Some(&[TaskStatus::Open, TaskStatus::Reported, TaskStatus::Returned]),
            Self::Closed => Some(&[TaskStatus::Closed]),
            Self::All => None,
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl App {
    /// Whether the caller sees inspections at all (the workbench links them).
    pub fn sees_inspections(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => inspection::reads_inspections(actor),
        }
    }

    fn may_read_room(acting: &Acting, room: &Room) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => inspection::may_read(actor, &room_place(room)),
        }
    }

    fn may_inspect_room(acting: &Acting, room: &Room) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => inspection::may_inspect(actor, &room_place(room)),
        }
    }

    fn may_take_step(acting: &Acting, step: TaskStep, task: &TaskRecord) -> bool {
        let place = Place {
            district_id: Some(task.district_id),
            street_id: Some(task.street_id),
            room_id: Some(task.room_id),
        };
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => inspection::may_take(actor, step, task.owner, &place),
        }
    }

    fn require_reader(acting: &Acting) -> Result<(), AppError> {
        if Self::sees_inspections(acting) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "检查督导和整改由政协工作部门、区政协、镇（街）和工作室办理，您的账号无权查看".into(),
            ))
        }
    }

    /// Tasks with their rooms, histories and the caller's steps, from one read of each kind.
    async fn task_views(&self, acting: &Acting, tasks: Vec<TaskRecord>) -> Result<Vec<TaskView>, AppError> {
        let today = self.clock().today();
        let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
        let mut steps: HashMap<i64, Vec<TaskStepRecord>> = HashMap::new();
        for step in self.store().rectification_steps(&ids).await? {
            steps.entry(step.task_id).or_default().push(step);
        }
        let mut photos = self.store().rectification_photo_ids(&ids).await?;
        let rooms: HashMap<i64, Room> = self
            .store()
            .rooms_in_scope(&acting.scope())
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for task in tasks {
            let room = match rooms.get(&task.room_id) {
                Some(room) => room.clone(),
                None => self
                    .store()
                    .room(task.room_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(format!("task {} has no room", task.id)))?,
            };
            let actions: Vec<TaskStep> = TaskStep::ALL
                .into_iter()
                .filter(|step| inspection::next_task_status(task.status, *step).is_ok())
                .filter(|step| Self::may_take_step(acting, *step, &task))
                .collect();
            let photo_ids = photos.remove(&task.id).unwrap_or_default();
            out.push(TaskView {
                days_past_due: task
                    .status
                    .with_owner()
                    .then(|| inspection::days_past_due(task.due_date, today)),
                steps: steps.remove(&task.id).unwrap_or_default(),
                // Evidence goes with the report: the owner adds it while the task is theirs to report.
                may_add_photo: actions.contains(&TaskStep::Report) && photo_ids.len() < MAX_PHOTOS_PER_TASK,
                photo_ids,
                room_name: room.name,
                district_name: room.district_name,
                actions,
                task,
            });
        }
        Ok(out)
    }

    /// The year's inspections in the caller's scope: every inspection, the open rooms not yet
    /// inspected, the tasks not closed (longest past due first) and the figures per district.
    pub async fn inspections_overview(
        &self,
        acting: &Acting,
        year: i32,
    ) -> Result<InspectionsOverview, AppError> {
        Self::require_reader(acting)?;
        let (from, to) = Year::of_records(year, self.clock().today())?.bounds();
        let scope = acting.scope();
        let rooms = self.store().rooms_in_scope(&scope).await?;
        let records = self.store().inspections_in_scope(&scope, from, to).await?;
        let all_tasks = self.store().rectification_tasks(&scope, None, None).await?;
        let today = self.clock().today();
        let room_name: HashMap<i64, &str> = rooms.iter().map(|r| (r.id, r.name.as_str())).collect();
        let inspections = records
            .into_iter()
            .map(|record| {
                let of_it = all_tasks.iter().filter(|t| t.inspection_id == record.id);
                InspectionListing {
                    room_name: room_name
                        .get(&record.room_id)
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                    failed_items: record.checklist.iter().filter(|c| !c.passed).count(),
                    tasks: of_it.clone().count(),
                    open_tasks: of_it.filter(|t| t.status != TaskStatus::Closed).count(),
                    record,
                }
            })
            .collect::<Vec<_>>();
        let not_inspected: Vec<Room> = rooms
            .iter()
            .filter(|r| r.open && !inspections.iter().any(|i| i.record.room_id == r.id))
            .cloned()
            .collect();
        let mut by_district: BTreeMap<(i64, String), DistrictInspections> = BTreeMap::new();
        for room in rooms.iter().filter(|r| r.open) {
            let entry = by_district
                .entry((room.district_id, room.district_name.clone()))
                .or_insert_with(|| DistrictInspections {
                    district: room.district_name.clone(),
                    rooms: 0,
                    inspected: 0,
                    open_tasks: 0,
                    overdue_tasks: 0,
                });
            entry.rooms += 1;
            if inspections.iter().any(|i| i.record.room_id == room.id) {
                entry.inspected += 1;
            }
        }
        for task in all_tasks.iter().filter(|t| t.status != TaskStatus::Closed) {
            if let Some(entry) = by_district
                .iter_mut()
                .find(|((id, _), _)| *id == task.district_id)
            {
                entry.1.open_tasks += 1;
                if task.status.with_owner() && task.due_date < today {
                    entry.1.overdue_tasks += 1;
                }
            }
        }
        let open: Vec<TaskRecord> = all_tasks
            .into_iter()
            .filter(|t| t.status != TaskStatus::Closed)
            .collect();
        let mut open_tasks = self.task_views(acting, open).await?;
        open_tasks.sort_by_key(|t| {
            (
                std::cmp::Reverse(t.days_past_due.unwrap_or(i64::MIN)),
                t.task.due_date,
            )
        });
        let may_inspect = rooms.iter().any(|r| Self::may_inspect_room(acting, r));
        let mut planned: HashMap<i64, PlanRecord> = self
            .store()
            .inspection_plans(&scope, year)
            .await?
            .into_iter()
            .map(|p| (p.room_id, p))
            .collect();
        let mut plan: Vec<PlanLine> = rooms
            .iter()
            .filter(|r| r.open)
            .map(|room| {
                let inspected_on = inspections
                    .iter()
                    .filter(|i| i.record.room_id == room.id)
                    .map(|i| i.record.inspected_on)
                    .min();
                let planned = planned.remove(&room.id);
                PlanLine {
                    standing: inspection::plan_standing(
                        planned.as_ref().map(|p| p.planned_on),
                        inspected_on.is_some(),
                        today,
                    ),
                    may_plan: inspected_on.is_none() && Self::may_inspect_room(acting, room),
                    room: room.clone(),
                    planned,
                    inspected_on,
                }
            })
            .collect();
        plan.sort_by_key(|line| {
            (
                line.planned.as_ref().map_or(NaiveDate::MAX, |p| p.planned_on),
                line.room.district_id,
                line.room.id,
            )
        });
        Ok(InspectionsOverview {
            year,
            inspections,
            not_inspected,
            open_tasks,
            by_district: by_district.into_values().collect(),
            plan,
            may_inspect,
        })
    }

    /// A room the caller may inspect, or why not.
    async fn room_to_inspect(&self, acting: &Acting, room_id: i64) -> Result<Room, AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        if !Self::may_inspect_room(acting, &room) {
            return Err(if Self::may_read_room(acting, &room) {
                AppError::Forbidden("检查由市、区政协工作部门进行；您可以查看检查结果和整改任务".into())
            } else {
                forbidden()
            });
        }
        Ok(room)
    }

    /// What the room's records say for the checklist, counted over `date`'s year up to `date`.
    async fn room_facts(&self, room: &Room, date: NaiveDate) -> Result<RoomFacts, AppError> {
        let (from, _) = Year::new(date.year())?.bounds();
        let store = self.store();
        let staff = store
            .accounts_for(&[Recipient::RoomStaff { room_id: room.id }])
            .await?
            .into_values()
            .map(|ids| ids.len())
            .sum::<usize>();
        let members = store.room_members(room.id).await?.len();
        // Sessions a little after the day too: their notices may already be due by it (T-3).
        let notices_until = date.checked_add_days(chrono::Days::new(21)).unwrap_or(date);
        let sessions = store.sessions_in_rooms(&[room.id], from, notices_until).await?;
        let mut facts = RoomFacts {
            staff_accounts: count(staff),
            members_serving: count(members),
            ..RoomFacts::default()
        };
        for s in sessions.iter().filter(|s| s.status != SessionStatus::Cancelled) {
            if s.date < date {
                facts.sessions_due += 1;
                if s.status == SessionStatus::Held {
                    facts.sessions_held += 1;
                    if s.members.is_empty() {
                        facts.held_without_members += 1;
                    }
                }
            }
            match notice_status(s.notice_due, s.notice_posted_on, date) {
                NoticeStatus::Pending => {}
                NoticeStatus::OnTime => {
                    facts.notices_due += 1;
                    facts.notices_on_time += 1;
                }
                NoticeStatus::PostedLate | NoticeStatus::Overdue => facts.notices_due += 1,
            }
        }
        let room_scope = Scope::Room {
            district_id: room.district_id,
            street_id: room.street_id,
            room_id: room.id,
        };
        facts.activities_confirmed = count(
            store
                .activities_in_scope(
                    &room_scope,
                    &ActivityFilter {
                        from: Some(from),
                        to: Some(date),
                        room_id: Some(room.id),
                        status: Some(ActivityStatus::Confirmed),
                    },
                )
                .await?
                .len(),
        );
        facts.rules_in_force = count(self.rules_in_force(room.id).await?.len());
        let calendar = store.work_calendar(date.year() - 1..=date.year()).await?;
        let beijing = crate::clock::beijing();
        for case in store.cases_in_scope(&room_scope).await? {
            let received = case.received_at.with_timezone(&beijing).date_naive();
            if received > date {
                continue;
            }
            // The year's cases are counted; a late one is pressed whatever year it came in.
            if received >= from {
                facts.cases += 1;
            }
            let late = case.state != CaseState::Closed
                && case
                    .due_on
                    .is_some_and(|due| calendar.working_days_between(due, date) > 0);
            if late {
                facts.cases_late += 1;
            }
        }
        Ok(facts)
    }

    /// Plans (or moves) the year's inspection of a room: the day and who goes. A working department
    /// whose scope holds the room plans it, before it is inspected; the day is in the year and not past.
    pub async fn plan_inspection(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
        planned_on: &str,
        inspectors: &str,
    ) -> Result<PlanLine, AppError> {
        let room = self.room_to_inspect(acting, room_id).await?;
        let today = self.clock().today();
        Year::of_records(year, today).map_err(|err| AppError::invalid("year", err.to_string()))?;
        if !room.open {
            return Err(AppError::invalid(
                "room_id",
                format!("“{}”已停用，不必列入检查计划", room.name),
            ));
        }
        let invalid = |err: domain::FieldError| AppError::invalid(err.field, err.message);
        let day = NaiveDate::parse_from_str(planned_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("planned_on", "请填写计划检查日期，如 2026-12-15"))?;
        let day = inspection::check_planned_day(day, year, today).map_err(invalid)?;
        let inspectors = inspection::check_plan_inspectors(inspectors).map_err(invalid)?;
        let (from, to) = Year::new(year)?.bounds();
        let this_room = Scope::Room {
            district_id: room.district_id,
            street_id: room.street_id,
            room_id: room.id,
        };
        let done = self
            .store()
            .inspections_in_scope(&this_room, from, to)
            .await?
            .into_iter()
            .any(|i| i.room_id == room.id);
        if done {
            return Err(AppError::Conflict(format!(
                "“{}”{year} 年已经检查过了，不必再列入计划",
                room.name
            )));
        }
        self.store()
            .plan_inspection(&acting.who(), &room, year, day, &inspectors, self.clock().now())
            .await?;
        // The room's line as written (another planner may have moved it since): one read, not the
        // whole year's overview.
        let planned = self
            .store()
            .inspection_plans(&this_room, year)
            .await?
            .into_iter()
            .find(|p| p.room_id == room.id)
            .ok_or_else(|| AppError::Internal("the planned room has no plan line".into()))?;
        Ok(PlanLine {
            standing: inspection::plan_standing(Some(planned.planned_on), false, today),
            planned: Some(planned),
            inspected_on: None,
            may_plan: true,
            room,
        })
    }

    /// The checklist for inspecting a room on `date`, prefilled from its records.
    pub async fn inspection_checklist(
        &self,
        acting: &Acting,
        room_id: i64,
        date: NaiveDate,
    ) -> Result<ChecklistDraft, AppError> {
        let room = self.room_to_inspect(acting, room_id).await?;
        Year::of_records(date.year(), self.clock().today())?;
        let facts = self.room_facts(&room, date).await?;
        Ok(ChecklistDraft {
            room,
            date,
            lines: inspection::prefill(&facts),
        })
    }

    /// Records an inspection: the checklist confirmed against the records, each finding an open task
    /// for its owner. Nothing is written when anything is wrong. Returns the inspection and whether it
    /// is new (false when the client key found the same inspection sent before).
    pub async fn record_inspection(
        &self,
        acting: &Acting,
        input: &InspectionInput,
    ) -> Result<(i64, bool), AppError> {
        let room = self.room_to_inspect(acting, input.room_id).await?;
        let today = self.clock().today();
        Year::of_records(input.date.year(), today)
            .map_err(|err| AppError::invalid("date", err.to_string()))?;
        let findings = inspection::check_findings(input.date, today, &input.findings)
            .map_err(|err| AppError::invalid(err.field, err.message))?;
        if !room.open {
            return Err(AppError::Conflict(format!("“{}”已撤销，不再检查", room.name)));
        }
        let facts = self.room_facts(&room, input.date).await?;
        let checklist = inspection::confirm(inspection::prefill(&facts), &input.checklist)
            .map_err(|err| AppError::invalid(err.field, err.message))?;
        let remarks = if input.remarks.trim().is_empty() {
            String::new()
        } else {
            inspection::check_text("remarks", "检查意见", &input.remarks)
                .map_err(|err| AppError::invalid(err.field, err.message))?
        };
        let client_key = match input.client_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let key = domain::activity::parse_client_key(raw).ok_or_else(|| {
                    AppError::invalid("client_key", "提交编号应为 8–64 位字母、数字、- 或 _")
                })?;
                let sent = serde_json::json!([
                    room.id,
                    input.date.to_string(),
                    input
                        .checklist
                        .iter()
                        .map(|d| (d.item.as_str(), d.passed, d.note.trim()))
                        .collect::<Vec<_>>(),
                    input.remarks.trim(),
                    input
                        .findings
                        .iter()
                        .map(|f| (
                            f.text.trim(),
                            f.owner.as_deref(),
                            f.due_date.map(|d| d.to_string())
                        ))
                        .collect::<Vec<_>>(),
                ]);
                Some((key, hex::encode(Sha256::digest(sent.to_string()))))
            }
        };
        let who = acting.who();
        let new = NewInspection {
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            inspected_on: input.date,
            inspector_name: self.store().display_name_of(&who).await?,
            checklist,
            remarks,
            findings,
            client_key,
        };
        let now = self.clock().now();
        let recorded = match self.store().create_inspection(&who, &new, now).await {
            // Two sends at once: the second meets the first's key and finds it.
            Err(store::StoreError::Duplicate(_)) if new.client_key.is_some() => {
                self.store().create_inspection(&who, &new, now).await?
            }
            other => other?,
        };
        match recorded {
            Recorded::Created(id) => {
                self.notify_rectification(id, None).await;
                Ok((id, true))
            }
            Recorded::Replayed(id) => Ok((id, false)),
            Recorded::KeyReused(_) => Err(AppError::Conflict(
                "这个提交编号（client_key）已用于另一次不同的检查记录".into(),
            )),
        }
    }

    /// One inspection with its tasks.
    pub async fn inspection(&self, acting: &Acting, id: i64) -> Result<InspectionView, AppError> {
        Self::require_reader(acting)?;
        let scope = acting.scope();
        let record = self
            .store()
            .inspection(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "检查记录"))?;
        let room = self
            .store()
            .room(record.room_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("inspection {id} has no room")))?;
        if !Self::may_read_room(acting, &room) {
            return Err(forbidden());
        }
        let tasks = self.store().rectification_tasks(&scope, None, Some(id)).await?;
        let tasks = self.task_views(acting, tasks).await?;
        Ok(InspectionView { record, room, tasks })
    }

    /// The tasks in the caller's scope; the owners' own first for the roles that own tasks.
    pub async fn rectifications(
        &self,
        acting: &Acting,
        filter: TaskFilter,
    ) -> Result<Vec<TaskView>, AppError> {
        Self::require_reader(acting)?;
        let tasks = self
            .store()
            .rectification_tasks(&acting.scope(), filter.statuses(), None)
            .await?;
        let mut views = self.task_views(acting, tasks).await?;
        // What the caller can act on comes first, then by due day.
        views.sort_by_key(|t| (t.actions.is_empty(), t.task.due_date, t.task.id));
        Ok(views)
    }

    async fn task_in_scope(&self, acting: &Acting, id: i64) -> Result<TaskRecord, AppError> {
        Self::require_reader(acting)?;
        let scope = acting.scope();
        let task = self
            .store()
            .rectification_task(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "整改任务"))?;
        let place = Place {
            district_id: Some(task.district_id),
            street_id: Some(task.street_id),
            room_id: Some(task.room_id),
        };
        if !scope.covers(&place) {
            return Err(not_visible(&scope, "整改任务"));
        }
        Ok(task)
    }

    /// One task with its history and the caller's steps.
    pub async fn rectification(&self, acting: &Acting, id: i64) -> Result<TaskView, AppError> {
        let task = self.task_in_scope(acting, id).await?;
        self.task_views(acting, vec![task])
            .await?
            .pop()
            .ok_or_else(|| AppError::Internal("task view".into()))
    }

    /// Adds a photo as evidence of a task's rectification: the owner, while the task is theirs to
    /// report; decoded and re-encoded off the async threads (metadata stripped, scaled), at most
    /// [`MAX_PHOTOS_PER_TASK`]. Returns the photo's id.
    pub async fn add_rectification_photo(
        &self,
        acting: &Acting,
        id: i64,
        bytes: Vec<u8>,
    ) -> Result<i64, AppError> {
        let task = self.task_in_scope(acting, id).await?;
        if !Self::may_take_step(acting, TaskStep::Report, &task) {
            return Err(AppError::Forbidden(format!(
                "整改佐证照片由负责整改的{}上传",
                task.owner.label_zh()
            )));
        }
        if inspection::next_task_status(task.status, TaskStep::Report).is_err() {
            return Err(AppError::Conflict(format!(
                "这项整改任务目前“{}”，不能再添加照片",
                task.status.label_zh()
            )));
        }
        let full = || {
            AppError::Conflict(format!(
                "每项整改最多保存 {MAX_PHOTOS_PER_TASK} 张照片，或任务刚被他人处理，请刷新后再看"
            ))
        };
        let photo = crate::gate::normalised_photo(bytes, documents::photo::normalise_activity_photo).await?;
        let new = store::activities::NewPhoto {
            jpeg: &photo.jpeg,
            width: photo.width,
            height: photo.height,
            etag: &photo.etag,
        };
        self.store()
            .add_rectification_photo(
                &acting.who(),
                &task,
                &new,
                MAX_PHOTOS_PER_TASK,
                self.clock().now(),
            )
            .await?
            .ok_or_else(full)
    }

    /// A photo of a task the caller may read.
    pub async fn rectification_photo(
        &self,
        acting: &Acting,
        id: i64,
        photo_id: i64,
    ) -> Result<store::members::PhotoFile, AppError> {
        self.task_in_scope(acting, id).await?;
        self.store()
            .rectification_photo(id, photo_id)
            .await?
            .ok_or_else(|| AppError::NotFound("这项整改没有这张照片".into()))
    }

    /// Takes one step on a task: the owner reports, the inspecting department accepts or returns.
    pub async fn rectification_step(
        &self,
        acting: &Acting,
        id: i64,
        command: &TaskCommand,
    ) -> Result<TaskView, AppError> {
        let task = self.task_in_scope(acting, id).await?;
        let step = command.step();
        if !Self::may_take_step(acting, step, &task) {
            return Err(AppError::Forbidden(match step {
                TaskStep::Report => format!("这项整改由{}负责报告整改情况", task.owner.label_zh()),
                TaskStep::Accept | TaskStep::Return => {
                    "整改验收由负责检查该工作室的市、区政协工作部门办理".into()
                }
            }));
        }
        let next = inspection::next_task_status(task.status, step)
            .map_err(|refused| AppError::Conflict(refused.to_string()))?;
        let text = match command {
            TaskCommand::Report { text } => inspection::check_text("text", "整改情况", text),
            TaskCommand::Return { reason } => inspection::check_text("reason", "退回理由", reason),
            TaskCommand::Accept => Ok(String::new()),
        }
        .map_err(|err| AppError::invalid(err.field, err.message))?;
        let moved = self
            .store()
            .take_rectification_step(
                &acting.who(),
                &TaskChange {
                    task_id: id,
                    expected: task.status,
                    step,
                    next,
                    text: &text,
                },
                self.clock().now(),
            )
            .await?;
        if !moved {
            return Err(AppError::Conflict(
                "这项整改任务刚被他人处理，请刷新后再看".into(),
            ));
        }
        self.notify_rectification(task.inspection_id, Some(id)).await;
        self.rectification(acting, id).await
    }
}
