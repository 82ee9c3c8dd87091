//! A room's ledgers (台账, R14): the work ledger, the activity ledger, the visitor register and the
//! members' register of a year, as JSON rows or as the .xlsx an office keeps.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::ledgers::RoomLedger;
use domain::ledger::{ActivityRow, ContactView, LedgerKind, LedgerRows, MemberRow, VisitorRow, WorkRow};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(room_ledger))
}

/// A ledger kind from the path: one of the four, else 404 naming them.
pub(crate) fn parse_kind(raw: &str) -> Result<LedgerKind, app::AppError> {
    LedgerKind::parse(raw).ok_or_else(|| app::AppError::NotFound(LedgerKind::unknown_message(raw)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// The year, 2019 to next year (default: this year in Beijing).
    year: Option<i32>,
    /// `json` (default) or `xlsx`.
    format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkRowJson {
    /// `reception_session` or `activity`.
    entry: String,
    /// The session's or the activity's id.
    id: i64,
    /// The day the line is ordered by.
    date: NaiveDate,
    kind_label: String,
    /// A session's day by the rule (规定接待日).
    nominal_on: Option<NaiveDate>,
    /// A session's day as planned (安排接待日).
    planned_on: Option<NaiveDate>,
    /// The day it took place (a held session, or the activity).
    held_on: Option<NaiveDate>,
    status_label: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    place: String,
    /// Members on duty or taking part, by name.
    members: Vec<String>,
    notice_due: Option<NaiveDate>,
    notice_posted_on: Option<NaiveDate>,
    notice_posted_where: Option<String>,
    notice_label: Option<String>,
    /// Residents received (a held session) or reached (an activity).
    residents_reached: Option<u32>,
    /// Citizens' opinions registered as collected there.
    opinions_taken: u32,
}

impl From<&WorkRow> for WorkRowJson {
    fn from(r: &WorkRow) -> Self {
        Self {
            entry: match r.entry {
                domain::ledger::WorkEntry::ReceptionSession => "reception_session",
                domain::ledger::WorkEntry::Activity => "activity",
            }
            .to_owned(),
            id: r.id,
            date: r.date,
            kind_label: r.kind_label.clone(),
            nominal_on: r.nominal_on,
            planned_on: r.planned_on,
            held_on: r.held_on,
            status_label: r.status_label.clone(),
            starts_at: r.starts_at.clone(),
            ends_at: r.ends_at.clone(),
            place: r.place.clone(),
            members: r.members.clone(),
            notice_due: r.notice_due,
            notice_posted_on: r.notice_posted_on,
            notice_posted_where: r.notice_posted_where.clone(),
            notice_label: r.notice_label.clone(),
            residents_reached: r.residents_reached,
            opinions_taken: r.opinions_taken,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActivityRowJson {
    activity_id: i64,
    date: NaiveDate,
    /// A code of shared/CONTRACT.md, e.g. `reception_day`.
    kind: String,
    kind_label: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    place: String,
    members: Vec<String>,
    residents_reached: Option<u32>,
    summary: String,
    photo_count: u32,
    opinions_collected: u32,
}

impl From<&ActivityRow> for ActivityRowJson {
    fn from(r: &ActivityRow) -> Self {
        Self {
            activity_id: r.activity_id,
            date: r.date,
            kind: r.kind.clone(),
            kind_label: r.kind_label.clone(),
            starts_at: r.starts_at.clone(),
            ends_at: r.ends_at.clone(),
            place: r.place.clone(),
            members: r.members.clone(),
            residents_reached: r.residents_reached,
            summary: r.summary.clone(),
            photo_count: r.photo_count,
            opinions_collected: r.opinions_collected,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VisitorRowJson {
    case_id: i64,
    received_on: NaiveDate,
    /// `visit` or `online`.
    channel: String,
    channel_label: String,
    /// In full for the room's side; masked for inspectors; withheld from members.
    contact_name: String,
    contact_phone: Option<String>,
    community: Option<String>,
    /// What the resident raised.
    matter: String,
    /// The member responsible.
    member: Option<String>,
    /// `screened_out`, `on_the_spot`, `street`, `district`, `petition`, `proposal` or `social_report`.
    route: Option<String>,
    route_label: Option<String>,
    state: String,
    state_label: String,
    closed_on: Option<NaiveDate>,
    /// `satisfied`, `basically_satisfied` or `dissatisfied`.
    rating: Option<String>,
    rating_label: Option<String>,
}

impl From<&VisitorRow> for VisitorRowJson {
    fn from(r: &VisitorRow) -> Self {
        Self {
            case_id: r.case_id,
            received_on: r.received_on,
            channel: r.channel.clone(),
            channel_label: r.channel_label.clone(),
            contact_name: r.contact_name.clone(),
            contact_phone: r.contact_phone.clone(),
            community: r.community.clone(),
            matter: r.matter.clone(),
            member: r.member.clone(),
            route: r.route.clone(),
            route_label: r.route_label.clone(),
            state: r.state.clone(),
            state_label: r.state_label.clone(),
            closed_on: r.closed_on,
            rating: r.rating.clone(),
            rating_label: r.rating_label.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberRowJson {
    member_id: i64,
    name: String,
    level_label: String,
    sector: Option<String>,
    term: Option<String>,
    /// Confirmed activities of the year in this room.
    activities_in_room: u32,
    /// Confirmed activities of the year in all rooms (what counts against the minimum).
    activity_count: u32,
    minimum: u32,
    exempt: bool,
    below_minimum: bool,
    remaining: u32,
    points: u32,
}

impl From<&MemberRow> for MemberRowJson {
    fn from(r: &MemberRow) -> Self {
        Self {
            member_id: r.member_id,
            name: r.name.clone(),
            level_label: r.level_label.clone(),
            sector: r.sector.clone(),
            term: r.term.clone(),
            activities_in_room: r.activities_in_room,
            activity_count: r.activity_count,
            minimum: r.minimum,
            exempt: r.exempt,
            below_minimum: r.below_minimum,
            remaining: r.remaining,
            points: r.points,
        }
    }
}

/// The rows of one ledger kind.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum LedgerRowsJson {
    Work(Vec<WorkRowJson>),
    Activities(Vec<ActivityRowJson>),
    Visitors(Vec<VisitorRowJson>),
    Members(Vec<MemberRowJson>),
}

#[derive(Serialize, ToSchema)]
pub struct LedgerJson {
    room_id: i64,
    room_name: String,
    district: String,
    street: String,
    year: i32,
    /// `work`, `activities`, `visitors` or `members`.
    kind: String,
    kind_label: String,
    /// The title row of the spreadsheet.
    title: String,
    /// How residents' contacts appear on the visitor register: `full`, `masked` or `withheld`.
    contacts: String,
    /// The column headings of the spreadsheet, in order.
    columns: Vec<String>,
    rows: LedgerRowsJson,
}

fn contacts_code(view: ContactView) -> &'static str {
    match view {
        ContactView::Full => "full",
        ContactView::Masked => "masked",
        ContactView::Withheld => "withheld",
    }
}

impl From<&RoomLedger> for LedgerJson {
    fn from(l: &RoomLedger) -> Self {
        Self {
            room_id: l.room.id,
            room_name: l.room.name.clone(),
            district: l.room.district_name.clone(),
            street: l.room.street_name.clone(),
            year: l.year,
            kind: l.kind().as_str().to_owned(),
            kind_label: l.kind().label_zh().to_owned(),
            title: l.title(),
            contacts: contacts_code(l.contacts).to_owned(),
            columns: l.rows.headers().iter().map(|h| (*h).to_owned()).collect(),
            rows: match &l.rows {
                LedgerRows::Work(rows) => LedgerRowsJson::Work(rows.iter().map(Into::into).collect()),
                LedgerRows::Activities(rows) => {
                    LedgerRowsJson::Activities(rows.iter().map(Into::into).collect())
                }
                LedgerRows::Visitors(rows) => LedgerRowsJson::Visitors(rows.iter().map(Into::into).collect()),
                LedgerRows::Members(rows) => LedgerRowsJson::Members(rows.iter().map(Into::into).collect()),
            },
        }
    }
}

/// A room's ledger (台账, R14) of a year: `work` (工作台账: reception sessions and other activities in
/// date order), `activities` (活动台账), `visitors` (群众来访登记, one line a case) or `members`
/// (委员进社区履职登记). Every figure is derived from the records. With `format=xlsx` the same rows as an
/// .xlsx: a title row, a frozen header, dates as dates, numbers as numbers. Staff, street leads, districts
/// and the city by scope, and the working departments that inspect rooms (contacts masked); members of
/// the rooms they serve (no residents' contacts); departments 403.
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/ledgers/{kind}", tag = "ledgers",
    params(("id" = i64, Path), ("kind" = String, Path, description = "work / activities / visitors / members"), LedgerParams),
    responses(
        (status = 200, body = LedgerJson),
        (status = 200, description = "With format=xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such room (city office) or no such ledger kind", body = ErrorBody),
        (status = 422, description = "A year before 2019 or after next year, or an unknown format", body = ErrorBody)
    )
)]
async fn room_ledger(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
    ApiQuery(params): ApiQuery<LedgerParams>,
) -> Result<Response, ApiError> {
    use chrono::Datelike;
    let kind = parse_kind(&kind)?;
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    match params.format.as_deref().map(str::trim) {
        None | Some("" | "json") => {
            let ledger = state.app.room_ledger(&caller.acting(), id, kind, year).await?;
            Ok(ApiJson(LedgerJson::from(&ledger)).into_response())
        }
        Some("xlsx") => {
            let (ledger, bytes) = state
                .app
                .room_ledger_xlsx(&caller.acting(), id, kind, year)
                .await?;
            Ok(crate::download::xlsx(&ledger.file_name(), bytes))
        }
        Some(_) => Err(app::AppError::invalid("format", "format 应为 json 或 xlsx").into()),
    }
}
