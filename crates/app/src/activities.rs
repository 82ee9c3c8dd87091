//! Community activities (履职活动, R10), the yearly duty (R5) and evaluation points (R14).
//!
//! Staff record their room's activities (confirmed at once); a member may report one of their own, which
//! the room's staff confirm or return. A reception session marked held is already a reception-day activity
//! (see `store::activities`). Counts and points are derived from confirmed activities, never typed (X11).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use documents::xlsx::Cell;
use domain::activity::{
    ActivityKind, ActivityStatus, YearlyDuty, activity_points, check_activity_date, parse_client_key,
    rules_for_year,
};
use domain::authz::{Action, Place, Scope};
use domain::calendar::{SessionHours, Year};
use sha2::{Digest, Sha256};
pub use store::activities::{ActivityFilter, ActivityRecord, LocalKind};
use store::activities::{NewActivity, Recorded};
use store::members::MemberRecord;

use crate::access::{Acting, not_visible, room_place};
use crate::{App, AppError};

/// An activity as a person or a client submits it; checked before anything is stored.
#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    pub room_id: i64,
    /// A code of shared/CONTRACT.md, e.g. `grassroots_research`.
    pub kind: String,
    /// For `local`: the name of one of the district's own kinds.
    pub local_kind: Option<String>,
    pub date: Option<NaiveDate>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    /// Where, when not at the room itself.
    pub place: Option<String>,
    pub member_ids: Vec<i64>,
    pub summary: String,
    pub residents_reached: Option<i64>,
    /// The client's idempotency key: the same key again records nothing new.
    pub client_key: Option<String>,
}

/// A member's year: the standing against the minimum and the points, with the activities behind them.
#[derive(Debug, Clone)]
pub struct MemberYear {
    pub member: MemberRecord,
    pub year: i32,
    pub duty: YearlyDuty,
    pub points: u32,
    /// Each confirmed activity with the points it gave.
    pub activities: Vec<(ActivityRecord, u32)>,
}

/// One line of the duty list: a member, the count and the points.
#[derive(Debug, Clone)]
pub struct MemberDuty {
    pub member: MemberRecord,
    pub duty: YearlyDuty,
    pub points: u32,
}

pub(crate) fn activity_place(a: &ActivityRecord) -> Place {
    Place {
        district_id: Some(a.district_id),
        street_id: Some(a.street_id),
        room_id: Some(a.room_id),
    }
}

fn own_member_id(acting: &Acting) -> Option<i64> {
    match acting.scope() {
        Scope::Member { member_id, .. } => Some(member_id),
        _ => None,
    }
}

/// A fresh client key for a form, so that submitting the page twice records one activity.
pub fn new_client_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl App {
    /// Records an activity. Staff of the room (and those above it) record it confirmed; a member
    /// serving in the room reports own participation, pending the staff's confirmation. Returns the
    /// activity and whether it is new (false when the client key found an earlier submission).
    pub async fn record_activity(
        &self,
        acting: &Acting,
        input: &ActivityInput,
    ) -> Result<(ActivityRecord, bool), AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(input.room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        let place = room_place(&room);
        let serving: HashSet<i64> = self
            .store()
            .room_members(room.id)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let status = match own_member_id(acting) {
            Some(me) if serving.contains(&me) => ActivityStatus::Pending,
            _ => {
                acting.require(Action::RecordActivities, &place)?;
                ActivityStatus::Confirmed
            }
        };
        let kind = ActivityKind::parse(&input.kind).ok_or_else(|| {
            AppError::invalid(
                "kind",
                format!(
                    "活动类型「{}」无效：应为 {}",
                    input.kind.trim(),
                    ActivityKind::ALL.map(ActivityKind::as_str).join("、")
                ),
            )
        })?;
        let local_kind_id = match (kind, input.local_kind.as_deref().map(str::trim)) {
            (ActivityKind::Local, Some(name)) if !name.is_empty() => {
                let kinds = self.store().local_kinds(Some(&[room.district_id])).await?;
                let found = kinds.into_iter().find(|k| k.name == name).ok_or_else(|| {
                    AppError::invalid(
                        "local_kind",
                        format!("{}没有名为「{name}」的特色活动类型", room.district_name),
                    )
                })?;
                Some(found.id)
            }
            (ActivityKind::Local, _) => {
                return Err(AppError::invalid(
                    "local_kind",
                    "本地区特色活动须注明是哪一种（local_kind）",
                ));
            }
            (_, Some(name)) if !name.is_empty() => {
                return Err(AppError::invalid(
                    "local_kind",
                    "只有本地区特色活动（local）才填写 local_kind",
                ));
            }
            _ => None,
        };
        let today = self.clock().today();
        let date = input
            .date
            .ok_or_else(|| AppError::invalid("date", "请填写活动日期"))?;
        check_activity_date(date, today).map_err(|err| AppError::invalid("date", err.to_string()))?;
        let hours = match (input.starts_at.as_deref(), input.ends_at.as_deref()) {
            (None | Some(""), None | Some("")) => None,
            (Some(starts), Some(ends)) if !starts.is_empty() && !ends.is_empty() => Some(
                SessionHours::parse(starts, ends)
                    .map_err(|message| AppError::invalid("starts_at", message))?,
            ),
            _ => {
                return Err(AppError::invalid(
                    "starts_at",
                    "开始和结束时间要么都填，要么都不填",
                ));
            }
        };
        let place_text = match input.place.as_deref().map(str::trim) {
            Some(raw) if !raw.is_empty() => domain::text::single_line(raw, 200)
                .map_err(|err| AppError::invalid("place", format!("活动地点{err}")))?,
            _ => room.address.clone(),
        };
        let summary = domain::text::paragraphs(&input.summary, 2000)
            .map_err(|err| AppError::invalid("summary", format!("活动内容{err}")))?;
        let residents_reached =
            match input.residents_reached {
                None => None,
                Some(n) => Some(u32::try_from(n).ok().filter(|n| *n <= 100_000).ok_or_else(|| {
                    AppError::invalid("residents_reached", "服务群众人数应在 0–100000 之间")
                })?),
            };
        let mut member_ids = input.member_ids.clone();
        member_ids.sort_unstable();
        member_ids.dedup();
        if member_ids.is_empty() {
            return Err(AppError::invalid("member_ids", "请至少选择一位参加的委员"));
        }
        if member_ids.len() > 200 {
            return Err(AppError::invalid("member_ids", "一次活动最多登记 200 位委员"));
        }
        match own_member_id(acting) {
            Some(me) if status == ActivityStatus::Pending => {
                if member_ids != [me] {
                    return Err(AppError::invalid(
                        "member_ids",
                        "委员只能登记本人参加的活动；其他委员由工作室登记",
                    ));
                }
            }
            _ => {
                // Staff may name the room's members and any member of their own scope.
                let in_scope: HashSet<i64> = self
                    .store()
                    .members_in_scope(&scope)
                    .await?
                    .into_iter()
                    .map(|m| m.id)
                    .collect();
                if let Some(stranger) = member_ids
                    .iter()
                    .find(|id| !serving.contains(id) && !in_scope.contains(id))
                {
                    return Err(AppError::invalid(
                        "member_ids",
                        format!("编号为 {stranger} 的委员不在本工作室，也不在您的工作范围内"),
                    ));
                }
            }
        }
        if kind == ActivityKind::ReceptionDay {
            let same_day = self
                .store()
                .activities_in_scope(
                    &Scope::City,
                    &ActivityFilter {
                        from: Some(date),
                        to: Some(date),
                        room_id: Some(room.id),
                        status: None,
                    },
                )
                .await?;
            if same_day.iter().any(|a| a.session_id.is_some()) {
                return Err(AppError::Conflict(format!(
                    "{date} 的接待日已按接待日安排自动登记为活动，无需重复登记"
                )));
            }
        }
        let client_key = match input.client_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let key = parse_client_key(raw).ok_or_else(|| {
                    AppError::invalid("client_key", "提交编号应为 8–64 位字母、数字、- 或 _")
                })?;
                let digest = hex::encode(Sha256::digest(
                    serde_json::json!([
                        room.id,
                        kind.as_str(),
                        local_kind_id,
                        date.to_string(),
                        hours.map(|h| h.starts_text()),
                        hours.map(|h| h.ends_text()),
                        place_text,
                        summary,
                        residents_reached,
                        member_ids,
                    ])
                    .to_string(),
                ));
                Some((key, digest))
            }
        };
        let new = NewActivity {
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            kind,
            local_kind_id,
            held_on: date,
            hours,
            place: place_text,
            summary,
            residents_reached,
            status,
            member_ids,
            client_key,
        };
        let who = acting.who();
        let now = self.clock().now();
        let recorded = match self.store().create_activity(&who, &new, now).await {
            // Two retries at once: the second meets the first's key and finds it.
            Err(store::StoreError::Duplicate(_)) if new.client_key.is_some() => {
                self.store().create_activity(&who, &new, now).await?
            }
            other => other?,
        };
        let (id, created) = match recorded {
            Recorded::Created(id) => (id, true),
            Recorded::Replayed(id) => (id, false),
            Recorded::KeyReused(_) => {
                return Err(AppError::Conflict(
                    "这个提交编号（client_key）已用于另一条不同的活动记录".into(),
                ));
            }
        };
        let record = self
            .store()
            .activity(id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("activity {id} vanished")))?;
        Ok((record, created))
    }

    /// One activity the caller may see: in scope by place, or one the member took part in.
    pub async fn activity(&self, acting: &Acting, id: i64) -> Result<ActivityRecord, AppError> {
        let scope = acting.scope();
        let record = self
            .store()
            .activity(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "活动"))?;
        let own = own_member_id(acting).is_some_and(|me| record.members.iter().any(|m| m.id == me));
        if own || scope.covers(&activity_place(&record)) {
            Ok(record)
        } else {
            Err(not_visible(&scope, "活动"))
        }
    }

    /// Activities in the caller's scope, newest first.
    pub async fn activities(
        &self,
        acting: &Acting,
        filter: &ActivityFilter,
    ) -> Result<Vec<ActivityRecord>, AppError> {
        Ok(self.store().activities_in_scope(&acting.scope(), filter).await?)
    }

    /// Confirms an activity a member reported (`None`), or returns it with a reason.
    pub async fn decide_activity(
        &self,
        acting: &Acting,
        id: i64,
        returned_because: Option<&str>,
    ) -> Result<ActivityRecord, AppError> {
        let before = self.activity(acting, id).await?;
        acting.require(Action::RecordActivities, &activity_place(&before))?;
        if before.status != ActivityStatus::Pending {
            return Err(AppError::Conflict(format!(
                "这条活动{}，不需要再确认",
                before.status.label_zh()
            )));
        }
        let reason = match returned_because {
            None => None,
            Some(raw) => Some(
                domain::text::single_line(raw, 200)
                    .map_err(|err| AppError::invalid("reason", format!("退回原因{err}")))?,
            ),
        };
        if !self
            .store()
            .decide_activity(&acting.who(), &before, reason.as_deref(), self.clock().now())
            .await?
        {
            return Err(AppError::Conflict("这条活动刚被他人确认或退回".into()));
        }
        self.activity(acting, id).await
    }

    /// The members in the caller's scope with their count against the yearly minimum and their points.
    pub async fn members_duty(&self, acting: &Acting, year: i32) -> Result<Vec<MemberDuty>, AppError> {
        Year::of_records(year, self.clock().today())?;
        let members = self.members(acting).await?;
        self.duty_of(members, year).await
    }

    /// The count against the minimum and the points of `year` for each of `members`.
    pub(crate) async fn duty_of(
        &self,
        members: Vec<MemberRecord>,
        year: i32,
    ) -> Result<Vec<MemberDuty>, AppError> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let (from, to) = Year::new(year)?.bounds();
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        // A long list reads the year once rather than naming thousands of ids in a query.
        let filter = (ids.len() <= 500).then_some(ids.as_slice());
        let participations = self.store().participations(filter, from, to).await?;
        let book = self.store().rule_book().await?;
        let minimum = rules_for_year(&book, year).min_yearly_activities;
        let mut dates: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        for p in participations {
            dates.entry(p.member_id).or_default().push(p.held_on);
        }
        Ok(members
            .into_iter()
            .map(|member| {
                let held = dates.remove(&member.id).unwrap_or_default();
                let points = held
                    .iter()
                    .map(|d| activity_points(&book, member.level, *d))
                    .sum();
                let duty = YearlyDuty {
                    count: u32::try_from(held.len()).unwrap_or(u32::MAX),
                    minimum,
                    exempt: member.exempt(),
                };
                MemberDuty { member, duty, points }
            })
            .collect())
    }

    /// One member's year with every activity and the points it gave. A member sees own; others as for
    /// the member's record.
    pub async fn member_year(
        &self,
        acting: &Acting,
        member_id: i64,
        year: i32,
    ) -> Result<MemberYear, AppError> {
        Year::of_records(year, self.clock().today())?;
        let (member, _) = self.member_record(acting, member_id).await?;
        let (from, to) = Year::new(year)?.bounds();
        let participations = self.store().participations(Some(&[member.id]), from, to).await?;
        let book = self.store().rule_book().await?;
        let minimum = rules_for_year(&book, year).min_yearly_activities;
        let ids: Vec<i64> = participations.iter().map(|p| p.activity_id).collect();
        let mut records: HashMap<i64, ActivityRecord> = self
            .store()
            .activities_with_ids(&ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let scope = acting.scope();
        let own = own_member_id(acting) == Some(member.id);
        let activities: Vec<(ActivityRecord, u32)> = ids
            .iter()
            .filter_map(|id| records.remove(id))
            .map(|mut a| {
                let points = activity_points(&book, member.level, a.held_on);
                // Another room's activity counts here, but its details are that room's to show.
                if !own && !scope.covers(&activity_place(&a)) {
                    a.summary = String::new();
                    a.place = String::new();
                    a.members.retain(|m| m.id == member.id);
                    a.photo_ids.clear();
                }
                (a, points)
            })
            .collect();
        let duty = YearlyDuty {
            count: u32::try_from(activities.len()).unwrap_or(u32::MAX),
            minimum,
            exempt: member.exempt(),
        };
        let points = activities.iter().map(|(_, p)| p).sum();
        Ok(MemberYear {
            member,
            year,
            duty,
            points,
            activities,
        })
    }

    /// The score sheet of a year (积分表, R14) as .xlsx: one row per member in the caller's scope.
    pub async fn score_sheet(&self, acting: &Acting, year: i32) -> Result<Vec<u8>, AppError> {
        let duties = self.members_duty(acting, year).await?;
        let headers = [
            "姓名",
            "委员层级",
            "届别",
            "所属区",
            "界别",
            "工作室",
            "活动次数",
            "最低次数",
            "免于最低次数",
            "未达最低次数",
            "专题协商积分",
        ];
        let rows: Vec<Vec<Cell>> = duties
            .iter()
            .map(|d| {
                let m = &d.member;
                let text = |v: &Option<String>| Cell::Text(v.clone().unwrap_or_default());
                vec![
                    Cell::Text(m.name.clone()),
                    Cell::Text(m.level.roster_word().to_owned()),
                    text(&m.term),
                    text(&m.district_name),
                    text(&m.sector),
                    Cell::Text(
                        m.rooms
                            .iter()
                            .map(|(_, name)| name.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                    Cell::Number(f64::from(d.duty.count)),
                    Cell::Number(f64::from(d.duty.minimum)),
                    Cell::Text(if d.duty.exempt { "是" } else { "否" }.to_owned()),
                    Cell::Text(if d.duty.below_minimum() { "是" } else { "否" }.to_owned()),
                    Cell::Number(f64::from(d.points)),
                ]
            })
            .collect();
        documents::xlsx::write_table(&format!("{year}年委员积分"), &headers, &rows)
            .map_err(|err| AppError::Internal(format!("score sheet: {err}")))
    }

    /// The kinds a room's activity may take: R10's and its district's own.
    pub async fn local_kinds(&self, acting: &Acting) -> Result<Vec<LocalKind>, AppError> {
        let scope = acting.scope();
        let district = scope.place().district_id;
        Ok(match (scope, district) {
            (Scope::City, _) => self.store().local_kinds(None).await?,
            (_, Some(d)) => self.store().local_kinds(Some(&[d])).await?,
            (_, None) => Vec::new(),
        })
    }

    /// Defines a district's own kind of activity (本地区特色).
    pub async fn add_local_kind(
        &self,
        acting: &Acting,
        district_id: Option<i64>,
        name: &str,
    ) -> Result<LocalKind, AppError> {
        let district_id = match district_id.or(acting.scope().place().district_id) {
            Some(id) => id,
            // Only the city office names the district; a caller who may define none is refused first.
            None if acting.may(Action::DefineActivityKinds, &Place::default()) => {
                return Err(AppError::invalid("district_id", "请选择区"));
            }
            None => return Err(crate::access::forbidden()),
        };
        acting.require(
            Action::DefineActivityKinds,
            &Place {
                district_id: Some(district_id),
                ..Place::default()
            },
        )?;
        if self.store().district_by_id(district_id).await?.is_none() {
            return Err(AppError::invalid("district_id", "没有这个区"));
        }
        let name = domain::text::single_line(name, 40)
            .map_err(|err| AppError::invalid("name", format!("活动类型名称{err}")))?;
        if ActivityKind::ALL.iter().any(|k| k.label_zh() == name) {
            return Err(AppError::invalid(
                "name",
                format!("「{name}」已是规范列明的活动类型"),
            ));
        }
        match self
            .store()
            .create_local_kind(&acting.who(), district_id, &name, self.clock().now())
            .await
        {
            Err(store::StoreError::Duplicate(_)) => {
                Err(AppError::Conflict(format!("本区已有「{name}」这一活动类型")))
            }
            other => Ok(other?),
        }
    }
}

/// What a member sees first on a phone (X3): the coming reception duties, this year's count against the
/// minimum with the activity behind each point, and own reports awaiting the staff or returned.
#[derive(Debug, Clone)]
pub struct MemberDashboard {
    pub year: MemberYear,
    /// Planned sessions the member is on duty at, the next 120 days, with the room's name.
    pub upcoming: Vec<(String, store::sessions::SessionRecord)>,
    /// Own reports not (yet) counted: pending or returned.
    pub reports: Vec<ActivityRecord>,
    /// Cases of the member's on which the member is to act: feedback to confirm, or new ones to take up.
    pub cases_waiting: Vec<store::opinions::CaseRecord>,
}

impl App {
    /// The signed-in member's dashboard; `None` for anyone who is not a member.
    pub async fn member_dashboard(&self, acting: &Acting) -> Result<Option<MemberDashboard>, AppError> {
        let Some(member_id) = own_member_id(acting) else {
            return Ok(None);
        };
        let today = self.clock().today();
        let year = self.member_year(acting, member_id, today.year()).await?;
        let sessions = self
            .store()
            .sessions_of_member(member_id, today, today + chrono::Days::new(120))
            .await?;
        let mut rooms: HashMap<i64, String> = HashMap::new();
        let mut upcoming = Vec::new();
        for session in sessions {
            if session.status != domain::calendar::SessionStatus::Planned {
                continue;
            }
            if !rooms.contains_key(&session.room_id)
                && let Some(room) = self.store().room(session.room_id).await?
            {
                rooms.insert(room.id, room.name);
            }
            let name = rooms.get(&session.room_id).cloned().unwrap_or_default();
            upcoming.push((name, session));
        }
        let (from, to) = Year::new(today.year())?.bounds();
        let reports = self
            .store()
            .activities_in_scope(
                &acting.scope(),
                &ActivityFilter {
                    from: Some(from),
                    to: Some(to),
                    room_id: None,
                    status: None,
                },
            )
            .await?
            .into_iter()
            .filter(|a| a.status != ActivityStatus::Confirmed)
            .collect();
        let cases_waiting = self
            .cases(acting)
            .await?
            .into_iter()
            .filter(|c| c.state == domain::opinion::CaseState::FeedbackGiven)
            .collect();
        Ok(Some(MemberDashboard {
            year,
            upcoming,
            reports,
            cases_waiting,
        }))
    }
}

/// The most photos one activity keeps.
pub const MAX_PHOTOS_PER_ACTIVITY: usize = 6;

impl App {
    /// Whether the caller may change an activity's details and photos: those who record the room's
    /// activities, or the member who reported it while it waits or was returned.
    /// Whether the caller confirms or returns this report (it waits, and the caller keeps its room).
    pub fn may_decide_activity(acting: &Acting, activity: &ActivityRecord) -> bool {
        activity.status == ActivityStatus::Pending
            && acting.may(Action::RecordActivities, &activity_place(activity))
    }

    /// Whether the activities page is one the caller records on: the city and the districts always,
    /// others where they keep a room (`rooms` from [`App::rooms_with_actions`]).
    pub fn records_activities(acting: &Acting, rooms: &[crate::units::RoomActions]) -> bool {
        matches!(acting.scope(), Scope::City | Scope::District { .. })
            || rooms.iter().any(|r| r.records_activities)
    }

    /// Whether the caller defines local activity kinds (本地区特色活动): the city, or a district.
    pub fn may_define_activity_kinds(acting: &Acting) -> bool {
        let scope = acting.scope();
        acting.may(Action::DefineActivityKinds, &scope.place())
            && (scope == Scope::City || scope.place().district_id.is_some())
    }

    pub fn may_edit_activity(&self, acting: &Acting, activity: &ActivityRecord) -> bool {
        let own_report = own_member_id(acting).is_some_and(|me| {
            activity.status != ActivityStatus::Confirmed && activity.members.iter().all(|m| m.id == me)
        });
        own_report || acting.may(Action::RecordActivities, &activity_place(activity))
    }

    /// Changes what was written about an activity: the summary and the residents reached (a held
    /// session's activity starts with a standard summary for staff to complete).
    pub async fn update_activity_details(
        &self,
        acting: &Acting,
        id: i64,
        summary: Option<&str>,
        residents_reached: Option<Option<i64>>,
    ) -> Result<ActivityRecord, AppError> {
        let before = self.activity(acting, id).await?;
        if !self.may_edit_activity(acting, &before) {
            return Err(crate::access::forbidden());
        }
        let summary = match summary {
            Some(raw) => domain::text::paragraphs(raw, 2000)
                .map_err(|err| AppError::invalid("summary", format!("活动内容{err}")))?,
            None => before.summary.clone(),
        };
        let reached =
            match residents_reached {
                None => before.residents_reached,
                Some(None) => None,
                Some(Some(n)) => Some(u32::try_from(n).ok().filter(|n| *n <= 100_000).ok_or_else(|| {
                    AppError::invalid("residents_reached", "服务群众人数应在 0–100000 之间")
                })?),
            };
        if summary == before.summary && reached == before.residents_reached {
            return Err(AppError::invalid("summary", "没有修改任何内容"));
        }
        self.store()
            .update_activity_details(&acting.who(), &before, &summary, reached, self.clock().now())
            .await?;
        self.activity(acting, id).await
    }

    /// Adds a photo to an activity: decoded and re-encoded off the async threads (metadata stripped,
    /// scaled to 1600 px), at most six an activity. Returns the photo's id.
    pub async fn add_activity_photo(
        &self,
        acting: &Acting,
        id: i64,
        bytes: Vec<u8>,
    ) -> Result<i64, AppError> {
        let activity = self.activity(acting, id).await?;
        if !self.may_edit_activity(acting, &activity) {
            return Err(crate::access::forbidden());
        }
        if activity.photo_ids.len() >= MAX_PHOTOS_PER_ACTIVITY {
            return Err(AppError::Conflict(format!(
                "每次活动最多保存 {MAX_PHOTOS_PER_ACTIVITY} 张照片，请先删除不需要的照片"
            )));
        }
        let photo = crate::gate::normalised_photo(bytes, documents::photo::normalise_activity_photo).await?;
        let new = store::activities::NewPhoto {
            jpeg: &photo.jpeg,
            width: photo.width,
            height: photo.height,
            etag: &photo.etag,
        };
        self.store()
            .add_activity_photo(
                &acting.who(),
                &activity,
                &new,
                MAX_PHOTOS_PER_ACTIVITY,
                self.clock().now(),
            )
            .await?
            .ok_or_else(|| {
                AppError::Conflict(format!(
                    "每次活动最多保存 {MAX_PHOTOS_PER_ACTIVITY} 张照片，请先删除不需要的照片"
                ))
            })
    }

    pub async fn remove_activity_photo(
        &self,
        acting: &Acting,
        id: i64,
        photo_id: i64,
    ) -> Result<(), AppError> {
        let activity = self.activity(acting, id).await?;
        if !self.may_edit_activity(acting, &activity) {
            return Err(crate::access::forbidden());
        }
        if self
            .store()
            .remove_activity_photo(&acting.who(), &activity, photo_id, self.clock().now())
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound("这次活动没有这张照片".into()))
        }
    }

    /// A photo of an activity the caller may see.
    pub async fn activity_photo(
        &self,
        acting: &Acting,
        id: i64,
        photo_id: i64,
    ) -> Result<store::members::PhotoFile, AppError> {
        self.activity(acting, id).await?;
        self.store()
            .activity_photo(id, photo_id)
            .await?
            .ok_or_else(|| AppError::NotFound("这次活动没有这张照片".into()))
    }
}
