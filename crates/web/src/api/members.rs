//! `/api/v1/members/import`: the member roster import, for other systems.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

/// Only the roster upload and the photo take bodies above the 1 MiB every other route keeps.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(get_member, update_member))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_members))
                .layer(DefaultBodyLimit::max(app::roster::MAX_ROSTER_BYTES + 64 * 1024)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_member_photo, remove_member_photo))
                .layer(DefaultBodyLimit::max(
                    documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check every row and report what would change without storing anything.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RowProblemJson {
    /// Spreadsheet row (the header is row 1).
    row: usize,
    /// The column's header, or empty for the row as a whole.
    column: String,
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportReportJson {
    rows: usize,
    dry_run: bool,
    /// Empty when the import succeeded; otherwise nothing was stored.
    problems: Vec<RowProblemJson>,
    ignored_columns: Vec<String>,
    created: usize,
    updated: usize,
    unchanged: usize,
    assigned: usize,
}

/// Imports a roster: the request body is the .xlsx file itself. 200 with the counts, or 422 with
/// every bad row and column (and nothing stored).
#[utoipa::path(
    post, path = "/api/v1/members/import", tag = "members", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses(
        (status = 200, body = ImportReportJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Bad rows (report) or not an .xlsx file (error)", body = ImportReportJson),
    )
)]
async fn import_members(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<ImportReportJson>), ApiError> {
    let report = state
        .app
        .import_members(&caller.acting(), &body, params.dry_run, &|_, _| {})
        .await?;
    let status = if report.succeeded() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let counts = report.counts.unwrap_or_default();
    Ok((
        status,
        ApiJson(ImportReportJson {
            rows: report.rows,
            dry_run: report.dry_run,
            problems: report
                .problems
                .into_iter()
                .map(|p| RowProblemJson {
                    row: p.row,
                    column: p.column,
                    reason: p.reason,
                })
                .collect(),
            ignored_columns: report.ignored_columns,
            created: counts.created,
            updated: counts.updated,
            unchanged: counts.unchanged,
            assigned: counts.assigned,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    id: i64,
    name: String,
    /// `national`, `provincial`, `city` or `district`.
    level: String,
    district: Option<String>,
    sector: Option<String>,
    employer: Option<String>,
    position: Option<String>,
    /// 届别, e.g. 第十四届.
    term: Option<String>,
    /// Masked in lists (138****8000); in full only in one record for those who keep the roster.
    mobile: Option<String>,
    resides_hk_macao: bool,
    /// Exempt from the yearly minimum of community activities (R5: 港澳界, or residing in HK/Macao).
    exempt: bool,
    /// `serving` or `ceased`.
    status: String,
    ceased_on: Option<chrono::NaiveDate>,
    /// The rooms the member serves in, by name.
    rooms: Vec<String>,
}

impl MemberJson {
    fn from_record(m: &app::members::MemberRecord, full_mobile: bool) -> Self {
        Self {
            id: m.id,
            name: m.name.clone(),
            level: m.level.as_str().to_owned(),
            district: m.district_name.clone(),
            sector: m.sector.clone(),
            employer: m.employer.clone(),
            position: m.position.clone(),
            term: m.term.clone(),
            mobile: m.mobile.as_ref().map(|n| {
                if full_mobile {
                    n.as_str().to_owned()
                } else {
                    n.masked()
                }
            }),
            resides_hk_macao: m.resides_hk_macao,
            exempt: m.exempt(),
            status: if m.ceased_on.is_some() {
                "ceased"
            } else {
                "serving"
            }
            .to_owned(),
            ceased_on: m.ceased_on,
            rooms: m.rooms.iter().map(|(_, name)| name.clone()).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberListParams {
    /// The year the activity fields count (default: this year in Beijing).
    year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDutyJson {
    #[serde(flatten)]
    member: MemberJson,
    year: i32,
    /// Confirmed community activities the member took part in that year (R5).
    activity_count: u32,
    /// The rule set's yearly minimum (2).
    minimum: u32,
    /// Short of the minimum and not exempt.
    below_minimum: bool,
    /// Evaluation points of the year (R14: city members +10 per activity); see
    /// `/api/v1/members/{id}/activities` for the activity behind each.
    points: u32,
}

/// Members in the caller's scope (the city all; a district its own; a town/street or room those serving
/// in its rooms; a member self), mobile numbers masked, with the year's count against the minimum
/// and points.
#[utoipa::path(
    get, path = "/api/v1/members", tag = "members", params(MemberListParams),
    responses((status = 200, body = Vec<MemberDutyJson>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_members(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<MemberListParams>,
) -> Result<ApiJson<Vec<MemberDutyJson>>, ApiError> {
    use chrono::Datelike;
    let year = params.year.unwrap_or_else(|| state.app.clock().today().year());
    let duties = state.app.members_duty(&caller.acting(), year).await?;
    Ok(ApiJson(
        duties
            .iter()
            .map(|d| MemberDutyJson {
                member: MemberJson::from_record(&d.member, false),
                year,
                activity_count: d.duty.count,
                minimum: d.duty.minimum,
                below_minimum: d.duty.below_minimum(),
                points: d.points,
            })
            .collect(),
    ))
}

/// One member; the full mobile number only for those who keep the roster of the member's district.
#[utoipa::path(
    get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = MemberJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_member(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<MemberJson>, ApiError> {
    let (record, manages) = state.app.member_record(&caller.acting(), id).await?;
    Ok(ApiJson(MemberJson::from_record(&record, manages)))
}

#[derive(Deserialize, ToSchema)]
pub struct MemberChangeJson {
    sector: Option<String>,
    employer: Option<String>,
    position: Option<String>,
    /// 届别; an empty string clears it.
    term: Option<String>,
    /// An empty string clears it.
    mobile: Option<String>,
    resides_hk_macao: Option<bool>,
    /// `serving` or `ceased`.
    status: Option<String>,
    /// The day a ceasing member ceased (default today).
    ceased_on: Option<chrono::NaiveDate>,
}

/// Changes a member's record or status (district staff for their district's members, the city office).
#[utoipa::path(
    patch, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberChangeJson,
    responses(
        (status = 200, body = MemberJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn update_member(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MemberChangeJson>,
) -> Result<ApiJson<MemberJson>, ApiError> {
    let change = app::members::MemberChange {
        sector: body.sector,
        employer: body.employer,
        position: body.position,
        term: body.term,
        mobile: body.mobile,
        resides_hk_macao: body.resides_hk_macao,
        status: body.status,
        ceased_on: body.ceased_on,
    };
    let record = state.app.update_member(&caller.acting(), id, &change).await?;
    Ok(ApiJson(MemberJson::from_record(&record, true)))
}

#[derive(Serialize, ToSchema)]
pub struct PhotoJson {
    /// Where the public sees it (while the member serves in an open room).
    photo_url: String,
}

/// Uploads a member's photo (JPEG, PNG or WebP, at most 5 MB): re-encoded as JPEG without metadata and
/// scaled to at most 480×640.
#[utoipa::path(
    put, path = "/api/v1/members/{id}/photo", tag = "members", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 200, body = PhotoJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
async fn upload_member_photo(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<ApiJson<PhotoJson>, ApiError> {
    let etag = state
        .app
        .upload_member_photo(&caller.acting(), id, body.to_vec())
        .await?;
    Ok(ApiJson(PhotoJson {
        photo_url: crate::api::public::photo_url(id, &etag),
    }))
}

/// Removes a member's photo.
#[utoipa::path(
    delete, path = "/api/v1/members/{id}/photo", tag = "members", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn remove_member_photo(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_member_photo(&caller.acting(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
