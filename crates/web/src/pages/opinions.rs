//! Citizens' opinions on pages (R11, R13, X7): the online form of a room and the tracking page for
//! residents (no JavaScript, no sign-in); the case list, visitor registration and the case page with its
//! routing steps for those who handle cases.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::opinions::{CaseView, CaseWork, OnlineOpinion, PublicCase, StepInput, StepOption, Visit, VisitDesk};
use app::{AppError, PublicMember};
use domain::opinion::ActionKind;

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::client::ClientAddr;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PageForm, PagePath};
use crate::layout::PageContext;

/// What the resident typed, to show the form again after a problem.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpinionFormValues {
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub community: String,
    pub anonymous: bool,
    pub consent: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct OpinionForm {
    #[serde(default)]
    content: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    website: String,
    anonymous_to_departments: Option<String>,
    consent: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/opinion_form.html")]
pub(super) struct OpinionFormPage {
    page: PageContext,
    room_id: i64,
    room_name: String,
    form: OpinionFormValues,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/opinion_received.html")]
pub(super) struct OpinionReceivedPage {
    page: PageContext,
    room_name: String,
    code: String,
}

/// The online form's submission: the tracking code on success; the form again, filled in, otherwise.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    ClientAddr(client): ClientAddr,
    PagePath(room_id): PagePath<i64>,
    PageForm(form): PageForm<OpinionForm>,
) -> Result<Response, PageError> {
    let room = state
        .app
        .public_room(room_id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?
        .room;
    let input = OnlineOpinion {
        content: form.content.clone(),
        contact_name: form.contact_name.clone(),
        contact_phone: form.contact_phone.clone(),
        community: Some(form.community.clone()),
        consent: form.consent.is_some(),
        anonymous_to_departments: form.anonymous_to_departments.is_some(),
        trap: Some(form.website.clone()),
    };
    let ip = client.to_string();
    match state.app.submit_online_opinion(room_id, &input, Some(&ip)).await {
        Ok(case) => Ok(OpinionReceivedPage {
            page,
            room_name: room.name,
            code: case.tracking_code,
        }
        .into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::RateLimited { .. })) => {
            let body = OpinionFormPage {
                page,
                room_id,
                room_name: room.name,
                form: OpinionFormValues {
                    content: form.content,
                    contact_name: form.contact_name,
                    contact_phone: form.contact_phone,
                    community: form.community,
                    anonymous: form.anonymous_to_departments.is_some(),
                    consent: form.consent.is_some(),
                },
                error: err.to_string(),
            };
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/track.html")]
pub(super) struct TrackPage {
    page: PageContext,
    code: String,
    case: Option<PublicCase>,
    message: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub(super) struct TrackQuery {
    code: Option<String>,
}

/// `/track?code=…`: the lookup form, and the case once a code is given.
pub(super) async fn track_form(
    State(state): State<AppState>,
    page: PageContext,
    ClientAddr(client): ClientAddr,
    Query(query): Query<TrackQuery>,
) -> Result<Response, PageError> {
    match query.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Ok(show(&state, page, &client, code, String::new()).await),
        None => Ok(TrackPage {
            page,
            code: String::new(),
            case: None,
            message: String::new(),
            error: String::new(),
        }
        .into_response()),
    }
}

pub(super) async fn track(
    State(state): State<AppState>,
    page: PageContext,
    ClientAddr(client): ClientAddr,
    PagePath(code): PagePath<String>,
) -> Response {
    show(&state, page, &client, &code, String::new()).await
}

async fn show(
    state: &AppState,
    page: PageContext,
    client: &std::net::IpAddr,
    code: &str,
    message: String,
) -> Response {
    let ip = client.to_string();
    match state.app.track(code, Some(&ip)).await {
        Ok(case) => TrackPage {
            page,
            code: case.tracking_code.clone(),
            case: Some(case),
            message,
            error: String::new(),
        }
        .into_response(),
        Err(err @ (AppError::NotFound(_) | AppError::RateLimited { .. })) => {
            let body = TrackPage {
                page,
                code: code.chars().take(20).collect(),
                case: None,
                message: String::new(),
                error: err.to_string(),
            };
            form_again(&err, body)
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct RatingForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

pub(super) async fn rate(
    State(state): State<AppState>,
    page: PageContext,
    ClientAddr(client): ClientAddr,
    PagePath(code): PagePath<String>,
    PageForm(form): PageForm<RatingForm>,
) -> Response {
    let ip = client.to_string();
    let (status, message, error) = match state
        .app
        .rate_case(&code, &form.rating, Some(&form.comment), Some(&ip))
        .await
    {
        Ok(_) => (StatusCode::OK, "感谢您的评价。".to_owned(), String::new()),
        Err(err @ AppError::Invalid { .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, String::new(), err.to_string())
        }
        Err(err @ AppError::Conflict(_)) => (StatusCode::CONFLICT, String::new(), err.to_string()),
        Err(err) => return PageError::new(page, err).into_response(),
    };
    match state.app.track(&code, Some(&ip)).await {
        Ok(case) => (
            status,
            TrackPage {
                page,
                code: case.tracking_code.clone(),
                case: Some(case),
                message,
                error,
            },
        )
            .into_response(),
        Err(err) => PageError::new(page, err).into_response(),
    }
}

// ---- Staff, departments and members ----

#[derive(Template, WebTemplate)]
#[template(path = "opinions/opinions.html")]
pub(super) struct CasesPage {
    page: PageContext,
    /// One page of the queue, as filtered.
    queue: app::opinions::CasePage,
    /// The filters as chosen, to keep the form filled and build the page links.
    filter: QueueQuery,
    /// How many cases wait on the caller in all (whatever the filters).
    waiting: u64,
    overdue: Vec<app::opinions::OverdueCase>,
    satisfaction: Vec<app::opinions::Satisfaction>,
    /// Rooms the caller registers visitors for, with their serving members and recent activities.
    rooms: Vec<VisitDesk>,
    /// The rooms the caller may filter by.
    room_choices: Vec<app::Room>,
    states: Vec<(&'static str, &'static str)>,
    routes: Vec<(&'static str, &'static str)>,
    message: String,
    error: String,
    /// The tracking code of a visit just registered, to hand to the visitor.
    new_code: String,
}

/// The queue's filters in the address (`/admin/opinions?mine=1&state=…&page=2`), as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct QueueQuery {
    #[serde(default)]
    mine: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    room: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    page: String,
}

impl QueueQuery {
    fn number<T: std::str::FromStr>(raw: &str, field: &str, label: &str) -> Result<Option<T>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            text => text
                .parse()
                .map(Some)
                .map_err(|_| AppError::invalid(field, format!("{label}应为数字"))),
        }
    }

    fn filter(&self) -> Result<app::opinions::QueueFilter, AppError> {
        Ok(app::opinions::QueueFilter {
            mine: !self.mine.is_empty(),
            state: Some(self.state.clone()),
            route: Some(self.route.clone()),
            room_id: Self::number(&self.room, "room", "工作室编号")?,
            street_id: None,
            year: Self::number(&self.year, "year", "年份")?,
            overdue: !self.overdue.is_empty(),
            page: Self::number(&self.page, "page", "页码")?,
            per_page: None,
        })
    }

    /// The address of page `page` with the same filters.
    pub(super) fn href(&self, page: u64) -> String {
        use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
        let mut pairs = Vec::new();
        for (key, value) in [
            ("mine", &self.mine),
            ("state", &self.state),
            ("route", &self.route),
            ("room", &self.room),
            ("year", &self.year),
            ("overdue", &self.overdue),
        ] {
            if !value.trim().is_empty() {
                pairs.push(format!(
                    "{key}={}",
                    utf8_percent_encode(value.trim(), NON_ALPHANUMERIC)
                ));
            }
        }
        pairs.push(format!("page={page}"));
        format!("/admin/opinions?{}", pairs.join("&"))
    }
}

async fn render_cases(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    filter: QueueQuery,
    message: String,
    error: String,
    new_code: String,
) -> Result<CasesPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let acting = caller.acting();
    let queue = state
        .app
        .case_queue(&acting, &filter.filter().map_err(fail)?)
        .await
        .map_err(fail)?;
    let mine = app::opinions::QueueFilter {
        mine: true,
        per_page: Some(1),
        ..Default::default()
    };
    let waiting = state.app.case_queue(&acting, &mine).await.map_err(fail)?.total;
    let rooms = state.app.visit_desks(&acting).await.map_err(fail)?;
    let room_choices = state.app.rooms(&acting).await.map_err(fail)?;
    let overdue = state.app.overdue_cases(&acting).await.map_err(fail)?;
    let satisfaction = state.app.satisfaction(&acting).await.map_err(fail)?;
    Ok(CasesPage {
        page,
        queue,
        filter,
        waiting,
        overdue,
        satisfaction,
        rooms,
        room_choices,
        states: domain::opinion::CaseState::ALL
            .iter()
            .map(|s| (s.as_str(), s.public_label()))
            .collect(),
        routes: domain::opinion::Route::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_zh()))
            .collect(),
        message,
        error,
        new_code,
    })
}

pub(super) async fn cases(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(filter): Query<QueueQuery>,
) -> Result<CasesPage, PageError> {
    render_cases(
        &state,
        page,
        &caller,
        filter,
        String::new(),
        String::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub(super) struct VisitForm {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    activity_id: String,
    consent: Option<String>,
    anonymous_to_departments: Option<String>,
}

pub(super) async fn register(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<VisitForm>,
) -> Result<Response, PageError> {
    let result = async {
        let room_id = form
            .room_id
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("room_id", "请选择工作室"))?;
        let member_id = match form.member_id.trim() {
            "" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map_err(|_| AppError::invalid("member_id", "接待委员无效"))?,
            ),
        };
        let activity_id = match form.activity_id.trim() {
            "" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map_err(|_| AppError::invalid("activity_id", "活动无效"))?,
            ),
        };
        let visit = Visit {
            activity_id,
            room_id,
            content: form.content.clone(),
            contact_name: form.contact_name.clone(),
            contact_phone: Some(form.contact_phone.clone()),
            community: Some(form.community.clone()),
            member_id,
            consent: form.consent.is_some(),
            anonymous_to_departments: form.anonymous_to_departments.is_some(),
        };
        state.app.register_visit(&caller.acting(), &visit).await
    }
    .await;
    match result {
        Ok(case) => Ok(render_cases(
            &state,
            page,
            &caller,
            QueueQuery::default(),
            format!("已登记来访。请把查询码告诉来访人：{}", case.tracking_code),
            String::new(),
            case.tracking_code,
        )
        .await?
        .into_response()),
        Err(err @ AppError::Invalid { .. }) => {
            let body = render_cases(
                &state,
                page,
                &caller,
                QueueQuery::default(),
                String::new(),
                err.to_string(),
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "opinions/opinion.html")]
pub(super) struct CasePage {
    page: PageContext,
    view: CaseView,
    steps: Vec<StepOption>,
    /// The room's members, for naming the member responsible while routing.
    members: Vec<PublicMember>,
    message: String,
    error: String,
}

async fn render_case(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    id: i64,
    message: String,
    error: String,
) -> Result<CasePage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let CaseWork { view, steps, members } = state.app.case_work(&caller.acting(), id).await.map_err(fail)?;
    Ok(CasePage {
        page,
        view,
        steps,
        members,
        message,
        error,
    })
}

pub(super) async fn case(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<CasePage, PageError> {
    render_case(&state, page, &caller, id, String::new(), String::new()).await
}

#[derive(Deserialize, Default)]
pub(super) struct StepForm {
    #[serde(default)]
    action: String,
    procedure: Option<String>,
    told_body: Option<String>,
    answer: Option<String>,
    instruction: Option<String>,
    #[serde(default)]
    department_id: String,
    result: Option<String>,
    text: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    member_id: String,
}

pub(super) async fn step(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let input = StepInput {
        action: form.action.clone(),
        procedure: form.procedure,
        told_body: form.told_body,
        answer: form.answer,
        instruction: form.instruction,
        department_id: form.department_id.trim().parse().ok(),
        result: form.result,
        text: form.text,
        title: form.title,
        summary: form.summary,
        member_id: form.member_id.trim().parse().ok(),
    };
    match state.app.take_step(&caller.acting(), id, &input).await {
        Ok(view) => {
            let label = ActionKind::parse(&form.action).map_or("办理", ActionKind::label_zh);
            // A step may take the case out of the caller's hands; the page shows what it can.
            let message = format!("“{label}”已办理。案件现在：{}。", view.case.state.public_label());
            Ok(render_case(&state, page, &caller, id, message, String::new())
                .await?
                .into_response())
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = render_case(&state, page, &caller, id, String::new(), err.to_string()).await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}
