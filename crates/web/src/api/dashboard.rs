//! The dashboard as JSON (工作概览, X4): the same figures the page draws, in the caller's scope.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::dashboard::{Dashboard, UnitFigures, UnitKind};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// The year, 2019 to next year (default: this year in Beijing).
    #[param(minimum = 2019, maximum = 2100)]
    year: Option<i32>,
    /// The city general office: one district's dashboard (its code or name).
    district: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TallyJson {
    code: String,
    label: String,
    count: u32,
}

impl From<&domain::annual::Tally> for TallyJson {
    fn from(t: &domain::annual::Tally) -> Self {
        Self {
            code: t.code.clone(),
            label: t.label.clone(),
            count: t.count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LevelJson {
    level: String,
    label: String,
    members: u32,
    at_or_above_minimum: u32,
    exempt: u32,
}

#[derive(Serialize, ToSchema)]
pub struct UnitJson {
    id: i64,
    name: String,
    /// A district's code; absent for a room.
    code: Option<String>,
    /// A room's town/street; absent for a district.
    street: Option<String>,
    members: u32,
    at_or_above_minimum: u32,
    sessions_held: u32,
    notices_due: u32,
    notices_on_time: u32,
    activities: u32,
    opinions: u32,
    open: u32,
    overdue: u32,
    satisfied: u32,
    rated: u32,
}

impl From<&UnitFigures> for UnitJson {
    fn from(u: &UnitFigures) -> Self {
        Self {
            id: u.id,
            name: u.name.clone(),
            code: (!u.code.is_empty()).then(|| u.code.clone()),
            street: (!u.street.is_empty()).then(|| u.street.clone()),
            members: u.members,
            at_or_above_minimum: u.at_or_above_minimum,
            sessions_held: u.sessions_held,
            notices_due: u.notices_due,
            notices_on_time: u.notices_on_time,
            activities: u.activities,
            opinions: u.opinions,
            open: u.open,
            overdue: u.overdue,
            satisfied: u.satisfied,
            rated: u.rated,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DashboardOverdueJson {
    id: i64,
    room: String,
    state: String,
    due_on: NaiveDate,
    working_days_late: u32,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardSatisfactionJson {
    satisfied: u32,
    basically_satisfied: u32,
    dissatisfied: u32,
    unrated: u32,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryStatusJson {
    district: String,
    district_code: String,
    status: String,
    late: bool,
    days_left: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardJson {
    year: i32,
    scope: String,
    /// `district` (the city's view) or `room`.
    unit_kind: String,
    units: Vec<UnitJson>,
    minimum: u32,
    participation: Vec<LevelJson>,
    members_below_minimum: Vec<String>,
    sessions_held: u32,
    notices_due: u32,
    notices_on_time: u32,
    activities_by_kind: Vec<TallyJson>,
    /// Confirmed activities per month, January first.
    activities_by_month: Vec<u32>,
    opinions_total: u32,
    opinions_by_route: Vec<TallyJson>,
    opinions_by_state: Vec<TallyJson>,
    open_by_age: Vec<TallyJson>,
    overdue: Vec<DashboardOverdueJson>,
    satisfaction: DashboardSatisfactionJson,
    concentrated_groups: u32,
    annual_summaries: Vec<SummaryStatusJson>,
}

impl From<&Dashboard> for DashboardJson {
    fn from(d: &Dashboard) -> Self {
        let tallies = |list: &[domain::annual::Tally]| list.iter().map(TallyJson::from).collect();
        Self {
            year: d.year,
            scope: d.scope_name.clone(),
            unit_kind: match d.unit_kind {
                UnitKind::District => "district",
                UnitKind::Room => "room",
            }
            .to_owned(),
            units: d.units.iter().map(Into::into).collect(),
            minimum: d.minimum,
            participation: d
                .participation
                .iter()
                .map(|p| LevelJson {
                    level: p.level.clone(),
                    label: p.label.clone(),
                    members: p.members,
                    at_or_above_minimum: p.at_or_above_minimum,
                    exempt: p.exempt,
                })
                .collect(),
            members_below_minimum: d.members_below_minimum.clone(),
            sessions_held: d.sessions_held,
            notices_due: d.notices_due,
            notices_on_time: d.notices_on_time,
            activities_by_kind: tallies(&d.activities_by_kind),
            activities_by_month: d.activities_by_month.to_vec(),
            opinions_total: d.opinions_total,
            opinions_by_route: tallies(&d.opinions_by_route),
            opinions_by_state: tallies(&d.opinions_by_state),
            open_by_age: tallies(&d.open_by_age),
            overdue: d
                .overdue
                .iter()
                .map(|o| DashboardOverdueJson {
                    id: o.id,
                    room: o.room.clone(),
                    state: o.state.as_str().to_owned(),
                    due_on: o.due_on,
                    working_days_late: o.working_days_late,
                })
                .collect(),
            satisfaction: DashboardSatisfactionJson {
                satisfied: d.satisfaction.satisfied,
                basically_satisfied: d.satisfaction.basically_satisfied,
                dissatisfied: d.satisfaction.dissatisfied,
                unrated: d.satisfaction.unrated,
            },
            concentrated_groups: d.concentrated_groups,
            annual_summaries: d
                .summaries
                .iter()
                .map(|s| SummaryStatusJson {
                    district: s.district.name.clone(),
                    district_code: s.district.code.clone(),
                    status: s.status.as_str().to_owned(),
                    late: s.late,
                    days_left: s.days_left,
                })
                .collect(),
        }
    }
}

/// The year of the caller's scope at a glance: the city by district, a district or a town/street by
/// room (the city general office, districts' staff, street leads; others 403).
#[utoipa::path(
    get, path = "/api/v1/dashboard", tag = "dashboard", params(DashboardParams),
    responses((status = 200, body = DashboardJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn dashboard(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<DashboardParams>,
) -> Result<ApiJson<DashboardJson>, ApiError> {
    let year = params
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&state.app.clock().today()));
    let dashboard = state
        .app
        .dashboard(&caller.acting(), year, params.district.as_deref())
        .await?;
    Ok(ApiJson((&dashboard).into()))
}
