//! The reception calendar (R9, R17): a room's reception days (public), the official holiday arrangements,
//! the versions of the rules, districts' own days and blocked dates.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::calendar::{ArrangementSummary, DistrictCalendar, LoadOutcome, StoredBlockedDate, StoredRuleSet};
use domain::calendar::{ReceptionDay, RuleSet, SkipReason};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(room_reception_days))
        .routes(routes!(list_arrangements, import_arrangement))
        .routes(routes!(list_rule_sets, add_rule_set))
        .routes(routes!(district_calendar))
        .routes(routes!(add_district_day))
        .routes(routes!(add_blocked_date))
        .routes(routes!(remove_blocked_date))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year (default: this year in Beijing).
    #[param(minimum = 2019, maximum = 2100)]
    year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct SkippedJson {
    date: NaiveDate,
    /// `weekend`, `holiday` or `blocked`.
    kind: String,
    /// The festival of a holiday or the event of a blocked date.
    name: Option<String>,
}

/// One reception day with the way it was reached.
#[derive(Serialize, ToSchema)]
pub struct ReceptionDayJson {
    /// The reception day.
    pub(crate) date: NaiveDate,
    /// The day the rules name (e.g. the 15th) before any move to the next working day.
    nominal_date: NaiveDate,
    /// Why the day is where it is, in words.
    #[schema(example = "2024-09-15 至 2024-09-17 为中秋节假期，顺延至 2024-09-18（星期三）")]
    reason: String,
    /// The last day the notice may be posted (at least 3 days before).
    notice_by: NaiveDate,
    /// True when the year's official holiday arrangement is not loaded: weekends alone were used.
    provisional: bool,
    /// The days passed over, each with why.
    skipped: Vec<SkippedJson>,
}

impl From<&ReceptionDay> for ReceptionDayJson {
    fn from(day: &ReceptionDay) -> Self {
        Self {
            date: day.date,
            nominal_date: day.nominal_date,
            reason: day.reason_zh(),
            notice_by: day.notice_by,
            provisional: day.provisional,
            skipped: day
                .skipped
                .iter()
                .map(|s| {
                    let (kind, name) = match &s.reason {
                        SkipReason::Weekend => ("weekend", None),
                        SkipReason::Holiday { festival } => ("holiday", Some(festival.clone())),
                        SkipReason::Blocked { event } => ("blocked", Some(event.clone())),
                    };
                    SkippedJson {
                        date: s.date,
                        kind: kind.to_owned(),
                        name,
                    }
                })
                .collect(),
        }
    }
}

/// A room's reception days of a year (published, R8: no sign-in), in date order.
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/reception-days", tag = "calendar",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = Vec<ReceptionDayJson>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn room_reception_days(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<ApiJson<Vec<ReceptionDayJson>>, ApiError> {
    let year = params.year.unwrap_or_else(|| this_year(&state));
    let found = state.app.room_reception_days(id, year).await?;
    Ok(ApiJson(
        found.days.days.iter().map(ReceptionDayJson::from).collect(),
    ))
}

fn this_year(state: &AppState) -> i32 {
    chrono::Datelike::year(&state.app.clock().today())
}

#[derive(Serialize, ToSchema)]
pub struct ArrangementJson {
    year: i32,
    notice_title: String,
    notice_number: Option<String>,
    notice_date: Option<NaiveDate>,
    /// `shipped` with this release or `imported` by an operator.
    source: String,
    holidays: usize,
    workdays: usize,
}

impl From<&ArrangementSummary> for ArrangementJson {
    fn from(a: &ArrangementSummary) -> Self {
        Self {
            year: a.year,
            notice_title: a.notice_title.clone(),
            notice_number: a.notice_number.clone(),
            notice_date: a.notice_date,
            source: a.source.clone(),
            holidays: a.holidays,
            workdays: a.workdays,
        }
    }
}

/// The State Council holiday arrangements loaded, newest year first (public facts).
#[utoipa::path(
    get, path = "/api/v1/calendar/arrangements", tag = "calendar",
    responses((status = 200, body = Vec<ArrangementJson>))
)]
async fn list_arrangements(State(state): State<AppState>) -> Result<ApiJson<Vec<ArrangementJson>>, ApiError> {
    let list = state.app.arrangements().await?;
    Ok(ApiJson(list.iter().map(ArrangementJson::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct ImportedArrangementJson {
    year: i32,
    /// `added`, `replaced` or `unchanged`.
    outcome: String,
    holidays: usize,
    workdays: usize,
}

/// Loads a year's arrangement (city general office). The body is the file in the data/holidays/YYYY.toml
/// format; a malformed or self-contradicting file is refused with the line that is wrong.
#[utoipa::path(
    post, path = "/api/v1/calendar/arrangements", tag = "calendar",
    request_body(content = String, content_type = "application/toml"),
    responses(
        (status = 201, body = ImportedArrangementJson), (status = 200, body = ImportedArrangementJson),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn import_arrangement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<ImportedArrangementJson>), ApiError> {
    let acting = caller.acting();
    acting.require(domain::authz::Action::EditRules, &domain::authz::Place::default())?;
    let text =
        std::str::from_utf8(&body).map_err(|_| app::AppError::invalid("file", "文件不是 UTF-8 文本"))?;
    let (arrangement, outcome) = state.app.import_arrangement(&acting, text).await?;
    let (status, word) = match outcome {
        LoadOutcome::Added => (StatusCode::CREATED, "added"),
        LoadOutcome::Replaced => (StatusCode::OK, "replaced"),
        LoadOutcome::Unchanged => (StatusCode::OK, "unchanged"),
    };
    Ok((
        status,
        ApiJson(ImportedArrangementJson {
            year: arrangement.year,
            outcome: word.to_owned(),
            holidays: arrangement.festivals.iter().map(|f| f.holidays.len()).sum(),
            workdays: arrangement.festivals.iter().map(|f| f.workdays.len()).sum(),
        }),
    ))
}

/// One version of the rules (R17).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RuleSetJson {
    #[serde(default)]
    id: Option<i64>,
    #[schema(value_type = Object)]
    #[serde(flatten)]
    rules: RuleSet,
}

impl From<&StoredRuleSet> for RuleSetJson {
    fn from(stored: &StoredRuleSet) -> Self {
        Self {
            id: Some(stored.id),
            rules: stored.rules.clone(),
        }
    }
}

/// Every version of the rules, oldest first (public: they are the regulation's numbers).
#[utoipa::path(
    get, path = "/api/v1/rules", tag = "calendar",
    responses((status = 200, body = Vec<RuleSetJson>))
)]
async fn list_rule_sets(State(state): State<AppState>) -> Result<ApiJson<Vec<RuleSetJson>>, ApiError> {
    let list = state.app.rule_sets().await?;
    Ok(ApiJson(list.iter().map(RuleSetJson::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct CreatedJson {
    id: i64,
}

/// Adds a version of the rules from a future date (city general office). Rules not given keep the
/// regulation's values.
#[utoipa::path(
    post, path = "/api/v1/rules", tag = "calendar", request_body = RuleSetJson,
    responses(
        (status = 201, body = CreatedJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn add_rule_set(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, ApiJson<CreatedJson>), ApiError> {
    // Rules not given keep the values of the latest version, not the 2019 ones.
    let serde_json::Value::Object(given) = body else {
        return Err(app::AppError::invalid("rules", "请求体应为 JSON 对象").into());
    };
    let latest = state
        .app
        .rule_sets()
        .await?
        .pop()
        .map(|v| v.rules)
        .unwrap_or_default();
    let mut merged = serde_json::to_value(&latest).unwrap_or_default();
    if let Some(fields) = merged.as_object_mut() {
        for (key, value) in given {
            if key != "id" {
                fields.insert(key, value);
            }
        }
    }
    let rules: RuleSet = serde_json::from_value(merged)
        .map_err(|err| app::AppError::invalid("rules", format!("规则格式有误：{err}")))?;
    let id = state.app.add_rule_set(&caller.acting(), &rules).await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedJson { id })))
}

#[derive(Serialize, ToSchema)]
pub struct DistrictDayJson {
    id: i64,
    day_of_month: u32,
    effective_from: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct BlockedDateJson {
    id: i64,
    date: NaiveDate,
    event: String,
    /// False for a date the city blocked for every district.
    district_only: bool,
}

impl From<&StoredBlockedDate> for BlockedDateJson {
    fn from(b: &StoredBlockedDate) -> Self {
        Self {
            id: b.id,
            date: b.blocked.date,
            event: b.blocked.event.clone(),
            district_only: b.district_id.is_some(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DistrictCalendarJson {
    district: String,
    district_code: String,
    /// The district's own reception days of the month, oldest first; empty when it keeps the city's.
    reception_days_of_month: Vec<DistrictDayJson>,
    /// Dates of the year blocked for important events, the city's and the district's.
    blocked_dates: Vec<BlockedDateJson>,
}

impl From<&DistrictCalendar> for DistrictCalendarJson {
    fn from(c: &DistrictCalendar) -> Self {
        Self {
            district: c.district.name.clone(),
            district_code: c.district.code.clone(),
            reception_days_of_month: c
                .days
                .iter()
                .map(|d| DistrictDayJson {
                    id: d.id,
                    day_of_month: d.day.day_of_month,
                    effective_from: d.day.effective_from,
                })
                .collect(),
            blocked_dates: c.blocked.iter().map(BlockedDateJson::from).collect(),
        }
    }
}

/// A district's own reception day and the blocked dates of a year (the district's staff, the city).
#[utoipa::path(
    get, path = "/api/v1/districts/{code}/calendar", tag = "calendar", params(("code" = String, Path), YearParams),
    responses((status = 200, body = DistrictCalendarJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn district_calendar(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<ApiJson<DistrictCalendarJson>, ApiError> {
    let year = params.year.unwrap_or_else(|| this_year(&state));
    let calendar = state.app.district_calendar(&caller.acting(), &code, year).await?;
    Ok(ApiJson((&calendar).into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewDistrictDayJson {
    #[schema(example = 20)]
    day_of_month: u32,
    #[schema(example = "2027-01-01")]
    effective_from: NaiveDate,
}

/// Sets the district's own reception day of the month from a future date (R9: 各区可另行确定).
#[utoipa::path(
    post, path = "/api/v1/districts/{code}/reception-day", tag = "calendar", params(("code" = String, Path)),
    request_body = NewDistrictDayJson,
    responses(
        (status = 201, body = CreatedJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn add_district_day(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<NewDistrictDayJson>,
) -> Result<(StatusCode, ApiJson<CreatedJson>), ApiError> {
    let id = state
        .app
        .add_district_day(&caller.acting(), &code, body.day_of_month, body.effective_from)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedJson { id })))
}

#[derive(Deserialize, ToSchema)]
pub struct NewBlockedDateJson {
    /// A district's code or name; without it the whole city (city general office only).
    district: Option<String>,
    date: NaiveDate,
    #[schema(example = "全市重要会议")]
    event: String,
}

/// Blocks a future date for an important event (重要活动); reception days on it move to the next working day.
#[utoipa::path(
    post, path = "/api/v1/blocked-dates", tag = "calendar", request_body = NewBlockedDateJson,
    responses(
        (status = 201, body = BlockedDateJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn add_blocked_date(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewBlockedDateJson>,
) -> Result<(StatusCode, ApiJson<BlockedDateJson>), ApiError> {
    let blocked = state
        .app
        .add_blocked_date(&caller.acting(), body.district.as_deref(), body.date, &body.event)
        .await?;
    Ok((StatusCode::CREATED, ApiJson((&blocked).into())))
}

/// Removes a future blocked date.
#[utoipa::path(
    delete, path = "/api/v1/blocked-dates/{id}", tag = "calendar", params(("id" = i64, Path)),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)
    )
)]
async fn remove_blocked_date(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_blocked_date(&caller.acting(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
