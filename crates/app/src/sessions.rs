//! Reception sessions (接待日安排) and notices (公告, R9): generated from the reception calendar for a room
//! and year, adjusted by staff with a reason kept in the session's history, and each notice marked posted
//! with when and where. A notice that went up after its due day stays late in the record.

use chrono::{Datelike, Days, NaiveDate};
use domain::authz::Action;
use domain::calendar::{NoticeStatus, SessionHours, SessionStatus, Year, notice_status};
use store::sessions::{NewSession, SessionValues};
pub use store::sessions::{SessionChange, SessionRecord};
use store::units::Room;

use crate::access::{Acting, not_visible, room_place};
use crate::{App, AppError};

/// A session with its room and where its notice stands today.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub session: SessionRecord,
    pub room: Room,
    pub notice: NoticeStatus,
    /// In a room's list, for a planned session whose day is now a day off or blocked: the day the reception
    /// calendar gives the month slot now, with its reason.
    pub calendar_differs: Option<(NaiveDate, String)>,
}

/// What staff may change; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct SessionAdjustment {
    pub date: Option<NaiveDate>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub member_ids: Option<Vec<i64>>,
    /// `planned`, `held` or `cancelled`.
    pub status: Option<String>,
}

impl App {
    /// The room, if the actor keeps its sessions; 403 (or 404 for the city) otherwise.
    async fn room_for_sessions(&self, acting: &Acting, room_id: i64) -> Result<Room, AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        acting.require(Action::ManageSessions, &room_place(&room))?;
        Ok(room)
    }

    fn view(&self, session: SessionRecord, room: Room) -> SessionView {
        let notice = notice_status(session.notice_due, session.notice_posted_on, self.clock().today());
        SessionView {
            session,
            room,
            notice,
            calendar_differs: None,
        }
    }

    /// Creates a session for each coming reception day of the room in `year` that has none yet: the
    /// room's address, 09:00–11:30, every member serving in the room on duty. Returns (created, total).
    pub async fn generate_sessions(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<(usize, usize), AppError> {
        let room = self.room_for_sessions(acting, room_id).await?;
        if !room.open {
            return Err(AppError::Conflict("该工作室已停止接待，不能排定接待日".into()));
        }
        let today = self.clock().today();
        let days = self.room_reception_days(room_id, year).await?.days;
        let members: Vec<i64> = self
            .store()
            .room_members(room_id)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        // A mobile room goes round its places: the year's n-th reception day at the n-th place.
        let places = self.store().room_places(room_id).await?;
        let place_of = |index: usize| {
            if places.is_empty() {
                room.address.clone()
            } else {
                places[index % places.len()].clone()
            }
        };
        let coming: Vec<NewSession> = days
            .days
            .iter()
            .enumerate()
            .filter(|(_, d)| d.date >= today)
            .map(|(index, d)| NewSession {
                room_id,
                district_id: room.district_id,
                date: d.date,
                nominal_date: d.nominal_date,
                hours: SessionHours::default_morning(),
                place: place_of(index),
                notice_due: d.notice_by,
                member_ids: members.clone(),
                status: SessionStatus::Planned,
                notice_posted: None,
            })
            .collect();
        let created = self
            .store()
            .create_sessions(&acting.who(), &coming, self.clock().now())
            .await?;
        Ok((created, coming.len()))
    }

    /// A room's sessions of a year, for those who keep them.
    pub async fn room_sessions(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<(Room, Vec<SessionView>), AppError> {
        let room = self.room_for_sessions(acting, room_id).await?;
        let (from, to) = Year::new(year)?.bounds();
        let sessions = self.store().sessions_in_rooms(&[room_id], from, to).await?;
        // A planned session whose day is now closed (a holiday arrangement or a blocked date that came
        // after planning) is flagged with the day the calendar gives instead. A session staff moved to
        // another open day on purpose is not.
        let calendar = if room.open {
            self.room_reception_days(room_id, year).await?.days.days
        } else {
            Vec::new()
        };
        let working = self.store().work_calendar(year..=year).await?;
        let blocked: Vec<NaiveDate> = self
            .store()
            .blocked_dates(Some(room.district_id), false, year)
            .await?
            .into_iter()
            .map(|b| b.blocked.date)
            .collect();
        let closed = |date: NaiveDate| !working.is_working_day(date) || blocked.contains(&date);
        let views = sessions
            .into_iter()
            .map(|s| {
                let differs = calendar
                    .iter()
                    .find(|d| domain::calendar::same_slot(d.nominal_date, s.nominal_date))
                    .filter(|d| d.date != s.date && s.status == SessionStatus::Planned && closed(s.date))
                    .map(|d| (d.date, d.reason_zh()));
                let mut view = self.view(s, room.clone());
                view.calendar_differs = differs;
                view
            })
            .collect();
        Ok((room, views))
    }

    /// The histories of sessions the caller already holds (from `room_sessions`), in one query.
    pub async fn session_histories(
        &self,
        sessions: &[SessionView],
    ) -> Result<std::collections::HashMap<i64, Vec<SessionChange>>, AppError> {
        let ids: Vec<i64> = sessions.iter().map(|v| v.session.id).collect();
        Ok(self.store().sessions_changes(&ids).await?)
    }

    /// The published sessions of a room between two dates; cancelled ones only when asked (a calendar
    /// feed publishes the cancellation so phones drop the event).
    pub async fn public_sessions(
        &self,
        room_id: i64,
        from: NaiveDate,
        to: NaiveDate,
        include_cancelled: bool,
    ) -> Result<Vec<SessionRecord>, AppError> {
        Ok(self
            .store()
            .sessions_in_rooms(&[room_id], from, to)
            .await?
            .into_iter()
            .filter(|s| include_cancelled || s.status != SessionStatus::Cancelled)
            .collect())
    }

    /// One session with its history, for those who keep it.
    pub async fn session_detail(
        &self,
        acting: &Acting,
        id: i64,
    ) -> Result<(SessionView, Vec<SessionChange>), AppError> {
        let scope = acting.scope();
        let session = self
            .store()
            .reception_session(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "接待日安排"))?;
        let room = self.room_for_sessions(acting, session.room_id).await?;
        let changes = self.store().session_changes(id).await?;
        Ok((self.view(session, room), changes))
    }

    /// The notice of a session as residents see it: an open room's session that is not cancelled.
    pub async fn public_notice(&self, id: i64) -> Result<(Room, SessionRecord), AppError> {
        let missing = || AppError::NotFound("没有这个接待日公告".into());
        let session = self
            .store()
            .reception_session(id)
            .await?
            .filter(|s| s.status != SessionStatus::Cancelled)
            .ok_or_else(missing)?;
        let room = self
            .store()
            .room(session.room_id)
            .await?
            .filter(|r| r.open)
            .ok_or_else(missing)?;
        Ok((room, session))
    }

    /// Adjusts a session; the reason is required and kept in its history.
    pub async fn adjust_session(
        &self,
        acting: &Acting,
        id: i64,
        adjustment: &SessionAdjustment,
        reason: &str,
    ) -> Result<SessionView, AppError> {
        let (view, _) = self.session_detail(acting, id).await?;
        let before = view.session.clone();
        let reason = domain::text::single_line(reason, 200)
            .map_err(|err| AppError::invalid("reason", format!("调整原因{err}")))?;
        let today = self.clock().today();
        let date = adjustment.date.unwrap_or(before.date);
        let hours = match (&adjustment.starts_at, &adjustment.ends_at) {
            (None, None) => before.hours,
            (starts, ends) => SessionHours::parse(
                starts.as_deref().unwrap_or(&before.hours.starts_text()),
                ends.as_deref().unwrap_or(&before.hours.ends_text()),
            )
            .map_err(|message| AppError::invalid("starts_at", message))?,
        };
        let place = match &adjustment.place {
            Some(raw) => domain::text::single_line(raw, 200)
                .map_err(|err| AppError::invalid("place", format!("地点{err}")))?,
            None => before.place.clone(),
        };
        let status = match adjustment.status.as_deref() {
            Some(raw) => SessionStatus::parse(raw.trim()).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    "状态应为 planned（待接待）、held（已接待）或 cancelled（已取消）",
                )
            })?,
            None => before.status,
        };
        let mut member_ids: Vec<i64> = adjustment
            .member_ids
            .clone()
            .unwrap_or_else(|| before.members.iter().map(|m| m.id).collect());
        member_ids.sort_unstable();
        member_ids.dedup();
        if adjustment.member_ids.is_some() {
            let serving: Vec<i64> = self
                .store()
                .room_members(before.room_id)
                .await?
                .into_iter()
                .map(|m| m.id)
                .collect();
            if let Some(stranger) = member_ids.iter().find(|id| !serving.contains(id)) {
                return Err(AppError::invalid(
                    "member_ids",
                    format!("编号为 {stranger} 的委员不在本工作室履职"),
                ));
            }
        }
        if date != before.date {
            if before.date < today {
                return Err(AppError::Conflict("已过去的接待日不能改期".into()));
            }
            if date < today {
                return Err(AppError::invalid("date", "不能改到已过去的日期"));
            }
            if date.year() != before.nominal_date.year() {
                return Err(AppError::invalid("date", "接待日不能改到另一年"));
            }
            // Reception days are working days (R9): never move one onto a day off or a blocked date.
            let working = self.store().work_calendar(date.year()..=date.year()).await?;
            let blocked = self
                .store()
                .blocked_dates(Some(view.room.district_id), false, date.year())
                .await?;
            if !working.is_working_day(date) {
                return Err(AppError::invalid(
                    "date",
                    format!("{date} 不是工作日，接待日应安排在工作日"),
                ));
            }
            if let Some(b) = blocked.iter().find(|b| b.blocked.date == date) {
                return Err(AppError::invalid(
                    "date",
                    format!("{date} 已登记为重要活动日（{}）", b.blocked.event),
                ));
            }
        }
        if status == SessionStatus::Held && date > today {
            return Err(AppError::invalid("status", "接待日还没到，不能标为已接待"));
        }
        // The notice's due day moves only with the date; a notice put up for the old date no longer
        // serves, and what it was (e.g. overdue) stays in the history.
        let notice_due = if date == before.date {
            before.notice_due
        } else {
            let lead = self
                .store()
                .rule_book()
                .await?
                .in_effect(date)
                .map_or(3, |r| r.notice_lead_days);
            date - Days::new(u64::from(lead))
        };
        let mut changed = Vec::new();
        if date != before.date {
            changed.push(format!(
                "日期 {} → {date}（原公告：{}，须按新日期重新张贴）",
                before.date,
                view.notice.label_zh()
            ));
        }
        if hours != before.hours {
            changed.push(format!(
                "时间 {}–{} → {}–{}",
                before.hours.starts_text(),
                before.hours.ends_text(),
                hours.starts_text(),
                hours.ends_text()
            ));
        }
        if place != before.place {
            changed.push(format!("地点 {} → {place}", before.place));
        }
        if status != before.status {
            changed.push(format!(
                "状态 {} → {}",
                before.status.label_zh(),
                status.label_zh()
            ));
        }
        let before_ids: Vec<i64> = {
            let mut ids: Vec<i64> = before.members.iter().map(|m| m.id).collect();
            ids.sort_unstable();
            ids
        };
        if member_ids != before_ids {
            changed.push(format!(
                "接待委员 {} 人 → {} 人",
                before_ids.len(),
                member_ids.len()
            ));
        }
        if changed.is_empty() {
            return Err(AppError::invalid("reason", "没有修改任何内容"));
        }
        let values = SessionValues {
            date,
            hours,
            place,
            status,
            notice_due,
            member_ids,
        };
        self.store()
            .update_session(
                &acting.who(),
                &before,
                &values,
                &changed.join("；"),
                &reason,
                self.clock().now(),
            )
            .await?;
        Ok(self.session_detail(acting, id).await?.0)
    }

    /// Marks a session's notice posted (default today) at a place, e.g. the community bulletin board.
    pub async fn mark_notice_posted(
        &self,
        acting: &Acting,
        id: i64,
        place: &str,
        posted_on: Option<NaiveDate>,
    ) -> Result<SessionView, AppError> {
        let (view, _) = self.session_detail(acting, id).await?;
        let place = domain::text::single_line(place, 200)
            .map_err(|err| AppError::invalid("where", format!("张贴地点{err}")))?;
        let today = self.clock().today();
        let posted_on = posted_on.unwrap_or(today);
        if posted_on > today {
            return Err(AppError::invalid("posted_on", "张贴日期不能晚于今天"));
        }
        if view.session.status == SessionStatus::Cancelled {
            return Err(AppError::Conflict("该接待日已取消，无需张贴公告".into()));
        }
        // Recorded once: a late notice cannot be made on time by recording it again with an earlier day.
        if let Some(on) = view.session.notice_posted_on {
            return Err(AppError::Conflict(format!("本次接待的公告已记录于 {on} 张贴")));
        }
        if posted_on < view.session.notice_due - Days::new(60) {
            return Err(AppError::invalid("posted_on", "张贴日期过早，请核对"));
        }
        self.store()
            .mark_notice_posted(
                &acting.who(),
                &view.session,
                posted_on,
                &place,
                self.clock().now(),
            )
            .await?;
        Ok(self.session_detail(acting, id).await?.0)
    }

    /// Sessions in the actor's rooms whose notice is or was late, from 60 days back to 60 ahead: the staff
    /// dashboard's and the street lead's list. Empty for those who keep no sessions.
    pub async fn late_notices(&self, acting: &Acting) -> Result<Vec<SessionView>, AppError> {
        let rooms: Vec<Room> = self
            .store()
            .rooms_in_scope(&acting.scope())
            .await?
            .into_iter()
            .filter(|r| acting.may(Action::ManageSessions, &room_place(r)))
            .collect();
        if rooms.is_empty() {
            return Ok(Vec::new());
        }
        let today = self.clock().today();
        let ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let sessions = self
            .store()
            .sessions_in_rooms(&ids, today - Days::new(60), today + Days::new(60))
            .await?;
        Ok(sessions
            .into_iter()
            .filter(|s| s.status != SessionStatus::Cancelled)
            .filter_map(|s| {
                let room = rooms.iter().find(|r| r.id == s.room_id)?.clone();
                Some(self.view(s, room))
            })
            .filter(|v| v.notice.is_late())
            .collect())
    }
}

impl App {
    /// The signed-in member's id; refused for any other account.
    fn own_member(acting: &Acting) -> Result<i64, AppError> {
        match acting.scope() {
            domain::authz::Scope::Member { member_id, .. } => Ok(member_id),
            _ => Err(AppError::Forbidden("只有委员本人可以管理自己的接待日历".into())),
        }
    }

    /// Issues the member a new private calendar-feed token (the old one stops working) and returns it;
    /// only its SHA-256 is kept.
    pub async fn issue_member_feed(&self, acting: &Acting) -> Result<String, AppError> {
        let member_id = Self::own_member(acting)?;
        let token = crate::auth::random_secret();
        self.store()
            .replace_member_feed_token(
                &acting.who(),
                member_id,
                Some(&crate::auth::token_hash(&token)),
                self.clock().now(),
            )
            .await?;
        Ok(token)
    }

    /// Revokes the member's feed: the link stops working.
    pub async fn revoke_member_feed(&self, acting: &Acting) -> Result<(), AppError> {
        let member_id = Self::own_member(acting)?;
        Ok(self
            .store()
            .replace_member_feed_token(&acting.who(), member_id, None, self.clock().now())
            .await?)
    }

    pub async fn member_has_feed(&self, acting: &Acting) -> Result<bool, AppError> {
        let member_id = Self::own_member(acting)?;
        Ok(self.store().member_has_feed(member_id).await?)
    }

    /// The sessions a feed token's member is on duty at, a year back to a year ahead, with their rooms;
    /// 404 for an unknown or revoked token.
    pub async fn member_feed(&self, token: &str) -> Result<Vec<(Room, SessionRecord)>, AppError> {
        let missing = || AppError::NotFound("没有这个日历，或链接已失效".into());
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(missing());
        }
        let member_id = self
            .store()
            .member_by_feed_token(&crate::auth::token_hash(token))
            .await?
            .ok_or_else(missing)?;
        let today = self.clock().today();
        let sessions = self
            .store()
            .sessions_of_member(member_id, today - Days::new(366), today + Days::new(366))
            .await?;
        let mut out = Vec::with_capacity(sessions.len());
        for session in sessions {
            if let Some(room) = self.store().room(session.room_id).await? {
                out.push((room, session));
            }
        }
        Ok(out)
    }
}
