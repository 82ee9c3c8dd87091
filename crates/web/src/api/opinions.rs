//! Citizens' opinions (群众意见, R11, R13): the online submission and the public tracking of a case (no
//! sign-in), and for those who handle cases the list, one case, visitor registration and routing steps.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::opinions::{CaseRecord, CaseView, OnlineOpinion, PublicCase, StepInput, Visit};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::client::ClientAddr;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit_opinion))
        .routes(routes!(track))
        .routes(routes!(rate))
        .routes(routes!(list_cases, register_visit))
        .routes(routes!(get_case))
        .routes(routes!(take_step))
        .routes(routes!(overdue))
        .routes(routes!(satisfaction))
}

#[derive(Deserialize, ToSchema)]
pub struct OnlineOpinionJson {
    /// What the resident raises (at most 2000 characters).
    #[schema(max_length = 2000)]
    content: String,
    #[schema(max_length = 40)]
    contact_name: String,
    /// A mainland mobile number, for the reply; never published.
    contact_phone: String,
    /// The resident's community, optional.
    #[schema(max_length = 100)]
    community: Option<String>,
    /// Consent to the processing of personal information (PIPL): must be true.
    #[schema(schema_with = crate::api::patterns::must_be_true)]
    consent: bool,
    /// Keep name and phone from the departments that handle it.
    #[serde(default)]
    anonymous_to_departments: bool,
    /// Leave empty (a field robots fill).
    #[schema(max_length = 0)]
    website: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TrackingCodeJson {
    /// The code to follow the case with (e.g. `K7PM-3XQ9-H2WD`), at `/track/{code}`.
    tracking_code: String,
    track_url: String,
}

/// An online submission to a room (网上工作室): 201 with the tracking code. Rate-limited per address
/// and per phone (429 with Retry-After).
#[utoipa::path(
    post, path = "/api/v1/public/rooms/{id}/opinions", tag = "opinions", params(("id" = i64, Path)),
    request_body = OnlineOpinionJson,
    responses(
        (status = 201, body = TrackingCodeJson), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)
    )
)]
async fn submit_opinion(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OnlineOpinionJson>,
) -> Result<(StatusCode, ApiJson<TrackingCodeJson>), ApiError> {
    let input = OnlineOpinion {
        content: body.content,
        contact_name: body.contact_name,
        contact_phone: body.contact_phone,
        community: body.community,
        consent: body.consent,
        anonymous_to_departments: body.anonymous_to_departments,
        trap: body.website,
    };
    let ip = client.to_string();
    let case = state.app.submit_online_opinion(id, &input, Some(&ip)).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(TrackingCodeJson {
            track_url: format!("/track/{}", case.tracking_code),
            tracking_code: case.tracking_code,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PublicStepJson {
    date: NaiveDate,
    what: String,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicCaseJson {
    tracking_code: String,
    room_name: String,
    received_on: NaiveDate,
    /// `received`, `answered`, `at_street_lead`, `at_department`, `at_petition`, `feedback_given`,
    /// `done`, `closed` or `under_review` (rated 不满意, the street lead reviews it).
    status: String,
    status_label: String,
    route: Option<String>,
    /// When not accepted (R11): the procedure and the body the resident was told to go to.
    told_procedure: Option<String>,
    told_body: Option<String>,
    steps: Vec<PublicStepJson>,
    rating: Option<String>,
    /// The case is closed and not yet rated.
    may_rate: bool,
}

impl From<PublicCase> for PublicCaseJson {
    fn from(c: PublicCase) -> Self {
        Self {
            status: c.state.as_str().to_owned(),
            status_label: c.state.public_label().to_owned(),
            route: c.route.map(|r| r.as_str().to_owned()),
            told_procedure: c.told.as_ref().map(|(p, _)| p.label_zh().to_owned()),
            told_body: c.told.map(|(_, body)| body),
            steps: c
                .steps
                .into_iter()
                .map(|(date, what, detail)| PublicStepJson { date, what, detail })
                .collect(),
            rating: c.rating.map(|r| r.as_str().to_owned()),
            may_rate: c.may_rate,
            tracking_code: c.tracking_code,
            room_name: c.room_name,
            received_on: c.received_on,
        }
    }
}

/// The public status of one submission: plain words and dated steps, roles not names. 404 for an
/// unknown code; guessing is rate-limited (429).
#[utoipa::path(
    get, path = "/api/v1/public/track/{code}", tag = "opinions", params(("code" = String, Path)),
    responses((status = 200, body = PublicCaseJson), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody))
)]
async fn track(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiPath(code): ApiPath<String>,
) -> Result<ApiJson<PublicCaseJson>, ApiError> {
    let ip = client.to_string();
    Ok(ApiJson(state.app.track(&code, Some(&ip)).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct RatingJson {
    /// `satisfied`, `basically_satisfied` or `dissatisfied` (the last needs a comment).
    rating: String,
    comment: Option<String>,
}

/// The resident's rating of a closed case (满意度), once.
#[utoipa::path(
    post, path = "/api/v1/public/track/{code}/rating", tag = "opinions", params(("code" = String, Path)),
    request_body = RatingJson,
    responses(
        (status = 200, body = PublicCaseJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)
    )
)]
async fn rate(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<RatingJson>,
) -> Result<ApiJson<PublicCaseJson>, ApiError> {
    let ip = client.to_string();
    let case = state
        .app
        .rate_case(&code, &body.rating, body.comment.as_deref(), Some(&ip))
        .await?;
    Ok(ApiJson(case.into()))
}

#[derive(Serialize, ToSchema)]
pub struct StepJson {
    action: String,
    action_label: String,
    /// The role that took it.
    role: String,
    /// Who took it, in words: the person or unit, their department and role (never a login name).
    by: String,
    taken_at: DateTime<Utc>,
    title: Option<String>,
    text: Option<String>,
    department: Option<String>,
    from_status: String,
    to_status: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseJson {
    id: i64,
    tracking_code: String,
    room_id: i64,
    room_name: String,
    /// `visit` or `online`.
    channel: String,
    content: String,
    /// Masked in lists; in full in one case for those entitled (and that opening is logged).
    contact_name: String,
    contact_phone: Option<String>,
    community: Option<String>,
    anonymous_to_departments: bool,
    member: Option<String>,
    /// The activity where it was collected.
    activity_id: Option<i64>,
    status: String,
    status_label: String,
    route: Option<String>,
    department: Option<String>,
    /// The day the current step is due (working days on the official calendar).
    due_on: Option<NaiveDate>,
    overdue: bool,
    rating: Option<String>,
    rating_comment: Option<String>,
    received_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    /// One case only: its history and the steps the caller may take now.
    #[serde(skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<StepJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_actions: Option<Vec<String>>,
}

/// `overdue`: the current step is past its due day in working days (the caller knows the calendar).
fn case_json(c: &CaseRecord, overdue: bool) -> CaseJson {
    CaseJson {
        id: c.id,
        tracking_code: c.tracking_code.clone(),
        room_id: c.room_id,
        room_name: c.room_name.clone(),
        channel: c.channel.clone(),
        content: c.content.clone(),
        contact_name: c.contact_name.expose().clone(),
        contact_phone: c.contact_phone.as_ref().map(|p| p.expose().clone()),
        community: c.community.clone(),
        anonymous_to_departments: c.anonymous_to_departments,
        member: c.member.as_ref().map(|(_, name)| name.clone()),
        activity_id: c.activity_id,
        status: c.state.as_str().to_owned(),
        status_label: c.state.public_label().to_owned(),
        route: c.route.map(|r| r.as_str().to_owned()),
        department: c.department.as_ref().map(|d| d.1.clone()),
        due_on: c.due_on,
        overdue,
        rating: c.rating.map(|r| r.as_str().to_owned()),
        rating_comment: c.rating_comment.clone(),
        received_at: c.received_at,
        closed_at: c.closed_at,
        steps: None,
        next_actions: None,
    }
}

fn view_json(view: &CaseView) -> CaseJson {
    let mut json = case_json(&view.case, view.overdue);
    json.steps = Some(
        view.steps
            .iter()
            .map(|s| StepJson {
                action: s.action.as_str().to_owned(),
                action_label: s.action.label_zh().to_owned(),
                role: s.actor_role.clone(),
                by: app::opinions::taken_by(s),
                taken_at: s.taken_at,
                title: s.title.clone(),
                text: s.text.clone(),
                department: s.department.as_ref().map(|d| d.1.clone()),
                from_status: s.from_state.as_str().to_owned(),
                to_status: s.to_state.as_str().to_owned(),
            })
            .collect(),
    );
    json.next_actions = Some(view.next.iter().map(|a| a.as_str().to_owned()).collect());
    json
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 100_000)]
    page: Option<u64>,
    /// Cases per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
    /// Only cases in this state (`received`, `at_street_lead`, …).
    state: Option<String>,
    /// Only cases on this route (`street`, `district`, `petition`, …).
    route: Option<String>,
    room_id: Option<i64>,
    street_id: Option<i64>,
    /// Only cases received in this year (Beijing time), 2019 to next year.
    #[param(minimum = 2019, maximum = 2100)]
    year: Option<i32>,
    /// `true`: only open cases past their step's due day.
    overdue: Option<bool>,
    /// `true`: only cases with a step for the caller (待我办理).
    mine: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseListItemJson {
    #[serde(flatten)]
    case: CaseJson,
    /// The first words of the content: the row's title.
    matter: String,
    /// Working days since received (open cases; 0 once closed).
    age_working_days: u32,
    /// Working days past the current step's due day.
    late_working_days: u32,
    /// The caller has a step to take on it now.
    waits_on_caller: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CaseListJson {
    items: Vec<CaseListItemJson>,
    /// Cases matching the filters in all.
    total: u64,
    page: u64,
    per_page: u64,
}

/// The case queue: cases in the caller's scope (a department: those routed to it; a member: own),
/// one page at a time, open cases by due date, then the rest newest first; contact data masked.
#[utoipa::path(
    get, path = "/api/v1/opinions", tag = "opinions", params(CaseListParams),
    responses((status = 200, body = CaseListJson), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_cases(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(params): ApiQuery<CaseListParams>,
) -> Result<ApiJson<CaseListJson>, ApiError> {
    let filter = app::opinions::QueueFilter {
        mine: params.mine.unwrap_or(false),
        state: params.state,
        route: params.route,
        room_id: params.room_id,
        street_id: params.street_id,
        year: params.year,
        overdue: params.overdue.unwrap_or(false),
        page: params.page,
        per_page: params.per_page,
    };
    let page = state.app.case_queue(&caller.acting(), &filter).await?;
    Ok(ApiJson(CaseListJson {
        items: page
            .items
            .iter()
            .map(|item| CaseListItemJson {
                case: case_json(&item.case, item.late_working_days > 0),
                matter: item.matter.clone(),
                age_working_days: item.age_working_days,
                late_working_days: item.late_working_days,
                waits_on_caller: item.waits_on_caller,
            })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct VisitJson {
    room_id: i64,
    /// The matter raised (来访事项).
    content: String,
    contact_name: String,
    contact_phone: Option<String>,
    community: Option<String>,
    /// The member who received the visitor.
    member_id: Option<i64>,
    /// The activity of the room (e.g. the reception day) where the visitor came.
    activity_id: Option<i64>,
    /// The visitor agreed to the use of their personal information.
    consent: bool,
    #[serde(default)]
    anonymous_to_departments: bool,
}

/// Registers a visitor at a reception (群众来访登记): the room's staff and those above it. 201 with the
/// case; give the visitor its tracking code.
#[utoipa::path(
    post, path = "/api/v1/opinions", tag = "opinions", request_body = VisitJson,
    responses((status = 201, body = CaseJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn register_visit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<VisitJson>,
) -> Result<(StatusCode, ApiJson<CaseJson>), ApiError> {
    let visit = Visit {
        room_id: body.room_id,
        content: body.content,
        contact_name: body.contact_name,
        contact_phone: body.contact_phone,
        community: body.community,
        member_id: body.member_id,
        activity_id: body.activity_id,
        consent: body.consent,
        anonymous_to_departments: body.anonymous_to_departments,
    };
    let case = state.app.register_visit(&caller.acting(), &visit).await?;
    Ok((
        StatusCode::CREATED,
        // Just received: not late.
        ApiJson(case_json(&case, false)),
    ))
}

/// One case with its routing history; contact data in full only for those entitled (logged).
#[utoipa::path(
    get, path = "/api/v1/opinions/{id}", tag = "opinions", params(("id" = i64, Path)),
    responses((status = 200, body = CaseJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<CaseJson>, ApiError> {
    let view = state.app.case_view(&caller.acting(), id).await?;
    Ok(ApiJson(view_json(&view)))
}

#[derive(Deserialize, ToSchema)]
pub struct StepRequestJson {
    /// An action code of shared/CONTRACT.md, e.g. `refer_to_street`; also `review_reopen` and
    /// `review_uphold`, the street lead's review (复核) of a case the resident rated 不满意.
    action: String,
    /// `screen_out`: `litigation`, `administrative_reconsideration`, `arbitration` or `other`.
    procedure: Option<String>,
    /// `screen_out`: the body the resident was told to go to.
    told_body: Option<String>,
    /// `answer_on_spot`
    answer: Option<String>,
    /// `instruct` (批示) and `review_reopen` (复核意见), or a note with `forward_to_district`.
    instruction: Option<String>,
    /// `instruct` (a functional department of the street), `forward_to_district` (of the district),
    /// `review_reopen` (either).
    department_id: Option<i64>,
    /// `record_handling`
    result: Option<String>,
    /// `feedback_to_member`, `draft_proposal`, `draft_social_report`, `review_uphold` (复核意见)
    text: Option<String>,
    /// `draft_proposal`, `draft_social_report`
    title: Option<String>,
    /// `close`
    summary: Option<String>,
    /// `assign_member` (指定委员跟进: the member serving the room who takes a received case up as a
    /// proposal or 社情民意信息, the case staying with the room); room staff routing a case may also name
    /// the member responsible (needed for `send_to_petition` when none is named yet).
    member_id: Option<i64>,
}

/// One routing step by the party that holds the case: 200 with the case; 409 for a step the case's
/// state does not allow; 403 for a role that may not take it.
#[utoipa::path(
    post, path = "/api/v1/opinions/{id}/actions", tag = "opinions", params(("id" = i64, Path)),
    request_body = StepRequestJson,
    responses(
        (status = 200, body = CaseJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
async fn take_step(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StepRequestJson>,
) -> Result<ApiJson<CaseJson>, ApiError> {
    let input = StepInput {
        action: body.action,
        procedure: body.procedure,
        told_body: body.told_body,
        answer: body.answer,
        instruction: body.instruction,
        department_id: body.department_id,
        result: body.result,
        text: body.text,
        title: body.title,
        summary: body.summary,
        member_id: body.member_id,
    };
    let view = state.app.take_step(&caller.acting(), id, &input).await?;
    Ok(ApiJson(view_json(&view)))
}

#[derive(Serialize, ToSchema)]
pub struct OverdueJson {
    #[serde(flatten)]
    case: CaseJson,
    /// Working days past the due day.
    late_working_days: u32,
    /// `street_lead` (pressed on the town/street lead) or `district` (3 working days or more late).
    escalation: String,
}

/// Cases whose current step is past its due day, pressed on the caller (督办): a town/street lead sees
/// every late step of the street, a district those 3 or more working days late; most late first.
#[utoipa::path(
    get, path = "/api/v1/opinions/overdue", tag = "opinions",
    responses((status = 200, body = Vec<OverdueJson>), (status = 401, body = ErrorBody))
)]
async fn overdue(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<OverdueJson>>, ApiError> {
    let list = state.app.overdue_cases(&caller.acting()).await?;
    Ok(ApiJson(
        list.iter()
            .map(|o| OverdueJson {
                case: case_json(&o.case, true),
                late_working_days: o.late_working_days,
                escalation: o.escalation.as_str().to_owned(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct SatisfactionJson {
    room_name: String,
    route: Option<String>,
    satisfied: u32,
    basically_satisfied: u32,
    dissatisfied: u32,
    unrated: u32,
}

/// Residents' ratings of closed cases in the caller's scope, by room and route (满意度).
#[utoipa::path(
    get, path = "/api/v1/opinions/satisfaction", tag = "opinions",
    responses((status = 200, body = Vec<SatisfactionJson>), (status = 401, body = ErrorBody))
)]
async fn satisfaction(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<SatisfactionJson>>, ApiError> {
    let rows = state.app.satisfaction(&caller.acting()).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|r| SatisfactionJson {
                room_name: r.room_name,
                route: r.route.map(|x| x.as_str().to_owned()),
                satisfied: r.satisfied,
                basically_satisfied: r.basically_satisfied,
                dissatisfied: r.dissatisfied,
                unrated: r.unrated,
            })
            .collect(),
    ))
}
