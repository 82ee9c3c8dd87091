//! A leader's dashboard (工作概览, X4): the year of the caller's scope at a glance — the city by district,
//! a district or a town/street by room — counted from the same records as the lists and the annual
//! summary: members' participation, reception sessions and notices, activities by kind and month,
//! opinions by route and state, open cases by age, overdue cases, satisfaction, concentrated opinions
//! and the annual summaries' status.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::activity::rules_for_year;
use domain::annual::{LevelParticipation, SatisfactionCounts, Tally};
use domain::authz::{Place, Role, Scope};
use domain::calendar::{NoticeStatus, SessionStatus, Year, notice_status};
use domain::dashboard::CaseAge;
use domain::opinion::{CaseState, Rating};
use store::calendar::DistrictRef;

use crate::access::{Acting, forbidden};
use crate::annual::SummaryListing;
use crate::{App, AppError};

/// What one bar of the dashboard stands for: a district of the city, or a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    District,
    Room,
}

/// The figures of one district or room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitFigures {
    pub id: i64,
    pub name: String,
    /// A district's code (to open its own dashboard); empty for a room.
    pub code: String,
    /// A room's town/street; empty for a district.
    pub street: String,
    /// Members held to the yearly minimum (exempt members apart) and how many reached it.
    pub members: u32,
    pub at_or_above_minimum: u32,
    pub sessions_held: u32,
    pub notices_due: u32,
    pub notices_on_time: u32,
    pub activities: u32,
    pub opinions: u32,
    pub open: u32,
    pub overdue: u32,
    /// Rated 满意 or 基本满意, and rated at all.
    pub satisfied: u32,
    pub rated: u32,
}

impl UnitFigures {
    /// 满意 and 基本满意 among the rated, as a whole percentage; `None` before any rating.
    pub fn satisfaction_percent(&self) -> Option<u32> {
        (self.rated > 0).then(|| domain::dashboard::percent(self.satisfied, self.rated))
    }
}

/// A case past its due day, for the leader to press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueLine {
    pub id: i64,
    pub room: String,
    pub state: CaseState,
    pub due_on: NaiveDate,
    pub working_days_late: u32,
}

/// The dashboard of one scope and year.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub year: i32,
    /// What the figures cover: 广州市, a district's or a town/street's name.
    pub scope_name: String,
    /// The district viewed, when it is one (the city may open any).
    pub district: Option<DistrictRef>,
    pub unit_kind: UnitKind,
    pub units: Vec<UnitFigures>,
    pub minimum: u32,
    pub participation: Vec<LevelParticipation>,
    /// Members below the minimum by name and level (exempt members are not).
    pub members_below_minimum: Vec<String>,
    pub sessions_held: u32,
    pub notices_due: u32,
    pub notices_on_time: u32,
    pub activities_by_kind: Vec<Tally>,
    /// Confirmed activities per month, January first.
    pub activities_by_month: [u32; 12],
    pub opinions_total: u32,
    pub opinions_by_route: Vec<Tally>,
    pub opinions_by_state: Vec<Tally>,
    /// Open cases of the year by how long they have waited.
    pub open_by_age: Vec<Tally>,
    /// Open cases past their due day, most late first.
    pub overdue: Vec<OverdueLine>,
    pub satisfaction: SatisfactionCounts,
    pub concentrated_groups: u32,
    /// The annual summaries' status (the city's districts, or the district's own).
    pub summaries: Vec<SummaryListing>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::beijing()).date_naive()
}

fn tallies<K: Ord>(counts: BTreeMap<K, (String, String, u32)>) -> Vec<Tally> {
    counts
        .into_values()
        .map(|(code, label, count)| Tally { code, label, count })
        .collect()
}

impl App {
    /// Whether the caller has a dashboard: the city general office, districts' staff and street leads.
    pub fn has_dashboard(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => matches!(
                (actor.role, actor.scope),
                (Role::CityOffice, Scope::City)
                    | (Role::DistrictStaff, Scope::District { .. })
                    | (Role::StreetLead, Scope::Street { .. })
            ),
        }
    }

    /// The dashboard of the caller's scope for `year`; the city may open one district (`district`,
    /// its code or name).
    pub async fn dashboard(
        &self,
        acting: &Acting,
        year: i32,
        district: Option<&str>,
    ) -> Result<Dashboard, AppError> {
        let today = self.clock().today();
        let (from, to) = Year::of_records(year, today)?.bounds();
        if !Self::has_dashboard(acting) {
            return Err(AppError::Forbidden(
                "工作概览供市政协办公厅、区政协和镇（街）负责人使用".into(),
            ));
        }
        let own = acting.scope();
        let chosen = match district.map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(raw) => {
                let found = self
                    .store()
                    .district_named(raw)
                    .await?
                    .ok_or_else(|| crate::access::not_visible(&own, "区"))?;
                if !own.covers(&Place::district(found.id)) && own != Scope::City {
                    return Err(forbidden());
                }
                Some(found)
            }
        };
        let scope = match (&chosen, own) {
            (Some(d), Scope::City) => Scope::District { district_id: d.id },
            _ => own,
        };
        let districts = self.store().districts().await?;
        let district = match scope {
            Scope::District { district_id } | Scope::Street { district_id, .. } => {
                districts.iter().find(|d| d.id == district_id).cloned()
            }
            _ => None,
        };
        let unit_kind = if scope == Scope::City {
            UnitKind::District
        } else {
            UnitKind::Room
        };
        let rules = rules_for_year(&self.store().rule_book().await?, year);

        let rooms = self.store().rooms_in_scope(&scope).await?;
        let scope_name = match scope {
            Scope::City => "广州市".to_owned(),
            Scope::Street { street_id, .. } => rooms.iter().find(|r| r.street_id == street_id).map_or_else(
                || district.as_ref().map_or_else(String::new, |d| d.name.clone()),
                |r| format!("{}{}", r.district_name, r.street_name),
            ),
            _ => district.as_ref().map_or_else(String::new, |d| d.name.clone()),
        };
        let mut units: Vec<UnitFigures> = match unit_kind {
            UnitKind::District => districts
                .iter()
                .map(|d| UnitFigures {
                    id: d.id,
                    name: d.name.clone(),
                    code: d.code.clone(),
                    ..UnitFigures::default()
                })
                .collect(),
            UnitKind::Room => rooms
                .iter()
                .filter(|r| r.open)
                .map(|r| UnitFigures {
                    id: r.id,
                    name: r.name.clone(),
                    street: r.street_name.clone(),
                    ..UnitFigures::default()
                })
                .collect(),
        };
        let unit_of = |district_id: i64, room_id: i64| match unit_kind {
            UnitKind::District => district_id,
            UnitKind::Room => room_id,
        };
        // Each record finds its unit by id once, not by scanning the units.
        let position: std::collections::HashMap<i64, usize> =
            units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();

        // Reception sessions and their notices.
        let room_ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let sessions = self.store().sessions_in_rooms(&room_ids, from, to).await?;
        let (mut sessions_held, mut notices_due, mut notices_on_time) = (0, 0, 0);
        for session in sessions.iter().filter(|s| s.status != SessionStatus::Cancelled) {
            let key = unit_of(session.district_id, session.room_id);
            let unit = position.get(&key).map(|&i| &mut units[i]);
            let held = session.status == SessionStatus::Held;
            let (due, on_time) = match notice_status(session.notice_due, session.notice_posted_on, today) {
                NoticeStatus::Pending => (false, false),
                NoticeStatus::OnTime => (true, true),
                NoticeStatus::PostedLate | NoticeStatus::Overdue => (true, false),
            };
            sessions_held += u32::from(held);
            notices_due += u32::from(due);
            notices_on_time += u32::from(on_time);
            if let Some(unit) = unit {
                unit.sessions_held += u32::from(held);
                unit.notices_due += u32::from(due);
                unit.notices_on_time += u32::from(on_time);
            }
        }

        // Confirmed activities of the year.
        let activities = self.confirmed_activities_in(&scope, from, to).await?;
        let mut by_kind: BTreeMap<(u8, String), (String, String, u32)> = BTreeMap::new();
        let mut by_month = [0u32; 12];
        for a in &activities {
            let label = a
                .local_kind
                .as_ref()
                .map_or_else(|| a.kind.label_zh().to_owned(), |(_, name)| name.clone());
            by_kind
                .entry((a.kind as u8, label.clone()))
                .or_insert_with(|| (a.kind.as_str().to_owned(), label, 0))
                .2 += 1;
            by_month[a.held_on.month0() as usize] += 1;
            let key = unit_of(a.district_id, a.room_id);
            if let Some(&i) = position.get(&key) {
                let unit = &mut units[i];
                unit.activities += 1;
            }
        }

        // Members' yearly duty (R5): participation by level, and per unit.
        let members: Vec<_> = self
            .store()
            .members_in_scope(&scope)
            .await?
            .into_iter()
            .filter(|m| m.ceased_on.is_none_or(|d| d >= from))
            .collect();
        let duties = self.duty_of(members, year).await?;
        let totals = crate::annual::participation(&duties);
        for d in duties.iter().filter(|d| !d.duty.exempt) {
            let reached = !d.duty.below_minimum();
            let keys: Vec<i64> = match unit_kind {
                UnitKind::District => d.member.district_id.into_iter().collect(),
                UnitKind::Room => d.member.rooms.iter().map(|(id, _)| *id).collect(),
            };
            for key in keys {
                if let Some(&i) = position.get(&key) {
                    let unit = &mut units[i];
                    unit.members += 1;
                    unit.at_or_above_minimum += u32::from(reached);
                }
            }
        }

        // Citizens' opinions received in the year; cases still open by age and past their due day.
        let cases: Vec<_> = self
            .store()
            .cases_in_scope(&scope)
            .await?
            .into_iter()
            .filter(|c| beijing_date(c.received_at).year() == year)
            .collect();
        let calendar = self
            .store()
            .work_calendar(year - 1..=today.year().max(year) + 1)
            .await?;
        let mut by_route: BTreeMap<u8, (String, String, u32)> = BTreeMap::new();
        let mut by_state: BTreeMap<usize, (String, String, u32)> = BTreeMap::new();
        let mut by_age: BTreeMap<CaseAge, (String, String, u32)> = CaseAge::ALL
            .into_iter()
            .map(|age| (age, (age.as_str().to_owned(), age.label_zh().to_owned(), 0)))
            .collect();
        let mut satisfaction = SatisfactionCounts::default();
        let mut overdue = Vec::new();
        for c in &cases {
            // Routes in the order they are declared, as the annual summary lists them.
            let (order, code, label) = c.route.map_or((u8::MAX, "unrouted", "待分办"), |r| {
                (r as u8, r.as_str(), r.label_zh())
            });
            by_route
                .entry(order)
                .or_insert_with(|| (code.to_owned(), label.to_owned(), 0))
                .2 += 1;
            let state_order = CaseState::ALL
                .iter()
                .position(|s| *s == c.state)
                .unwrap_or(usize::MAX);
            by_state
                .entry(state_order)
                .or_insert_with(|| (c.state.as_str().to_owned(), c.state.public_label().to_owned(), 0))
                .2 += 1;
            let key = unit_of(c.district_id, c.room_id);
            let unit = position.get(&key).map(|&i| &mut units[i]);
            let closed = c.state == CaseState::Closed;
            let late = (!closed)
                .then_some(c.due_on)
                .flatten()
                .filter(|due| *due < today)
                .map(|due| calendar.working_days_between(due, today))
                .filter(|late| *late > 0);
            if !closed {
                let waited = calendar.working_days_between(beijing_date(c.received_at), today);
                if let Some(entry) = by_age.get_mut(&CaseAge::of(waited)) {
                    entry.2 += 1;
                }
            }
            if let (Some(late), Some(due)) = (late, c.due_on) {
                overdue.push(OverdueLine {
                    id: c.id,
                    room: c.room_name.clone(),
                    state: c.state,
                    due_on: due,
                    working_days_late: late,
                });
            }
            // As the annual summary counts them: the ratings of closed cases.
            let rated = if closed {
                match c.rating {
                    Some(Rating::Satisfied) => {
                        satisfaction.satisfied += 1;
                        Some(true)
                    }
                    Some(Rating::BasicallySatisfied) => {
                        satisfaction.basically_satisfied += 1;
                        Some(true)
                    }
                    Some(Rating::Dissatisfied) => {
                        satisfaction.dissatisfied += 1;
                        Some(false)
                    }
                    None => {
                        satisfaction.unrated += 1;
                        None
                    }
                }
            } else {
                None
            };
            if let Some(unit) = unit {
                unit.opinions += 1;
                unit.open += u32::from(!closed);
                unit.overdue += u32::from(late.is_some());
                if let Some(pleased) = rated {
                    unit.rated += 1;
                    unit.satisfied += u32::from(pleased);
                }
            }
        }
        overdue.sort_by(|a, b| {
            b.working_days_late
                .cmp(&a.working_days_late)
                .then(a.id.cmp(&b.id))
        });

        let groups = self.concentrated_in(&scope, year).await?;
        let summaries = match scope {
            Scope::City | Scope::District { .. } => self
                .annual_summaries(&Acting::Operator, year)
                .await?
                .into_iter()
                .filter(|s| match scope {
                    Scope::District { district_id } => s.district.id == district_id,
                    _ => true,
                })
                .collect(),
            _ => Vec::new(),
        };

        Ok(Dashboard {
            year,
            scope_name,
            district: if own == Scope::City { chosen } else { district },
            unit_kind,
            units,
            minimum: rules.min_yearly_activities,
            participation: totals.levels,
            members_below_minimum: totals.below,
            sessions_held,
            notices_due,
            notices_on_time,
            activities_by_kind: tallies(by_kind),
            activities_by_month: by_month,
            opinions_total: count(cases.len()),
            opinions_by_route: tallies(by_route),
            opinions_by_state: tallies(by_state),
            open_by_age: tallies(by_age),
            overdue,
            satisfaction,
            concentrated_groups: count(groups.len()),
            summaries,
        })
    }
}
