//! Public work-room pages (R8): the list, each room's page, and its printable A4 poster with a QR
//! code to the room's page. No sign-in, no JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Datelike;

use app::{AppError, PublicMember, Room};

use crate::AppState;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "public/rooms.html")]
pub(super) struct RoomsPage {
    page: PageContext,
    /// Rooms grouped by district, in the store's order.
    districts: Vec<(String, Vec<Room>)>,
}

pub(super) async fn rooms(State(state): State<AppState>, page: PageContext) -> Result<RoomsPage, PageError> {
    let rooms = state
        .app
        .public_rooms()
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    let mut districts: Vec<(String, Vec<Room>)> = Vec::new();
    for room in rooms {
        match districts.last_mut() {
            Some((name, list)) if *name == room.district_name => list.push(room),
            _ => districts.push((room.district_name.clone(), vec![room])),
        }
    }
    Ok(RoomsPage { page, districts })
}

#[derive(Template, WebTemplate)]
#[template(path = "public/room.html")]
pub(super) struct RoomPage {
    page: PageContext,
    room: Room,
    members: Vec<PublicMember>,
    year: i32,
    schedule: Vec<ScheduleRow>,
    provisional: bool,
    /// The next reception day from today, which may be in the next year.
    next: Option<ScheduleRow>,
    /// Members' photo URLs by member id.
    photos: std::collections::HashMap<i64, String>,
    /// A mobile room's places, in order.
    places: Vec<String>,
    /// The room's rules in force today (工作室制度).
    rules: Vec<app::room_rules::PublicRule>,
    /// Planned sessions of the coming months: (date in words, session, members' names).
    sessions: Vec<(String, app::sessions::SessionRecord, String)>,
    /// The online opinion form (网上工作室), empty.
    room_id: i64,
    form: super::opinions::OpinionFormValues,
}

/// One reception day as the public pages show it.
pub(crate) struct ScheduleRow {
    pub year: i32,
    /// e.g. 9月18日
    pub date: String,
    pub iso_date: String,
    pub weekday: &'static str,
    /// Set when the day moved from its nominal date: the reason in words.
    pub moved: Option<String>,
    pub past: bool,
    /// Computed without the year's official holiday arrangement.
    pub provisional: bool,
    /// When the day is planned: hours, place and members on duty, in words.
    pub session_text: Option<String>,
}

pub(crate) fn schedule_rows(
    year: &domain::calendar::ReceptionYear,
    today: chrono::NaiveDate,
) -> Vec<ScheduleRow> {
    year.days.iter().map(|day| schedule_row(day, today)).collect()
}

pub(crate) fn schedule_row(day: &domain::calendar::ReceptionDay, today: chrono::NaiveDate) -> ScheduleRow {
    ScheduleRow {
        year: day.date.year(),
        date: format!("{}月{}日", day.date.month(), day.date.day()),
        iso_date: day.date.to_string(),
        weekday: domain::calendar::weekday_zh(day.date),
        moved: (!day.skipped.is_empty()).then(|| day.reason_zh()),
        past: day.date < today,
        provisional: day.provisional,
        session_text: None,
    }
}

/// A coming reception day as pages show it: the planned session's date, hours, place and members when
/// staff have planned it, else the calendar's day.
pub(crate) fn upcoming_row(item: &app::calendar::UpcomingReception, today: chrono::NaiveDate) -> ScheduleRow {
    let mut row = schedule_row(&item.day, today);
    if let Some(session) = &item.session {
        let date = session.date;
        row.year = date.year();
        row.date = format!("{}月{}日", date.month(), date.day());
        row.iso_date = date.to_string();
        row.weekday = domain::calendar::weekday_zh(date);
        row.past = date < today;
        row.provisional = item.day.provisional;
        let names: Vec<&str> = session.members.iter().map(|m| m.name.as_str()).collect();
        let mut text = format!(
            "{}–{} · {}",
            session.hours.starts_text(),
            session.hours.ends_text(),
            session.place
        );
        if !names.is_empty() {
            text.push_str(" · 接待委员：");
            text.push_str(&names.join("、"));
        }
        row.session_text = Some(text);
        if date != item.day.date {
            row.moved = Some(format!("工作室已将本次接待安排在 {date}"));
        }
    }
    row
}

#[derive(Template, WebTemplate)]
#[template(path = "public/reception_days.html")]
pub(super) struct ComingDaysPage {
    page: PageContext,
    weeks: u32,
    /// By district name, in date order within each.
    districts: Vec<(String, Vec<(Room, ScheduleRow)>)>,
}

/// Coming reception days across the city, by district (residents: no sign-in, no JavaScript).
pub(super) async fn coming_reception_days(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<ComingDaysPage, PageError> {
    const WEEKS: u32 = 8;
    let today = state.app.clock().today();
    let coming = state
        .app
        .coming_reception_days(WEEKS * 7)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    // Districts in the order of their official codes (the division tree is loaded in that order).
    let mut districts: Vec<(i64, String)> = coming
        .iter()
        .map(|c| (c.room.district_id, c.room.district_name.clone()))
        .collect();
    districts.sort();
    districts.dedup();
    let districts = districts
        .into_iter()
        .map(|(id, name)| {
            let rows = coming
                .iter()
                .filter(|c| c.room.district_id == id)
                .map(|c| (c.room.clone(), upcoming_row(c, today)))
                .collect();
            (name, rows)
        })
        .collect();
    Ok(ComingDaysPage {
        page,
        weeks: WEEKS,
        districts,
    })
}

pub(super) async fn room(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<RoomPage, PageError> {
    let public = state
        .app
        .public_room(id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    let today = state.app.clock().today();
    let next = state
        .app
        .upcoming_reception_days(std::slice::from_ref(&public.room), today, 400)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?
        .first()
        .map(|u| upcoming_row(u, today));
    let sessions = state
        .app
        .public_sessions(public.room.id, today, today + chrono::Days::new(120), false)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?
        .into_iter()
        .map(|s| {
            let names = s
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join("、");
            (super::sessions::date_zh(s.date), s, names)
        })
        .collect();
    let photos = public
        .photos
        .iter()
        .map(|(id, etag)| (*id, crate::api::public_photo_url(*id, etag)))
        .collect();
    Ok(RoomPage {
        next,
        sessions,
        page,
        schedule: schedule_rows(&public.schedule, today),
        provisional: public.schedule.provisional,
        room: public.room,
        members: public.members,
        places: public.places,
        rules: public.rules,
        photos,
        year: today.year(),
        room_id: id,
        form: super::opinions::OpinionFormValues::default(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "public/poster.html")]
pub(super) struct PosterPage {
    room: Room,
    members: Vec<PublicMember>,
    year: i32,
    schedule: Vec<ScheduleRow>,
    provisional: bool,
    room_url: String,
    /// Generated by the qrcode crate from the room's URL: markup we made, not user input.
    qr_svg: String,
}

pub(super) async fn poster(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<PosterPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let public = state.app.public_room(id).await.map_err(fail)?;
    let room_url = format!("{}/rooms/{}", public_base(&state), public.room.id);
    let qr_svg = documents::qr::svg_for_url(&room_url, 240, "扫码打开工作室页面")
        .map_err(|err| fail(AppError::Internal(format!("QR code: {err}"))))?;
    let today = state.app.clock().today();
    Ok(PosterPage {
        schedule: schedule_rows(&public.schedule, today),
        provisional: public.schedule.provisional,
        room: public.room,
        members: public.members,
        year: today.year(),
        room_url,
        qr_svg,
    })
}

/// The address residents use to reach this server, for QR codes and feed links: the configured public
/// URL, or else the address the server listens on (start-up warns). Never the request's `Host`, which
/// any client can set (`Host: evil.example` would otherwise be printed on a poster).
pub(crate) fn public_base(state: &AppState) -> &str {
    state.public_url.trim_end_matches('/')
}
