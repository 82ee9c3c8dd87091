//! `/api/v1/audit`: the audit trail, for the city general office only.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::{AuditEntry, AuditQuery};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only entries about this kind of record (e.g. `account`, `division`).
    entity: Option<String>,
    /// Only entries by this username (or `cli`, `demo`).
    actor: Option<String>,
    /// Entries older than this id (page backwards with the last id of the previous page).
    before_id: Option<i64>,
    /// At most this many (1–500, default 100).
    limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryJson {
    id: i64,
    /// RFC 3339, UTC.
    at: String,
    actor_account_id: Option<i64>,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    #[schema(value_type = Option<Object>)]
    before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    after: Option<serde_json::Value>,
    /// SHA-256 over this entry and the previous entry's hash.
    hash: String,
}

impl From<AuditEntry> for AuditEntryJson {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            at: entry.at.to_rfc3339(),
            actor_account_id: entry.actor_account_id,
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before: entry.before,
            after: entry.after,
            hash: entry.hash,
        }
    }
}

/// The audit trail, newest first.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditEntryJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn list_audit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<ApiJson<Vec<AuditEntryJson>>, ApiError> {
    let query = AuditQuery {
        entity: params.entity,
        actor: params.actor,
        before_id: params.before_id,
        limit: params.limit.unwrap_or(100),
    };
    let entries = state.app.audit_entries(&caller.acting(), &query).await?;
    Ok(ApiJson(entries.into_iter().map(AuditEntryJson::from).collect()))
}
