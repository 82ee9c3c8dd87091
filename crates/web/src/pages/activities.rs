//! Community activities on pages (履职活动, R10; R5; R14): the year's activities in the caller's scope with
//! the form to record one (a member: to report own), confirming or returning members' reports, the
//! districts' own kinds, and the duty list of members with their count, points and the score sheet.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use app::activities::{ActivityFilter, ActivityInput, ActivityRecord, LocalKind, MemberDuty};
use app::{AppError, PublicMember, Room};
use domain::activity::{ActivityKind, ActivityStatus};
use domain::authz::Scope;
use domain::calendar::Year;

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath, check_upload_csrf};
use crate::layout::PageContext;

pub(super) fn parse_year(raw: Option<&str>, today: NaiveDate) -> Result<i32, AppError> {
    let year = match raw.map(str::trim).filter(|y| !y.is_empty()) {
        Some(raw) => Year::number(raw)?,
        None => today.year(),
    };
    Ok(Year::of_records(year, today)?.value())
}

/// A kind as the form offers it: the value sent and the label read.
pub(super) struct KindOption {
    value: String,
    label: String,
}

pub(super) struct ActivityRow {
    activity: ActivityRecord,
    members_text: String,
    /// The caller may confirm or return it.
    decides: bool,
    /// The caller may complete its summary and add photos.
    edits: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/activities.html")]
pub(super) struct ActivitiesPage {
    page: PageContext,
    year: i32,
    today: String,
    /// Rooms the caller may record for (a member: the rooms the member serves in).
    rooms: Vec<Room>,
    /// The room whose form is shown, with its serving members.
    room: Option<Room>,
    room_members: Vec<PublicMember>,
    kinds: Vec<KindOption>,
    /// A member reporting own activity: the form has no member choice.
    is_member: bool,
    client_key: String,
    rows: Vec<ActivityRow>,
    pending: usize,
    /// The district's own kinds, and whether the caller may add one.
    local_kinds: Vec<LocalKind>,
    defines_kinds: bool,
    message: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ActivitiesQuery {
    year: Option<String>,
    room: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    year: i32,
    room_id: Option<i64>,
    message: String,
    error: String,
) -> Result<ActivitiesPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let acting = caller.acting();
    let scope = acting.scope();
    let is_member = matches!(scope, Scope::Member { .. });
    let rooms: Vec<Room> = state
        .app
        .rooms_with_actions(&acting)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|r| r.room.open && (is_member || r.records_activities))
        .map(|r| r.room)
        .collect();
    let room = match room_id {
        Some(id) => Some(
            rooms
                .iter()
                .find(|r| r.id == id)
                .cloned()
                .ok_or_else(|| fail(app::access::forbidden()))?,
        ),
        None if rooms.len() == 1 => rooms.first().cloned(),
        None => None,
    };
    let room_members = match &room {
        Some(r) => state.app.serving_members(r.id).await.map_err(fail)?,
        None => Vec::new(),
    };
    let local_kinds = state.app.local_kinds(&acting).await.map_err(fail)?;
    let mut kinds: Vec<KindOption> = ActivityKind::ALL
        .into_iter()
        // Reception days come from the sessions page; offered last, for a day held outside the plan.
        .filter(|k| !matches!(k, ActivityKind::Local | ActivityKind::ReceptionDay))
        .chain([ActivityKind::ReceptionDay])
        .map(|k| KindOption {
            value: k.as_str().to_owned(),
            label: k.label_zh().to_owned(),
        })
        .collect();
    if let Some(r) = &room {
        kinds.extend(
            local_kinds
                .iter()
                .filter(|k| k.district_id == r.district_id)
                .map(|k| KindOption {
                    value: format!("local:{}", k.name),
                    label: format!("{}（本区特色）", k.name),
                }),
        );
    }
    let filter = ActivityFilter {
        from: NaiveDate::from_ymd_opt(year, 1, 1),
        to: NaiveDate::from_ymd_opt(year, 12, 31),
        room_id,
        status: None,
    };
    let activities = state.app.activities(&acting, &filter).await.map_err(fail)?;
    let mut rows: Vec<ActivityRow> = activities
        .into_iter()
        .map(|activity| {
            let decides = app::App::may_decide_activity(&acting, &activity);
            let members_text = activity
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join("、");
            ActivityRow {
                edits: state.app.may_edit_activity(&acting, &activity),
                activity,
                members_text,
                decides,
            }
        })
        .collect();
    // What awaits the caller comes first.
    rows.sort_by_key(|r| !r.decides);
    let pending = rows.iter().filter(|r| r.decides).count();
    let defines_kinds = app::App::may_define_activity_kinds(&acting);
    Ok(ActivitiesPage {
        page,
        year,
        today: state.app.clock().today().to_string(),
        rooms,
        room,
        room_members,
        kinds,
        is_member,
        client_key: app::activities::new_client_key(),
        rows,
        pending,
        local_kinds,
        defines_kinds,
        message,
        error,
    })
}

pub(super) async fn activities(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<ActivitiesQuery>,
) -> Result<ActivitiesPage, PageError> {
    let today = state.app.clock().today();
    let year = parse_year(query.year.as_deref(), today).map_err(|err| PageError::new(page.clone(), err))?;
    let room = match query.room.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| PageError::new(page.clone(), AppError::invalid("room", "工作室编号无效")))?,
        ),
        None => None,
    };
    render(&state, page, &caller, year, room, String::new(), String::new()).await
}

/// The page again after a form: the message, or the error with 422/409.
async fn after_form(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    room_id: Option<i64>,
    result: Result<String, AppError>,
) -> Result<Response, PageError> {
    let year = state.app.clock().today().year();
    match result {
        Ok(message) => Ok(render(state, page, caller, year, room_id, message, String::new())
            .await?
            .into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = render(state, page, caller, year, room_id, String::new(), err.to_string()).await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

/// The record form: fixed fields by name, each member's checkbox as `member_{id}`.
pub(super) async fn record(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| form.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let room_id = field("room_id").parse::<i64>().ok();
    let result = async {
        let room_id = room_id.ok_or_else(|| AppError::invalid("room_id", "请选择工作室"))?;
        let (kind, local_kind) = match field("kind").split_once(':') {
            Some(("local", name)) => ("local".to_owned(), Some(name.to_owned())),
            _ => (field("kind"), None),
        };
        let date = match field("date").as_str() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("date", format!("「{raw}」不是有效日期")))?,
            ),
        };
        let residents_reached = match field("residents_reached").as_str() {
            "" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map_err(|_| AppError::invalid("residents_reached", "服务群众人数应为整数"))?,
            ),
        };
        let member_ids: Vec<i64> = match caller.acting().scope() {
            Scope::Member { member_id, .. } => vec![member_id],
            _ => form
                .keys()
                .filter_map(|k| k.strip_prefix("member_"))
                .filter_map(|id| id.parse().ok())
                .collect(),
        };
        let input = ActivityInput {
            room_id,
            kind,
            local_kind,
            date,
            starts_at: Some(field("starts_at")),
            ends_at: Some(field("ends_at")),
            place: Some(field("place")),
            member_ids,
            summary: form.get("summary").cloned().unwrap_or_default(),
            residents_reached,
            client_key: Some(field("client_key")),
        };
        let (record, created) = state.app.record_activity(&caller.acting(), &input).await?;
        Ok(match (created, record.status) {
            (false, _) => format!(
                "这条活动已登记过（{} {}），没有重复登记。",
                record.held_on,
                record.kind_label()
            ),
            (true, ActivityStatus::Pending) => format!(
                "已提交 {} {}，待工作室确认后计入本年次数。",
                record.held_on,
                record.kind_label()
            ),
            (true, _) => format!(
                "已登记 {} {}（{} 位委员）。",
                record.held_on,
                record.kind_label(),
                record.members.len()
            ),
        })
    }
    .await;
    after_form(&state, page, &caller, room_id, result).await
}

#[derive(Deserialize)]
pub(super) struct DecideForm {
    #[serde(default)]
    reason: String,
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<DecideForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .decide_activity(&caller.acting(), id, None)
        .await
        .map(|a| format!("已确认 {} {}。", a.held_on, a.kind_label()));
    after_form(&state, page, &caller, None, result).await
}

pub(super) async fn return_report(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .decide_activity(&caller.acting(), id, Some(&form.reason))
        .await
        .map(|a| format!("已退回 {} {}。", a.held_on, a.kind_label()));
    after_form(&state, page, &caller, None, result).await
}

#[derive(Deserialize)]
pub(super) struct KindForm {
    #[serde(default)]
    name: String,
}

pub(super) async fn add_kind(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<KindForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .add_local_kind(&caller.acting(), None, &form.name)
        .await
        .map(|k| format!("已添加本区特色活动类型「{}」。", k.name));
    after_form(&state, page, &caller, None, result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/duty.html")]
pub(super) struct DutyPage {
    page: PageContext,
    year: i32,
    rows: Vec<MemberDuty>,
    total: usize,
    below: usize,
    levels: Vec<(String, String)>,
    sectors: Vec<String>,
    level: String,
    sector: String,
    only_below: bool,
    sort: String,
}

#[derive(Deserialize, Default)]
pub(super) struct DutyQuery {
    year: Option<String>,
    level: Option<String>,
    sector: Option<String>,
    below: Option<String>,
    sort: Option<String>,
}

/// Members in the caller's scope against the yearly minimum (R5), with points (R14): filter by level and
/// sector, show only those below, sort by count, points or name.
pub(super) async fn duty(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<DutyQuery>,
) -> Result<DutyPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let today = state.app.clock().today();
    let year = parse_year(query.year.as_deref(), today).map_err(fail)?;
    let all = state
        .app
        .members_duty(&caller.acting(), year)
        .await
        .map_err(fail)?;
    let mut sectors: Vec<String> = all.iter().filter_map(|d| d.member.sector.clone()).collect();
    sectors.sort();
    sectors.dedup();
    let level = query.level.unwrap_or_default().trim().to_owned();
    let sector = query.sector.unwrap_or_default().trim().to_owned();
    let only_below = matches!(query.below.as_deref(), Some("1" | "on" | "true"));
    let sort = match query.sort.as_deref() {
        Some(s @ ("count" | "points" | "name")) => s.to_owned(),
        _ => "count".to_owned(),
    };
    let total = all.len();
    let below = all.iter().filter(|d| d.duty.below_minimum()).count();
    let mut rows: Vec<MemberDuty> = all
        .into_iter()
        .filter(|d| level.is_empty() || d.member.level.as_str() == level)
        .filter(|d| sector.is_empty() || d.member.sector.as_deref() == Some(sector.as_str()))
        .filter(|d| !only_below || d.duty.below_minimum())
        .collect();
    match sort.as_str() {
        "points" => rows.sort_by(|a, b| b.points.cmp(&a.points).then(a.member.name.cmp(&b.member.name))),
        "name" => rows.sort_by(|a, b| a.member.name.cmp(&b.member.name)),
        // Those furthest below first: they need a call.
        _ => rows.sort_by(|a, b| {
            b.duty
                .below_minimum()
                .cmp(&a.duty.below_minimum())
                .then(a.duty.count.cmp(&b.duty.count))
                .then(a.member.name.cmp(&b.member.name))
        }),
    }
    let levels = [
        domain::member::MemberLevel::National,
        domain::member::MemberLevel::Provincial,
        domain::member::MemberLevel::City,
        domain::member::MemberLevel::District,
    ]
    .into_iter()
    .map(|l| (l.as_str().to_owned(), l.label_zh().to_owned()))
    .collect();
    Ok(DutyPage {
        page,
        year,
        rows,
        total,
        below,
        levels,
        sectors,
        level,
        sector,
        only_below,
        sort,
    })
}

#[derive(Deserialize, Default)]
pub(super) struct YearOnly {
    pub(super) year: Option<String>,
}

pub(super) async fn score_sheet(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<YearOnly>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let bytes = state
        .app
        .score_sheet(&caller.acting(), year)
        .await
        .map_err(fail)?;
    Ok(crate::download::xlsx(&format!("score-sheet-{year}.xlsx"), bytes))
}

#[derive(Deserialize)]
pub(super) struct DetailsForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    residents_reached: String,
}

/// Completes what was written about an activity: its summary and the residents reached.
pub(super) async fn details(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<DetailsForm>,
) -> Result<Response, PageError> {
    let result = async {
        let reached = match form.residents_reached.trim() {
            "" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map_err(|_| AppError::invalid("residents_reached", "服务群众人数应为整数"))?,
            ),
        };
        let activity = state
            .app
            .update_activity_details(&caller.acting(), id, Some(&form.summary), Some(reached))
            .await?;
        Ok(format!(
            "已保存 {} {} 的活动内容。",
            activity.held_on,
            activity.kind_label()
        ))
    }
    .await;
    after_form(&state, page, &caller, None, result).await
}

/// Receives a photo of an activity (multipart: `csrf`, `photo`) or, at `/photos/{photo}/remove`,
/// removes one.
pub(super) async fn photo_form(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(params): PagePath<Vec<(String, String)>>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    let Some(id) = param("id") else {
        return Err(PageError::new(page, AppError::NotFound("没有这次活动".into())));
    };
    let Ok(mut multipart) = multipart else {
        return after_form(
            &state,
            page,
            &caller,
            None,
            Err(AppError::invalid("photo", "请通过页面上的表单上传照片。")),
        )
        .await;
    };
    let (mut csrf, mut file) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("photo") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    check_upload_csrf(&page, &caller, &csrf)?;
    let result = match param("photo") {
        Some(photo_id) => state
            .app
            .remove_activity_photo(&caller.acting(), id, photo_id)
            .await
            .map(|()| "已删除照片。".to_owned()),
        None => state
            .app
            .add_activity_photo(&caller.acting(), id, file.map(|f| f.to_vec()).unwrap_or_default())
            .await
            .map(|_| "已添加照片（已去除拍摄位置等信息）。".to_owned()),
    };
    after_form(&state, page, &caller, None, result).await
}

/// A photo of an activity, for those who may see the activity.
pub(super) async fn photo(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    headers: axum::http::HeaderMap,
    PagePath((id, file)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let photo_id = file
        .strip_suffix(".jpg")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::NotFound("没有这张照片".into())))?;
    let photo = state
        .app
        .activity_photo(&caller.acting(), id, photo_id)
        .await
        .map_err(fail)?;
    // Private to those in scope: browsers may keep it, shared caches may not.
    Ok(super::assets::jpeg_response(
        &headers,
        &photo.etag,
        photo.jpeg,
        "private, max-age=86400",
    ))
}
