//! A room's ledgers (台账, R14) for a year: the work ledger, the activity ledger, the visitor register and
//! the members' register, each derived from the records (sessions, activities, cases, members) and never
//! typed (X11), as rows and as the .xlsx an office keeps. Departments never read them; members read those
//! of the rooms they serve, without residents' contacts; a register read with contacts in full is logged.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, TimeZone};
use domain::activity::{ActivityStatus, YearlyDuty, activity_points, rules_for_year};
use domain::authz::Scope;
use domain::calendar::{SessionStatus, Year, notice_status};
use domain::ledger::{
    ActivityRow, ContactView, LedgerKind, LedgerRows, MemberRow, ServingMember, VisitorRow, WorkEntry,
    WorkRow, channel_label, ledger_access, ledger_title, present_contact, sort_work,
};
use store::activities::{ActivityFilter, ActivityRecord};

use crate::access::{Acting, not_visible, room_place};
use crate::{App, AppError, Room};

/// One ledger of a room and year, as the caller may read it.
#[derive(Debug, Clone)]
pub struct RoomLedger {
    pub room: Room,
    pub year: i32,
    pub rows: LedgerRows,
    /// How much of residents' contacts the visitor register shows this caller.
    pub contacts: ContactView,
}

impl RoomLedger {
    pub fn kind(&self) -> LedgerKind {
        self.rows.kind()
    }

    /// The title row: room, year and ledger.
    pub fn title(&self) -> String {
        ledger_title(&self.room.name, self.year, self.kind())
    }

    /// The download's file name (ASCII, so every browser keeps it).
    pub fn file_name(&self) -> String {
        format!(
            "ledger-{}-{}-{}.xlsx",
            self.room.id,
            self.year,
            self.kind().as_str()
        )
    }
}

/// The four ledgers of a room and year with their row counts, for the ledgers page.
#[derive(Debug, Clone)]
pub struct LedgerOverview {
    pub room: Room,
    pub year: i32,
    pub ledgers: Vec<(LedgerKind, usize)>,
    pub contacts: ContactView,
}

/// The room itself as a scope: what its ledgers read once the caller may read them.
fn room_scope(room: &Room) -> Scope {
    Scope::Room {
        district_id: room.district_id,
        street_id: room.street_id,
        room_id: room.id,
    }
}

fn beijing_date(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::beijing()).date_naive()
}

fn names(members: &[store::sessions::DutyMember]) -> Vec<String> {
    members.iter().map(|m| m.name.clone()).collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl App {
    /// How much of residents' contacts the caller sees in the room's ledgers; `None` when the caller
    /// may not read them (a member reads those of the rooms the member serves).
    pub(crate) async fn ledger_view(
        &self,
        acting: &Acting,
        room: &Room,
    ) -> Result<Option<ContactView>, AppError> {
        Ok(match acting {
            Acting::Operator => Some(ContactView::Full),
            Acting::Account(actor) => {
                let serves = match actor.scope {
                    Scope::Member { member_id, .. } => self
                        .store()
                        .room_members(room.id)
                        .await?
                        .iter()
                        .any(|m| m.id == member_id),
                    _ => false,
                };
                ledger_access(actor, &room_place(room), serves)
            }
        })
    }

    /// The room, if the caller may read its ledgers for `year`, and how much of contacts they see.
    async fn ledger_room(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<(Room, ContactView), AppError> {
        Year::of_records(year, self.clock().today())?;
        let scope = acting.scope();
        let room = self
            .store()
            .room(room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        let view = self.ledger_view(acting, &room).await?;
        let view = view.ok_or_else(crate::access::forbidden)?;
        Ok((room, view))
    }

    /// One ledger of a room for a year. A visitor register read with contacts in full is logged (X7).
    pub async fn room_ledger(
        &self,
        acting: &Acting,
        room_id: i64,
        kind: LedgerKind,
        year: i32,
    ) -> Result<RoomLedger, AppError> {
        match kind {
            LedgerKind::Work => self.work_ledger(acting, room_id, year).await,
            LedgerKind::Activities => self.activity_ledger(acting, room_id, year).await,
            LedgerKind::Visitors => self.visitor_register(acting, room_id, year).await,
            LedgerKind::Members => self.members_register(acting, room_id, year).await,
        }
    }

    /// One ledger as the .xlsx an office keeps, with the ledger it was written from.
    pub async fn room_ledger_xlsx(
        &self,
        acting: &Acting,
        room_id: i64,
        kind: LedgerKind,
        year: i32,
    ) -> Result<(RoomLedger, Vec<u8>), AppError> {
        let ledger = self.room_ledger(acting, room_id, kind, year).await?;
        let bytes = documents::xlsx::write_ledger(
            kind.label_zh(),
            &ledger.title(),
            ledger.rows.headers(),
            &ledger.rows.cells(),
        )
        .map_err(|err| AppError::Internal(format!("ledger xlsx: {err}")))?;
        Ok((ledger, bytes))
    }

    /// The four ledgers of a room and year with how many rows each holds.
    pub async fn room_ledgers(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<LedgerOverview, AppError> {
        let (room, contacts) = self.ledger_room(acting, room_id, year).await?;
        let ledgers = vec![
            (LedgerKind::Work, self.work_rows(&room, year).await?.len()),
            (
                LedgerKind::Activities,
                self.activity_rows(&room, year).await?.len(),
            ),
            (
                LedgerKind::Visitors,
                self.visitor_rows(&room, year, ContactView::Withheld).await?.len(),
            ),
            (LedgerKind::Members, self.member_rows(&room, year).await?.len()),
        ];
        Ok(LedgerOverview {
            room,
            year,
            ledgers,
            contacts,
        })
    }

    /// 工作台账: every reception session of the year and every other confirmed activity, in date order.
    pub async fn work_ledger(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<RoomLedger, AppError> {
        let (room, contacts) = self.ledger_room(acting, room_id, year).await?;
        let rows = LedgerRows::Work(self.work_rows(&room, year).await?);
        Ok(RoomLedger {
            room,
            year,
            rows,
            contacts,
        })
    }

    /// 活动台账: every confirmed activity of the year, in date order.
    pub async fn activity_ledger(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<RoomLedger, AppError> {
        let (room, contacts) = self.ledger_room(acting, room_id, year).await?;
        let rows = LedgerRows::Activities(self.activity_rows(&room, year).await?);
        Ok(RoomLedger {
            room,
            year,
            rows,
            contacts,
        })
    }

    /// 群众来访登记: every case the room received in the year, one line each, contacts as the caller
    /// may see them.
    pub async fn visitor_register(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<RoomLedger, AppError> {
        let (room, contacts) = self.ledger_room(acting, room_id, year).await?;
        let rows = self.visitor_rows(&room, year, contacts).await?;
        if contacts == ContactView::Full && !rows.is_empty() {
            self.store()
                .log_register_view(
                    &acting.who(),
                    room.id,
                    room.district_id,
                    year,
                    rows.len(),
                    self.clock().now(),
                )
                .await?;
        }
        Ok(RoomLedger {
            room,
            year,
            rows: LedgerRows::Visitors(rows),
            contacts,
        })
    }

    /// 委员进社区履职登记: each member serving the room in the year, with the count against the minimum
    /// and the points.
    pub async fn members_register(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<RoomLedger, AppError> {
        let (room, contacts) = self.ledger_room(acting, room_id, year).await?;
        let rows = LedgerRows::Members(self.member_rows(&room, year).await?);
        Ok(RoomLedger {
            room,
            year,
            rows,
            contacts,
        })
    }

    /// The room's confirmed activities of the year, oldest first.
    async fn confirmed_activities(&self, room: &Room, year: i32) -> Result<Vec<ActivityRecord>, AppError> {
        let (from, to) = Year::new(year)?.bounds();
        let mut list = self
            .store()
            .activities_in_scope(
                &room_scope(room),
                &ActivityFilter {
                    from: Some(from),
                    to: Some(to),
                    room_id: Some(room.id),
                    status: Some(ActivityStatus::Confirmed),
                },
            )
            .await?;
        list.reverse();
        Ok(list)
    }

    async fn work_rows(&self, room: &Room, year: i32) -> Result<Vec<WorkRow>, AppError> {
        let (from, to) = Year::new(year)?.bounds();
        let today = self.clock().today();
        let sessions = self.store().sessions_in_rooms(&[room.id], from, to).await?;
        let activities = self.confirmed_activities(room, year).await?;
        let by_session: HashMap<i64, &ActivityRecord> = activities
            .iter()
            .filter_map(|a| a.session_id.map(|s| (s, a)))
            .collect();
        let mut rows: Vec<WorkRow> = sessions
            .iter()
            .map(|s| {
                let held = by_session.get(&s.id);
                let notice = (s.status != SessionStatus::Cancelled).then(|| {
                    notice_status(s.notice_due, s.notice_posted_on, today)
                        .label_zh()
                        .to_owned()
                });
                WorkRow {
                    entry: WorkEntry::ReceptionSession,
                    id: s.id,
                    date: s.date,
                    kind_label: domain::activity::ActivityKind::ReceptionDay.label_zh().to_owned(),
                    nominal_on: Some(s.nominal_date),
                    planned_on: Some(s.date),
                    held_on: (s.status == SessionStatus::Held).then_some(s.date),
                    status_label: s.status.label_zh().to_owned(),
                    starts_at: Some(s.hours.starts_text()),
                    ends_at: Some(s.hours.ends_text()),
                    place: s.place.clone(),
                    members: names(&s.members),
                    notice_due: Some(s.notice_due),
                    notice_posted_on: s.notice_posted_on,
                    notice_posted_where: s.notice_posted_where.clone(),
                    notice_label: notice,
                    residents_reached: held.and_then(|a| a.residents_reached),
                    opinions_taken: held.map_or(0, |a| a.opinions_collected),
                }
            })
            .collect();
        rows.extend(
            activities
                .iter()
                .filter(|a| a.session_id.is_none())
                .map(|a| WorkRow {
                    entry: WorkEntry::Activity,
                    id: a.id,
                    date: a.held_on,
                    kind_label: a.kind_label(),
                    nominal_on: None,
                    planned_on: None,
                    held_on: Some(a.held_on),
                    status_label: a.status.label_zh().to_owned(),
                    starts_at: a.hours.map(|h| h.starts_text()),
                    ends_at: a.hours.map(|h| h.ends_text()),
                    place: a.place.clone(),
                    members: names(&a.members),
                    notice_due: None,
                    notice_posted_on: None,
                    notice_posted_where: None,
                    notice_label: None,
                    residents_reached: a.residents_reached,
                    opinions_taken: a.opinions_collected,
                }),
        );
        sort_work(&mut rows);
        Ok(rows)
    }

    async fn activity_rows(&self, room: &Room, year: i32) -> Result<Vec<ActivityRow>, AppError> {
        Ok(self
            .confirmed_activities(room, year)
            .await?
            .into_iter()
            .map(|a| ActivityRow {
                activity_id: a.id,
                date: a.held_on,
                kind: a.kind.as_str().to_owned(),
                kind_label: a.kind_label(),
                starts_at: a.hours.map(|h| h.starts_text()),
                ends_at: a.hours.map(|h| h.ends_text()),
                members: names(&a.members),
                residents_reached: a.residents_reached,
                photo_count: count(a.photo_ids.len()),
                opinions_collected: a.opinions_collected,
                place: a.place,
                summary: a.summary,
            })
            .collect())
    }

    async fn visitor_rows(
        &self,
        room: &Room,
        year: i32,
        view: ContactView,
    ) -> Result<Vec<VisitorRow>, AppError> {
        let beijing = crate::clock::beijing();
        let start = |y: i32| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|t| beijing.from_local_datetime(&t).single())
                .map(|t| t.to_utc())
                .ok_or_else(|| AppError::invalid("year", "年份无效"))
        };
        let cases = self
            .store()
            .cases_received_in_room(room.id, start(year)?, start(year + 1)?)
            .await?;
        cases
            .into_iter()
            .map(|case| {
                let channel = channel_label(&case.channel).ok_or_else(|| {
                    AppError::Internal(format!(
                        "case {} has an unknown channel {:?}",
                        case.id, case.channel
                    ))
                })?;
                let (contact_name, contact_phone) = present_contact(
                    view,
                    case.contact_name.expose(),
                    case.contact_phone.as_ref().map(|p| p.expose().as_str()),
                    case.anonymous_to_departments,
                );
                Ok(VisitorRow {
                    case_id: case.id,
                    received_on: beijing_date(case.received_at),
                    channel_label: channel.to_owned(),
                    contact_name,
                    contact_phone,
                    community: if view == ContactView::Full {
                        case.community.clone()
                    } else {
                        None
                    },
                    member: case.member.as_ref().map(|(_, name)| name.clone()),
                    route: case.route.map(|r| r.as_str().to_owned()),
                    route_label: case.route.map(|r| r.label_zh().to_owned()),
                    state: case.state.as_str().to_owned(),
                    state_label: case.state.public_label().to_owned(),
                    closed_on: case.closed_at.map(beijing_date),
                    rating: case.rating.map(|r| r.as_str().to_owned()),
                    rating_label: case.rating.map(|r| r.label_zh().to_owned()),
                    channel: case.channel,
                    matter: case.content,
                })
            })
            .collect()
    }

    async fn member_rows(&self, room: &Room, year: i32) -> Result<Vec<MemberRow>, AppError> {
        let (from, to) = Year::new(year)?.bounds();
        // Serving in the room during the year: a member who ceased before it began is not on it.
        let members: Vec<_> = self
            .store()
            .members_in_scope(&room_scope(room))
            .await?
            .into_iter()
            .filter(|m| m.ceased_on.is_none_or(|d| d >= from))
            .collect();
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let participations = self.store().participations(Some(&ids), from, to).await?;
        let here: HashSet<i64> = self
            .confirmed_activities(room, year)
            .await?
            .iter()
            .map(|a| a.id)
            .collect();
        let book = self.store().rule_book().await?;
        let minimum = rules_for_year(&book, year).min_yearly_activities;
        let mut by_member: HashMap<i64, Vec<(i64, NaiveDate)>> = HashMap::new();
        for p in participations {
            by_member
                .entry(p.member_id)
                .or_default()
                .push((p.activity_id, p.held_on));
        }
        let mut rows: Vec<(u8, MemberRow)> = members
            .into_iter()
            .map(|m| {
                let held = by_member.remove(&m.id).unwrap_or_default();
                let points = held
                    .iter()
                    .map(|(_, day)| activity_points(&book, m.level, *day))
                    .sum();
                let in_room = held.iter().filter(|(id, _)| here.contains(id)).count();
                let duty = YearlyDuty {
                    count: count(held.len()),
                    minimum,
                    exempt: m.exempt(),
                };
                let who = ServingMember {
                    member_id: m.id,
                    level_label: m.level.label_zh().to_owned(),
                    name: m.name,
                    sector: m.sector,
                    term: m.term,
                };
                (m.level as u8, MemberRow::new(who, count(in_room), duty, points))
            })
            .collect();
        // As R8 publishes them: national, provincial, city, district members, then by name.
        rows.sort_by(|(a_level, a), (b_level, b)| (a_level, &a.name).cmp(&(b_level, &b.name)));
        Ok(rows.into_iter().map(|(_, row)| row).collect())
    }
}
