//! `/api/v1/rooms/{id}/funding/{year}` and `/api/v1/funding`: rooms' funding (工作经费, R16) — the
//! budget line a room has in its town/street's annual budget and what was spent, by category and date.
//! Never public.

use axum::extract::State;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::funding::{FundingBase, FundingInput, FundingOverview, FundingView};
use domain::funding::SpendingInput;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_funding, put_funding))
        .routes(routes!(funding_overview))
}

/// Fen as yuan for JSON (exact to the fen: at most 1e10 fen, well inside f64's integers).
#[expect(
    clippy::cast_precision_loss,
    reason = "amounts are bounded far below 2^53 fen"
)]
fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SpendingJson {
    #[schema(example = "2026-03-01")]
    date: Option<NaiveDate>,
    /// Yuan, at most two decimals.
    #[schema(example = 1200.5)]
    amount: f64,
    /// `venue` (场地), `equipment` (设备), `publicity` (宣传), `activities` (活动), `office` (办公) or
    /// `other` (其他).
    #[schema(example = "equipment")]
    category: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct CategorySumJson {
    category: String,
    label: String,
    amount: f64,
}

#[derive(Serialize, ToSchema)]
pub struct FundingJson {
    room_id: i64,
    room_name: String,
    year: i32,
    /// Yuan budgeted; `null` while no line was entered for the year.
    budget: Option<f64>,
    spent: Vec<SpendingJson>,
    spent_total: f64,
    by_category: Vec<CategorySumJson>,
    /// Budget less spending (negative when overspent).
    balance: f64,
    updated_at: Option<DateTime<Utc>>,
    updated_by: Option<String>,
    /// Whether the caller enters it (the town/street lead, the district).
    may_keep: bool,
}

impl From<&FundingView> for FundingJson {
    fn from(v: &FundingView) -> Self {
        Self {
            room_id: v.room.id,
            room_name: v.room.name.clone(),
            year: v.year,
            budget: v.budget_fen.map(yuan),
            spent: v
                .spent
                .iter()
                .map(|s| SpendingJson {
                    date: Some(s.date),
                    amount: yuan(s.amount_fen),
                    category: s.category.as_str().to_owned(),
                    note: s.note.clone(),
                })
                .collect(),
            spent_total: yuan(v.totals.spent_fen),
            by_category: v
                .totals
                .by_category
                .iter()
                .map(|(c, fen)| CategorySumJson {
                    category: c.as_str().to_owned(),
                    label: c.label_zh().to_owned(),
                    amount: yuan(*fen),
                })
                .collect(),
            balance: yuan(v.totals.balance_fen),
            updated_at: v.updated.as_ref().map(|(at, _)| *at),
            updated_by: v.updated.as_ref().map(|(_, by)| by.clone()),
            may_keep: v.may_keep,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct FundingInputJson {
    /// Yuan budgeted for the year (not negative, at most two decimals).
    #[schema(example = 30000)]
    budget: f64,
    /// Every spending of the year: the list replaces what was stored.
    #[serde(default)]
    spent: Vec<SpendingJson>,
    /// The `updated_at` the caller read (`null` for a room with no line yet): when the line changed
    /// since, the save answers 409 instead of undoing that change. Left out: last write wins.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = DateTime)]
    based_on: BasedOn,
}

/// `based_on` as sent: left out, or given (`null` for "no line yet").
#[derive(Default)]
enum BasedOn {
    #[default]
    Missing,
    Given(Option<DateTime<Utc>>),
}

/// A field that is present (even as `null`) is given; a missing one stays missing by `default`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BasedOn, D::Error> {
    Option::<DateTime<Utc>>::deserialize(d).map(BasedOn::Given)
}

/// A room's funding of a year (the town/street lead over it, its district, the city general office).
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/funding/{year}", tag = "funding",
    params(("id" = i64, Path), ("year" = i32, Path)),
    responses((status = 200, body = FundingJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn get_funding(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, year)): ApiPath<(i64, i32)>,
) -> Result<ApiJson<FundingJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.room_funding(&caller.acting(), id, year).await?).into(),
    ))
}

/// Enters a room's budget line and its spending for a year (the town/street lead or the district);
/// the spending list replaces the stored one. Nothing is written when any line is wrong.
#[utoipa::path(
    put, path = "/api/v1/rooms/{id}/funding/{year}", tag = "funding",
    params(("id" = i64, Path), ("year" = i32, Path)), request_body = FundingInputJson,
    responses((status = 200, body = FundingJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn put_funding(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, year)): ApiPath<(i64, i32)>,
    ApiJson(body): ApiJson<FundingInputJson>,
) -> Result<ApiJson<FundingJson>, ApiError> {
    let input = FundingInput {
        budget_yuan: body.budget,
        spent: body
            .spent
            .into_iter()
            .map(|s| SpendingInput {
                date: s.date,
                amount_yuan: s.amount,
                category: s.category,
                note: s.note,
            })
            .collect(),
        base: match body.based_on {
            BasedOn::Missing => FundingBase::Any,
            BasedOn::Given(None) => FundingBase::Fresh,
            BasedOn::Given(Some(at)) => FundingBase::SavedAt(at),
        },
    };
    Ok(ApiJson(
        (&state
            .app
            .save_room_funding(&caller.acting(), id, year, &input)
            .await?)
            .into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FundingYear {
    /// The year, 2019 to next year (default: this year in Beijing).
    #[param(minimum = 2019, maximum = 2100)]
    year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct FundingRowJson {
    room_id: i64,
    room_name: String,
    district: String,
    street: String,
    budget: Option<f64>,
    spent: f64,
}

#[derive(Serialize, ToSchema)]
pub struct FundingOverviewJson {
    year: i32,
    rooms: Vec<FundingRowJson>,
    budget_total: f64,
    spent_total: f64,
    /// Open rooms without a budget line this year.
    without_budget: usize,
}

impl From<&FundingOverview> for FundingOverviewJson {
    fn from(o: &FundingOverview) -> Self {
        Self {
            year: o.year,
            rooms: o
                .rows
                .iter()
                .map(|r| FundingRowJson {
                    room_id: r.room.id,
                    room_name: r.room.name.clone(),
                    district: r.room.district_name.clone(),
                    street: r.room.street_name.clone(),
                    budget: r.budget_fen.map(yuan),
                    spent: yuan(r.spent_fen),
                })
                .collect(),
            budget_total: yuan(o.budget_fen),
            spent_total: yuan(o.spent_fen),
            without_budget: o.without_budget,
        }
    }
}

/// Every room's funding of a year in the caller's scope, with the rooms that have no budget line.
#[utoipa::path(
    get, path = "/api/v1/funding", tag = "funding", params(FundingYear),
    responses((status = 200, body = FundingOverviewJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn funding_overview(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<FundingYear>,
) -> Result<ApiJson<FundingOverviewJson>, ApiError> {
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    Ok(ApiJson(
        (&state.app.funding_overview(&caller.acting(), year).await?).into(),
    ))
}
