//! `/api/v1/proposals`: proposals (提案) and 社情民意信息 members write from residents' opinions
//! (R13.4) — from a case's draft step or from a group of concentrated opinions — and what became of
//! them: submitted with the CPPCC's number, accepted (立案 / 采用) or not, answered.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::proposals::{ProposalInput, ProposalView};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_proposals, create_proposal))
        .routes(routes!(get_proposal))
        .routes(routes!(take_step))
}

#[derive(Serialize, ToSchema)]
pub struct ProposalEventJson {
    /// `draft`, `submit`, `accept`, `decline` or `answer`.
    step: String,
    step_label: String,
    /// The answer, or the reason it was not accepted.
    detail: Option<String>,
    by: String,
    at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalCaseJson {
    id: i64,
    room_name: String,
    received_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    id: i64,
    /// `proposal` (提案) or `social_report` (社情民意信息).
    kind: String,
    kind_label: String,
    member_id: i64,
    member_name: String,
    title: String,
    text: String,
    /// `drafted`, `submitted`, `accepted`, `declined` or `answered`.
    status: String,
    status_label: String,
    /// The CPPCC's number, once submitted.
    number: Option<String>,
    /// The handling unit, once answered.
    unit: Option<String>,
    /// The case whose draft step wrote it; empty for a draft from a group of opinions.
    origin_case_id: Option<i64>,
    cases: Vec<ProposalCaseJson>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    history: Vec<ProposalEventJson>,
    /// What the caller may do now: `submit`, `accept`, `decline`, `answer`.
    actions: Vec<String>,
}

impl From<&ProposalView> for ProposalJson {
    fn from(v: &ProposalView) -> Self {
        let r = &v.record;
        Self {
            id: r.id,
            kind: r.kind.as_str().to_owned(),
            kind_label: r.kind.label_zh().to_owned(),
            member_id: r.member_id,
            member_name: v.member_name.clone(),
            title: r.title.clone(),
            text: r.text.clone(),
            status: r.status.as_str().to_owned(),
            status_label: v.status_label.to_owned(),
            number: r.reference_number.clone(),
            unit: r.handling_unit.clone(),
            origin_case_id: r.origin_case_id,
            cases: v
                .cases
                .iter()
                .map(|c| ProposalCaseJson {
                    id: c.id,
                    room_name: c.room_name.clone(),
                    received_on: c.received_on,
                })
                .collect(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            history: r
                .events
                .iter()
                .map(|e| ProposalEventJson {
                    step: e.step.as_str().to_owned(),
                    step_label: e.step.label_zh(r.kind).to_owned(),
                    detail: e.detail.clone(),
                    by: e.actor_name.clone(),
                    at: e.at,
                })
                .collect(),
            actions: v.actions.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewProposalJson {
    #[schema(example = "social_report")]
    kind: String,
    #[schema(example = "关于群众集中反映加装电梯问题的情况和建议", max_length = 200)]
    title: String,
    #[schema(max_length = 5000)]
    text: String,
    /// The residents' cases it is written from (a group of concentrated opinions), in rooms the
    /// member serves; at most 200.
    case_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedProposalJson {
    id: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct ProposalActionJson {
    /// `submit` {`number`}, `accept`, `decline` {`reason`}, `answer` {`unit`, `text`} or `withdraw` (a
    /// group's draft, before it is submitted).
    #[schema(example = "submit")]
    action: String,
    /// The CPPCC's number (提案编号).
    #[schema(example = "20260123", max_length = 40)]
    number: Option<String>,
    #[schema(max_length = 5000)]
    reason: Option<String>,
    /// The handling unit (承办单位).
    #[schema(example = "区住房城乡建设局", max_length = 100)]
    unit: Option<String>,
    /// The unit's answer.
    #[schema(max_length = 5000)]
    text: Option<String>,
}

/// The caller's drafts: a member's own, a district's, or every district's for the city general office.
#[utoipa::path(
    get, path = "/api/v1/proposals", tag = "proposals",
    responses((status = 200, body = Vec<ProposalJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn list_proposals(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<ProposalJson>>, ApiError> {
    let views = state.app.proposals(&caller.acting()).await?;
    Ok(ApiJson(views.iter().map(Into::into).collect()))
}

/// A member drafts a 提案 or 社情民意信息 from residents' cases in the rooms the member serves.
#[utoipa::path(
    post, path = "/api/v1/proposals", tag = "proposals", request_body = NewProposalJson,
    responses((status = 201, body = CreatedProposalJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn create_proposal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewProposalJson>,
) -> Result<(StatusCode, ApiJson<CreatedProposalJson>), ApiError> {
    let id = state
        .app
        .draft_proposal(
            &caller.acting(),
            &body.kind,
            &body.title,
            &body.text,
            &body.case_ids,
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedProposalJson { id })))
}

/// One draft with its cases and history.
#[utoipa::path(
    get, path = "/api/v1/proposals/{id}", tag = "proposals", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_proposal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<ProposalJson>, ApiError> {
    Ok(ApiJson((&state.app.proposal(&caller.acting(), id).await?).into()))
}

/// Records what became of a draft: the member submits it; the member or the district's staff record
/// whether it was accepted and the handling unit's answer.
#[utoipa::path(
    post, path = "/api/v1/proposals/{id}/actions", tag = "proposals", params(("id" = i64, Path)),
    request_body = ProposalActionJson,
    responses((status = 200, body = ProposalJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn take_step(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProposalActionJson>,
) -> Result<ApiJson<ProposalJson>, ApiError> {
    let input = ProposalInput {
        action: body.action,
        number: body.number,
        reason: body.reason,
        unit: body.unit,
        text: body.text,
    };
    Ok(ApiJson(
        (&state.app.proposal_step(&caller.acting(), id, &input).await?).into(),
    ))
}
