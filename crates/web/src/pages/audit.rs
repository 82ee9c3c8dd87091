//! The audit trail (操作日志), for the city general office: entries by page, and the chain verified.

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::{Query, State};
use serde::Deserialize;

use app::{AppError, AuditQuery, ChainReport};

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::layout::PageContext;

/// One audit row as the page shows it.
pub(super) struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/audit.html")]
pub(super) struct AuditPage {
    page: PageContext,
    rows: Vec<AuditRow>,
    report: Option<ChainReport>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct AuditParams {
    before_id: Option<i64>,
    verify: Option<String>,
}

const AUDIT_PAGE_SIZE: u64 = 100;

pub(super) async fn audit(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    params: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<AuditPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let Query(params) = params.map_err(|_| fail(AppError::invalid("before_id", "分页参数有误")))?;
    let acting = caller.acting();
    let query = AuditQuery {
        before_id: params.before_id,
        limit: AUDIT_PAGE_SIZE,
        ..AuditQuery::default()
    };
    let entries = state.app.audit_entries(&acting, &query).await.map_err(fail)?;
    let report = if params.verify.is_some() {
        Some(state.app.verify_audit(&acting).await.map_err(fail)?)
    } else {
        None
    };
    let older = (entries.len() as u64 == AUDIT_PAGE_SIZE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let json = |value: Option<serde_json::Value>| value.map(|v| v.to_string()).unwrap_or_default();
    let rows = entries
        .into_iter()
        .map(|entry| AuditRow {
            id: entry.id,
            at: entry
                .at
                .with_timezone(&app::clock::beijing())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before: json(entry.before),
            after: json(entry.after),
        })
        .collect();
    Ok(AuditPage {
        page,
        rows,
        report,
        older,
    })
}
