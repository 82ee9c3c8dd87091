//! Reception sessions on pages (R9): the staff page of a room's year (plan, adjust with a reason, mark the
//! notice posted), the printable A4 notice with a QR code, and the room's public iCalendar feed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use app::sessions::{SessionAdjustment, SessionChange, SessionRecord, SessionView};
use app::{AppError, Room};
use domain::calendar::{Year, weekday_zh};

use super::rooms::public_base;
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::download::FileKind;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, NoFields, PagePath};
use crate::layout::PageContext;

/// A date as notices write it: 2027年1月15日（星期五）.
pub(crate) fn date_zh(date: NaiveDate) -> String {
    format!(
        "{}年{}月{}日（{}）",
        date.year(),
        date.month(),
        date.day(),
        weekday_zh(date)
    )
}

pub(super) struct SessionRow {
    view: SessionView,
    history: Vec<SessionChange>,
    members_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "rooms/sessions.html")]
pub(super) struct SessionsPage {
    page: PageContext,
    room: Room,
    year: i32,
    rows: Vec<SessionRow>,
    today: String,
    message: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub(super) struct YearQuery {
    year: Option<String>,
}

async fn render(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    room_id: i64,
    year: Option<i32>,
    message: String,
    error: String,
) -> Result<SessionsPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let today = state.app.clock().today();
    let year = year.unwrap_or_else(|| today.year());
    let acting = caller.acting();
    let (room, views) = state
        .app
        .room_sessions(&acting, room_id, year)
        .await
        .map_err(fail)?;
    let mut histories = state.app.session_histories(&views).await.map_err(fail)?;
    let mut rows = Vec::with_capacity(views.len());
    for view in views {
        let history = histories.remove(&view.session.id).unwrap_or_default();
        let members_text = view
            .session
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        rows.push(SessionRow {
            view,
            history,
            members_text,
        });
    }
    Ok(SessionsPage {
        page,
        room,
        year,
        rows,
        today: today.to_string(),
        message,
        error,
    })
}

fn parse_year(raw: Option<&str>) -> Result<Option<i32>, AppError> {
    match raw.map(str::trim).filter(|y| !y.is_empty()) {
        Some(raw) => Ok(Some(Year::number(raw)?)),
        None => Ok(None),
    }
}

pub(super) async fn sessions(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(room_id): PagePath<i64>,
    Query(query): Query<YearQuery>,
) -> Result<SessionsPage, PageError> {
    let year = parse_year(query.year.as_deref()).map_err(|err| PageError::new(page.clone(), err))?;
    render(&state, page, &caller, room_id, year, String::new(), String::new()).await
}

/// The page again after a form: the message, or the error with 422/409.
async fn after_form(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    room_id: i64,
    year: Option<i32>,
    result: Result<String, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(message) => Ok(render(state, page, caller, room_id, year, message, String::new())
            .await?
            .into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = render(state, page, caller, room_id, year, String::new(), err.to_string()).await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

#[derive(Deserialize)]
pub(super) struct GenerateForm {
    #[serde(default)]
    year: String,
}

pub(super) async fn generate(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(room_id): PagePath<i64>,
    CsrfForm(form): CsrfForm<GenerateForm>,
) -> Result<Response, PageError> {
    let year = parse_year(Some(&form.year)).map_err(|err| PageError::new(page.clone(), err))?;
    let result = async {
        let year = year.ok_or_else(|| AppError::invalid("year", "请填写年份"))?;
        let (created, total) = state
            .app
            .generate_sessions(&caller.acting(), room_id, year)
            .await?;
        Ok(if created == 0 {
            format!("{year} 年剩余的 {total} 个接待日都已排定，没有新增。")
        } else {
            format!("已按接待日历排定 {created} 个接待日（{year} 年剩余 {total} 个）。")
        })
    }
    .await;
    after_form(&state, page, &caller, room_id, year, result).await
}

#[derive(Deserialize)]
pub(super) struct AdjustForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

/// The room and year of a session the caller keeps, for re-rendering its page.
async fn session_room(
    state: &AppState,
    page: &PageContext,
    caller: &Caller,
    id: i64,
) -> Result<(i64, i32), PageError> {
    let (view, _) = state
        .app
        .session_detail(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok((view.session.room_id, view.session.nominal_date.year()))
}

pub(super) async fn adjust(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AdjustForm>,
) -> Result<Response, PageError> {
    let (room_id, year) = session_room(&state, &page, &caller, id).await?;
    let non_empty = |raw: &str| Some(raw.trim().to_owned()).filter(|v| !v.is_empty());
    let result = async {
        let date = match non_empty(&form.date) {
            Some(raw) => Some(
                NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("date", format!("「{raw}」不是有效日期")))?,
            ),
            None => None,
        };
        let adjustment = SessionAdjustment {
            date,
            starts_at: non_empty(&form.starts_at),
            ends_at: non_empty(&form.ends_at),
            place: non_empty(&form.place),
            member_ids: None,
            status: non_empty(&form.status),
        };
        let view = state
            .app
            .adjust_session(&caller.acting(), id, &adjustment, &form.reason)
            .await?;
        Ok(format!("已调整 {} 的接待安排。", view.session.date))
    }
    .await;
    after_form(&state, page, &caller, room_id, Some(year), result).await
}

#[derive(Deserialize)]
pub(super) struct PostedForm {
    #[serde(default, rename = "where")]
    place: String,
    #[serde(default)]
    posted_on: String,
}

pub(super) async fn notice_posted(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<PostedForm>,
) -> Result<Response, PageError> {
    let (room_id, year) = session_room(&state, &page, &caller, id).await?;
    let result = async {
        let posted_on = match form.posted_on.trim() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("posted_on", format!("「{raw}」不是有效日期")))?,
            ),
        };
        let view = state
            .app
            .mark_notice_posted(&caller.acting(), id, &form.place, posted_on)
            .await?;
        Ok(format!(
            "已记录 {} 接待日的公告张贴：{}。",
            view.session.date,
            view.notice.label_zh()
        ))
    }
    .await;
    after_form(&state, page, &caller, room_id, Some(year), result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "public/notice.html")]
pub(super) struct NoticePage {
    room: Room,
    session: SessionRecord,
    date_text: String,
    members_text: String,
    room_url: String,
    /// Generated by the qrcode crate from the room's URL: markup we made, not user input.
    qr_svg: String,
}

/// The printable notice (公告) of a session: time, place and members' names, with a QR code to the room.
pub(super) async fn notice(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<NoticePage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let (room, session) = state.app.public_notice(id).await.map_err(fail)?;
    let room_url = format!("{}/rooms/{}", public_base(&state), room.id);
    let qr_svg = documents::qr::svg_for_url(&room_url, 200, "扫码打开工作室页面")
        .map_err(|err| fail(AppError::Internal(format!("QR code: {err}"))))?;
    Ok(NoticePage {
        date_text: date_zh(session.date),
        members_text: session
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        room,
        session,
        room_url,
        qr_svg,
    })
}

/// The room's reception days as an iCalendar feed (public): planned sessions with their hours, and the
/// calendar's days not yet planned as all-day events, this year and next.
pub(super) async fn room_feed(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let today = state.app.clock().today();
    let base = public_base(&state);
    let mut events = Vec::new();
    let mut room_name = String::new();
    for year in [today.year(), today.year() + 1] {
        let days = state.app.room_reception_days(id, year).await.map_err(fail)?;
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let sessions = state
            .app
            .public_sessions(id, from, to, true)
            .await
            .map_err(fail)?;
        let room = &days.room;
        room_name.clone_from(&room.name);
        for day in &days.days.days {
            let session = sessions
                .iter()
                .find(|s| domain::calendar::same_slot(s.nominal_date, day.nominal_date));
            let members = session.map_or_else(String::new, |s| {
                s.members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            });
            events.push(documents::ical::FeedEvent {
                room_id: room.id,
                nominal_date: day.nominal_date,
                date: session.map_or(day.date, |s| s.date),
                hours: session.map(|s| (s.hours.starts, s.hours.ends)),
                summary: format!("政协委员接待日：{}", room.name),
                location: session.map_or_else(|| room.address.clone(), |s| s.place.clone()),
                description: if members.is_empty() {
                    format!("{}。具体时间以社区公告为准。", day.reason_zh())
                } else {
                    format!("接待委员：{members}")
                },
                url: format!("{base}/rooms/{}", room.id),
                cancelled: session.is_some_and(|s| s.status == domain::calendar::SessionStatus::Cancelled),
            });
        }
    }
    let body = documents::ical::feed(&format!("{room_name}接待日"), &feed_host(base), &events);
    Ok((
        [
            (header::CONTENT_TYPE, FileKind::Ics.content_type()),
            (header::CACHE_CONTROL, "public, max-age=600"),
        ],
        body,
    )
        .into_response())
}

/// A member's private feed of reception duties (from `/api/v1/me/calendar-feed` or the workbench).
pub(super) async fn member_feed(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let duties = state.app.member_feed(&token).await.map_err(fail)?;
    let base = public_base(&state);
    let events: Vec<documents::ical::FeedEvent> = duties
        .iter()
        .map(|(room, s)| documents::ical::FeedEvent {
            room_id: room.id,
            nominal_date: s.nominal_date,
            date: s.date,
            hours: Some((s.hours.starts, s.hours.ends)),
            summary: format!("接待日值班：{}", room.name),
            location: s.place.clone(),
            description: format!(
                "接待委员：{}",
                s.members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            url: format!("{base}/rooms/{}", room.id),
            cancelled: s.status == domain::calendar::SessionStatus::Cancelled,
        })
        .collect();
    let body = documents::ical::feed("我的接待日", &feed_host(base), &events);
    Ok((
        [
            (header::CONTENT_TYPE, FileKind::Ics.content_type()),
            (header::CACHE_CONTROL, "private, max-age=600"),
        ],
        body,
    )
        .into_response())
}

/// The installation's host name, for iCalendar UIDs.
fn feed_host(base: &str) -> String {
    base.split("://")
        .nth(1)
        .unwrap_or("workroom")
        .split(['/', ':'])
        .next()
        .unwrap_or("workroom")
        .to_owned()
}

/// Issues (or, at `/revoke`, revokes) the member's feed from the workbench and shows the workbench again.
pub(super) async fn member_feed_form(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    uri: axum::http::Uri,
    _: CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let acting = caller.acting();
    let link = if uri.path().ends_with("/revoke") {
        state
            .app
            .revoke_member_feed(&acting)
            .await
            .map_err(|err| PageError::new(page.clone(), err))?;
        None
    } else {
        let token = state
            .app
            .issue_member_feed(&acting)
            .await
            .map_err(|err| PageError::new(page.clone(), err))?;
        Some(format!(
            "{}/feeds/members/{token}/calendar.ics",
            public_base(&state)
        ))
    };
    super::account::me_page(&state, page, &caller, link).await
}
