//! Districts' annual summaries (年度工作总结, R14): the figures of a district's year computed from the
//! records (rooms, sessions and notices, activities, members' duty and points, opinions and their
//! outcome, concentrated opinions), the district's own text saved as a draft and submitted with the
//! figures frozen, the city general office receiving or returning it, and the Word document.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::activity::{ActivityStatus, rules_for_year};
use domain::annual::{
    self, AnnualFigures, LateNotice, LevelParticipation, SatisfactionCounts, SummaryStatus, SummaryStep,
    Tally,
};
use domain::authz::{Action, Place, Scope};
use domain::calendar::{NoticeStatus, SessionStatus, Year, notice_status};
use domain::member::MemberLevel;
use domain::opinion::{CaseState, Rating, Route};
use domain::org::{DivisionCode, GUANGZHOU_CODE};
use domain::room::RoomKind;
use store::activities::ActivityFilter;
use store::annual::{StoredSummary, SummaryVersion, SummaryWrite};

use crate::access::Acting;
use crate::{App, AppError};

/// A district as the summaries name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryDistrict {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// One line of the city's overview (and the district's own).
#[derive(Debug, Clone)]
pub struct SummaryListing {
    pub district: SummaryDistrict,
    pub status: SummaryStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Submitted on or after the due day.
    pub late: bool,
    pub due: NaiveDate,
    /// Days from today to the due day (negative once past).
    pub days_left: i64,
}

/// One summary with its figures and what the caller may do with it now.
#[derive(Debug, Clone)]
pub struct SummaryView {
    pub listing: SummaryListing,
    pub year: i32,
    pub text: String,
    pub received_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    /// Frozen at the last submission once submitted or received; computed now otherwise.
    pub figures: AnnualFigures,
    pub versions: Vec<SummaryVersion>,
    /// The steps the caller may take now (decided here, never in a page).
    pub actions: Vec<SummaryStep>,
}

fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::beijing()).date_naive()
}

fn level_order(level: MemberLevel) -> u8 {
    match level {
        MemberLevel::National => 0,
        MemberLevel::Provincial => 1,
        MemberLevel::City => 2,
        MemberLevel::District => 3,
    }
}

/// Counts under labels, in the order the labels first appear in `order` (then any others).
fn tally(counts: BTreeMap<(u8, String, String), u32>) -> Vec<Tally> {
    counts
        .into_iter()
        .map(|((_, code, label), count)| Tally { code, label, count })
        .collect()
}

fn route_order(route: Option<Route>) -> u8 {
    match route {
        Some(Route::OnTheSpot) => 0,
        Some(Route::Street) => 1,
        Some(Route::District) => 2,
        Some(Route::Petition) => 3,
        Some(Route::Proposal) => 4,
        Some(Route::SocialReport) => 5,
        Some(Route::ScreenedOut) => 6,
        None => 7,
    }
}

/// Members' participation in a year (R5) as the summary and the dashboard count it: by level (exempt
/// members apart), those below the minimum by name and level, and city members' points (R14).
pub(crate) struct Participation {
    pub levels: Vec<LevelParticipation>,
    pub below: Vec<String>,
    pub city_points: u32,
}

pub(crate) fn participation(duties: &[crate::activities::MemberDuty]) -> Participation {
    let mut levels: BTreeMap<u8, LevelParticipation> = BTreeMap::new();
    let mut below = Vec::new();
    let mut city_points = 0;
    for d in duties {
        let level = d.member.level;
        let entry = levels
            .entry(level_order(level))
            .or_insert_with(|| LevelParticipation {
                level: level.as_str().to_owned(),
                label: format!("{}政协委员", level.label_zh()),
                members: 0,
                at_or_above_minimum: 0,
                exempt: 0,
            });
        if d.duty.exempt {
            entry.exempt += 1;
        } else {
            entry.members += 1;
            if d.duty.below_minimum() {
                below.push(format!("{}（{}）", d.member.name, level.label_zh()));
            } else {
                entry.at_or_above_minimum += 1;
            }
        }
        if level == MemberLevel::City {
            city_points += d.points;
        }
    }
    Participation {
        levels: levels.into_values().collect(),
        below,
        city_points,
    }
}

impl App {
    /// The confirmed activities of a scope between two days (the summary's and the dashboard's).
    pub(crate) async fn confirmed_activities_in(
        &self,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<store::activities::ActivityRecord>, AppError> {
        Ok(self
            .store()
            .activities_in_scope(
                scope,
                &ActivityFilter {
                    from: Some(from),
                    to: Some(to),
                    room_id: None,
                    status: Some(ActivityStatus::Confirmed),
                },
            )
            .await?)
    }

    /// The district a summary belongs to, by its six-digit code (404 for anything else).
    async fn summary_district(&self, code: &str) -> Result<SummaryDistrict, AppError> {
        let unknown = || AppError::NotFound(format!("没有代码为“{}”的区", code.trim()));
        let parsed: DivisionCode = code.trim().parse().map_err(|_| unknown())?;
        if parsed.as_str().len() != 6 || parsed.as_str() == GUANGZHOU_CODE {
            return Err(unknown());
        }
        let detail = self.store().division(&parsed).await?.ok_or_else(unknown)?;
        let ids = self.store().division_ids(&parsed).await?.ok_or_else(unknown)?;
        Ok(SummaryDistrict {
            id: ids.district_id,
            code: detail.division.code.as_str().to_owned(),
            name: detail.division.name,
        })
    }

    /// A district by its name, with or without 区 (for the command line).
    pub async fn summary_district_named(&self, name: &str) -> Result<SummaryDistrict, AppError> {
        let wanted = name.trim().trim_end_matches('区');
        for district in self.summary_districts().await? {
            if district.name.trim_end_matches('区') == wanted {
                return Ok(district);
            }
        }
        Err(AppError::NotFound(format!("广州市没有“{}”这个区", name.trim())))
    }

    /// The eleven districts of the city.
    async fn summary_districts(&self) -> Result<Vec<SummaryDistrict>, AppError> {
        let city: DivisionCode = GUANGZHOU_CODE.parse().expect("the city's code parses");
        let children = self
            .store()
            .division_children(Some(&city))
            .await?
            .unwrap_or_default();
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            if let Some(ids) = self.store().division_ids(&child.code).await? {
                out.push(SummaryDistrict {
                    id: ids.district_id,
                    code: child.code.as_str().to_owned(),
                    name: child.name,
                });
            }
        }
        Ok(out)
    }

    async fn summary_due(&self, year: i32) -> Result<NaiveDate, AppError> {
        let book = self.store().rule_book().await?;
        let rules = rules_for_year(&book, year);
        annual::due_date(year, rules.annual_summary_due_month, rules.annual_summary_due_day)
            .ok_or_else(|| AppError::Internal("the rule set's due day is not a date".into()))
    }

    fn listing(
        &self,
        district: SummaryDistrict,
        stored: Option<&StoredSummary>,
        due: NaiveDate,
    ) -> SummaryListing {
        let submitted_at = stored.and_then(|s| s.submitted_at);
        let status = stored.map_or(SummaryStatus::NotStarted, |s| s.status);
        let late = match (status, submitted_at) {
            (SummaryStatus::Submitted | SummaryStatus::Received, Some(at)) => {
                annual::is_late(beijing_date(at), due)
            }
            // Not (or no longer) submitted: late once the due day has come.
            _ => self.clock().today() >= due,
        };
        SummaryListing {
            district,
            status,
            submitted_at,
            late,
            due,
            days_left: (due - self.clock().today()).num_days(),
        }
    }

    /// Whether the caller reads annual summaries at all (the workbench links them).
    pub fn sees_annual_summaries(acting: &Acting) -> bool {
        match acting.scope() {
            Scope::City => acting.may(Action::ReviewAnnualSummaries, &Place::default()),
            Scope::District { district_id } => {
                acting.may(Action::ViewAnnualSummary, &Place::district(district_id))
            }
            _ => false,
        }
    }

    /// Every district in the caller's scope with its summary's status for `year`: the city sees all
    /// eleven, a district its own; everyone else 403.
    pub async fn annual_summaries(
        &self,
        acting: &Acting,
        year: i32,
    ) -> Result<Vec<SummaryListing>, AppError> {
        Year::of_records(year, self.clock().today())?;
        let districts: Vec<SummaryDistrict> = self
            .summary_districts()
            .await?
            .into_iter()
            .filter(|d| acting.may(Action::ViewAnnualSummary, &Place::district(d.id)))
            .collect();
        if districts.is_empty() {
            return Err(AppError::Forbidden(
                "年度工作总结由区政协撰写、市政协办公厅接收，您的账号无权查看".into(),
            ));
        }
        let ids: Vec<i64> = districts.iter().map(|d| d.id).collect();
        let stored = self.store().annual_summaries(&ids, year).await?;
        let due = self.summary_due(year).await?;
        Ok(districts
            .into_iter()
            .map(|d| {
                let found = stored.iter().find(|s| s.district_id == d.id);
                self.listing(d, found, due)
            })
            .collect())
    }

    /// One district's summary of `year` with its figures and the caller's possible steps.
    pub async fn annual_summary(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
    ) -> Result<SummaryView, AppError> {
        Year::of_records(year, self.clock().today())?;
        let district = self.summary_district(code).await?;
        acting.require(Action::ViewAnnualSummary, &Place::district(district.id))?;
        self.summary_view(acting, district, year).await
    }

    async fn summary_view(
        &self,
        acting: &Acting,
        district: SummaryDistrict,
        year: i32,
    ) -> Result<SummaryView, AppError> {
        let found = self.store().annual_summary(district.id, year).await?;
        let due = self.summary_due(year).await?;
        let (stored, versions) = match found {
            Some((stored, versions)) => (Some(stored), versions),
            None => (None, Vec::new()),
        };
        let status = stored.as_ref().map_or(SummaryStatus::NotStarted, |s| s.status);
        let figures = match (status, versions.last()) {
            (SummaryStatus::Submitted | SummaryStatus::Received, Some(last)) => last.figures.clone(),
            _ => self.annual_figures(&district, year).await?,
        };
        let place = Place::district(district.id);
        let mut actions = Vec::new();
        for step in [SummaryStep::SaveText, SummaryStep::Submit] {
            if acting.may(Action::WriteAnnualSummary, &place) && annual::next_status(status, step).is_ok() {
                actions.push(step);
            }
        }
        for step in [SummaryStep::Receive, SummaryStep::Return] {
            if acting.may(Action::ReviewAnnualSummaries, &place) && annual::next_status(status, step).is_ok()
            {
                actions.push(step);
            }
        }
        let listing = self.listing(district, stored.as_ref(), due);
        Ok(SummaryView {
            listing,
            year,
            text: stored.as_ref().map_or_else(String::new, |s| s.text.clone()),
            received_at: stored.as_ref().and_then(|s| s.received_at),
            return_reason: stored.as_ref().and_then(|s| s.return_reason.clone()),
            figures,
            versions,
            actions,
        })
    }

    /// Takes one step of a summary: checks who, checks the status, writes conditionally.
    async fn summary_step(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
        step: SummaryStep,
        text: Option<String>,
        reason: Option<String>,
    ) -> Result<SummaryView, AppError> {
        Year::of_records(year, self.clock().today())?;
        let district = self.summary_district(code).await?;
        let place = Place::district(district.id);
        acting.require(Action::ViewAnnualSummary, &place)?;
        let allowed = match step {
            SummaryStep::SaveText | SummaryStep::Submit => acting.may(Action::WriteAnnualSummary, &place),
            SummaryStep::Receive | SummaryStep::Return => acting.may(Action::ReviewAnnualSummaries, &place),
        };
        if !allowed {
            return Err(match step {
                SummaryStep::SaveText | SummaryStep::Submit => {
                    AppError::Forbidden("年度工作总结由本区政协工作人员撰写和报送".into())
                }
                SummaryStep::Receive | SummaryStep::Return => {
                    AppError::Forbidden("接收或退回年度工作总结由市政协办公厅办理".into())
                }
            });
        }
        let current = self.store().annual_summary(district.id, year).await?;
        let status = current
            .as_ref()
            .map_or(SummaryStatus::NotStarted, |(s, _)| s.status);
        let next =
            annual::next_status(status, step).map_err(|refused| AppError::Conflict(refused.to_string()))?;
        let mut write = SummaryWrite {
            status: next,
            text: None,
            freeze: None,
            return_reason: None,
            action: match step {
                SummaryStep::SaveText => "annual_summary.save",
                SummaryStep::Submit => "annual_summary.submit",
                SummaryStep::Receive => "annual_summary.receive",
                SummaryStep::Return => "annual_summary.return",
            },
        };
        match step {
            SummaryStep::SaveText => {
                let text = text.unwrap_or_default();
                let text = if text.trim().is_empty() {
                    String::new()
                } else {
                    domain::text::paragraphs(&text, 20_000)
                        .map_err(|err| AppError::invalid("text", format!("总结正文{err}")))?
                };
                write.text = Some(text);
            }
            SummaryStep::Submit => {
                let text = current.as_ref().map_or("", |(s, _)| s.text.as_str());
                if annual::text_is_empty(text) {
                    return Err(AppError::invalid(
                        "text",
                        "总结正文还是空的：请先写明主要工作、经验做法、存在问题和下一年度工作计划，保存后再报送",
                    ));
                }
                write.freeze = Some(self.annual_figures(&district, year).await?);
            }
            SummaryStep::Return => {
                let reason = domain::text::paragraphs(reason.as_deref().unwrap_or_default(), 1000)
                    .map_err(|err| AppError::invalid("reason", format!("退回理由{err}")))?;
                write.return_reason = Some(reason);
            }
            SummaryStep::Receive => {}
        }
        let moved = self
            .store()
            .write_annual_summary(
                &acting.who(),
                district.id,
                year,
                status,
                &write,
                self.clock().now(),
            )
            .await?;
        if !moved {
            return Err(AppError::Conflict("这份总结刚被他人处理，请刷新后再看".into()));
        }
        self.summary_view(acting, district, year).await
    }

    /// Saves the district's text as a draft (PUT).
    pub async fn save_annual_text(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
        text: &str,
    ) -> Result<SummaryView, AppError> {
        self.summary_step(
            acting,
            code,
            year,
            SummaryStep::SaveText,
            Some(text.to_owned()),
            None,
        )
        .await
    }

    /// Submits the summary; its figures are frozen into a new version.
    pub async fn submit_annual_summary(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
    ) -> Result<SummaryView, AppError> {
        self.summary_step(acting, code, year, SummaryStep::Submit, None, None)
            .await
    }

    /// The city general office receives a submitted summary.
    pub async fn receive_annual_summary(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
    ) -> Result<SummaryView, AppError> {
        self.summary_step(acting, code, year, SummaryStep::Receive, None, None)
            .await
    }

    /// The city general office returns a submitted summary with its reason.
    pub async fn return_annual_summary(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
        reason: &str,
    ) -> Result<SummaryView, AppError> {
        self.summary_step(
            acting,
            code,
            year,
            SummaryStep::Return,
            None,
            Some(reason.to_owned()),
        )
        .await
    }

    /// The summary as a Word document in official-document layout: the submitted version (frozen
    /// figures) once submitted, the draft otherwise. Returns an ASCII file name and the bytes.
    pub async fn annual_summary_docx(
        &self,
        acting: &Acting,
        code: &str,
        year: i32,
    ) -> Result<(String, Vec<u8>), AppError> {
        let view = self.annual_summary(acting, code, year).await?;
        summary_document(&view, self.clock().today())
    }

    /// The document of a district named on the command line (the operator holds the database).
    pub async fn annual_summary_docx_for(
        &self,
        district: &str,
        year: i32,
    ) -> Result<(String, Vec<u8>), AppError> {
        Year::of_records(year, self.clock().today())?;
        let district = self.summary_district_named(district).await?;
        let view = self.summary_view(&Acting::Operator, district, year).await?;
        summary_document(&view, self.clock().today())
    }

    /// Every figure of a district's year, from the records.
    pub async fn annual_figures(
        &self,
        district: &SummaryDistrict,
        year: i32,
    ) -> Result<AnnualFigures, AppError> {
        let scope = Scope::District {
            district_id: district.id,
        };
        let (from, to) = Year::new(year)?.bounds();
        let today = self.clock().today();
        let book = self.store().rule_book().await?;
        let rules = rules_for_year(&book, year);

        let rooms = self.store().rooms_in_scope(&scope).await?;
        let mut by_kind = BTreeMap::new();
        for kind in [RoomKind::Fixed, RoomKind::Mobile, RoomKind::Online] {
            let count = rooms.iter().filter(|r| r.open && r.kind == kind).count();
            if count > 0 {
                by_kind.insert(
                    (kind as u8, kind.as_str().to_owned(), kind.label_zh().to_owned()),
                    u32::try_from(count).unwrap_or(u32::MAX),
                );
            }
        }
        let room_ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let room_name = |id: i64| {
            rooms
                .iter()
                .find(|r| r.id == id)
                .map_or_else(String::new, |r| r.name.clone())
        };

        let sessions = self.store().sessions_in_rooms(&room_ids, from, to).await?;
        let mut notices_due = 0;
        let mut notices_on_time = 0;
        let mut late_notices = Vec::new();
        for session in sessions.iter().filter(|s| s.status != SessionStatus::Cancelled) {
            match notice_status(session.notice_due, session.notice_posted_on, today) {
                // Not posted and not yet due: counted neither way.
                NoticeStatus::Pending => {}
                NoticeStatus::OnTime => {
                    notices_due += 1;
                    notices_on_time += 1;
                }
                NoticeStatus::PostedLate | NoticeStatus::Overdue => {
                    notices_due += 1;
                    late_notices.push(LateNotice {
                        room: room_name(session.room_id),
                        session_date: session.date,
                    });
                }
            }
        }
        let sessions_held = sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held)
            .count();

        let activities = self.confirmed_activities_in(&scope, from, to).await?;
        let mut activity_kinds = BTreeMap::new();
        for a in &activities {
            let label = a
                .local_kind
                .as_ref()
                .map_or_else(|| a.kind.label_zh().to_owned(), |(_, name)| name.clone());
            *activity_kinds
                .entry((a.kind as u8, a.kind.as_str().to_owned(), label))
                .or_insert(0) += 1;
        }

        let members: Vec<_> = self
            .store()
            .members_in_scope(&scope)
            .await?
            .into_iter()
            .filter(|m| m.ceased_on.is_none_or(|d| d >= from))
            .collect();
        let duties = self.duty_of(members, year).await?;
        let Participation {
            levels,
            below,
            city_points,
        } = participation(&duties);

        let cases: Vec<_> = self
            .store()
            .cases_in_scope(&scope)
            .await?
            .into_iter()
            .filter(|c| beijing_date(c.received_at).year() == year)
            .collect();
        let mut routes = BTreeMap::new();
        for c in &cases {
            let (code, label) = c
                .route
                .map_or(("unrouted", "待分办"), |r| (r.as_str(), r.label_zh()));
            *routes
                .entry((route_order(c.route), code.to_owned(), label.to_owned()))
                .or_insert(0) += 1;
        }
        let calendar = self.store().work_calendar(year..=year + 1).await?;
        let closed: Vec<_> = cases.iter().filter(|c| c.state == CaseState::Closed).collect();
        let days: Vec<u32> = closed
            .iter()
            .filter_map(|c| {
                let closed_on = beijing_date(c.closed_at?);
                Some(calendar.working_days_between(beijing_date(c.received_at), closed_on))
            })
            .collect();
        #[allow(clippy::cast_precision_loss)] // counts of days, far below 2^52
        let average = (!days.is_empty())
            .then(|| (f64::from(days.iter().sum::<u32>()) / days.len() as f64 * 10.0).round() / 10.0);
        let mut satisfaction = SatisfactionCounts::default();
        for c in &closed {
            match c.rating {
                Some(Rating::Satisfied) => satisfaction.satisfied += 1,
                Some(Rating::BasicallySatisfied) => satisfaction.basically_satisfied += 1,
                Some(Rating::Dissatisfied) => satisfaction.dissatisfied += 1,
                None => satisfaction.unrated += 1,
            }
        }
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let groups = self.concentrated_in(&scope, year).await?;
        let inspections = self.store().inspections_in_scope(&scope, from, to).await?;
        let inspected = rooms
            .iter()
            .filter(|r| r.open && inspections.iter().any(|i| i.room_id == r.id))
            .count();
        let tasks: Vec<_> = self
            .store()
            .rectification_tasks(&scope, None, None)
            .await?
            .into_iter()
            .filter(|t| inspections.iter().any(|i| i.id == t.inspection_id))
            .collect();
        let funding = crate::funding::overview_of(
            year,
            rooms.clone(),
            &self.store().funding_in_scope(&scope, year).await?,
        );
        Ok(AnnualFigures {
            district: district.name.clone(),
            year,
            rooms_total: count(rooms.iter().filter(|r| r.open).count()),
            rooms_by_kind: tally(by_kind),
            sessions_held: count(sessions_held),
            notices_on_time,
            notices_due,
            late_notices,
            activities_total: count(activities.len()),
            activities_by_kind: tally(activity_kinds),
            participation: levels,
            members_below_minimum: below,
            minimum: rules.min_yearly_activities,
            city_member_points: city_points,
            opinions_total: count(cases.len()),
            opinions_by_route: tally(routes),
            opinions_closed: count(closed.len()),
            opinions_open: count(cases.len() - closed.len()),
            average_working_days_to_close: average,
            satisfaction,
            concentrated_groups: count(groups.len()),
            proposals_drafted: count(cases.iter().filter(|c| c.route == Some(Route::Proposal)).count()),
            social_reports_drafted: count(
                cases
                    .iter()
                    .filter(|c| c.route == Some(Route::SocialReport))
                    .count(),
            ),
            rooms_inspected: count(inspected),
            rectifications: count(tasks.len()),
            rectifications_closed: count(
                tasks
                    .iter()
                    .filter(|t| t.status == domain::inspection::TaskStatus::Closed)
                    .count(),
            ),
            funding_budget_fen: funding.budget_fen,
            funding_spent_fen: funding.spent_fen,
            rooms_without_budget: count(funding.without_budget),
        })
    }
}

/// The Word document of a summary view.
fn summary_document(view: &SummaryView, today: NaiveDate) -> Result<(String, Vec<u8>), AppError> {
    let district = &view.listing.district.name;
    let title = annual::document_title(district, view.year);
    let dated = view.listing.submitted_at.map_or(today, beijing_date);
    let text = match (view.listing.status, view.versions.last()) {
        (SummaryStatus::Submitted | SummaryStatus::Received, Some(last)) => last.text.as_str(),
        _ => view.text.as_str(),
    };
    let body = annual::document_body(
        &view.figures,
        text,
        &format!("中国人民政治协商会议广州市{district}委员会"),
        dated,
    );
    let bytes = documents::docx::official_document(&title, &body)
        .map_err(|err| AppError::Internal(format!("docx: {err}")))?;
    // An ASCII name (the title is inside the document): `annual-summary-440104-2026.docx`.
    Ok((
        format!("annual-summary-{}-{}.docx", view.listing.district.code, view.year),
        bytes,
    ))
}
