//! `/api/v1/members/import`: the member roster import, for other systems.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_members))
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
