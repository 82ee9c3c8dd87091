//! Members' support requests on pages (委员履职支持, R12): the list with, for a member, the form to
//! ask (on the phone as much as at a desk), and one request with its history and the caller's step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::support::{SupportCommand, SupportView};
use app::{AppError, Room};
use domain::authz::Scope;
use domain::support::{SupportKind, SupportStep};

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "office/support_requests.html")]
pub(super) struct ListPage {
    page: PageContext,
    requests: Vec<SupportView>,
    /// The member's rooms to ask about (empty for the district and the city, who do not ask).
    rooms: Vec<Room>,
    kinds: Vec<(&'static str, &'static str)>,
    typed: AskForm,
    error: String,
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct AskForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    text: String,
}

async fn list_page(
    state: &AppState,
    page: PageContext,
    acting: &app::Acting,
    typed: AskForm,
    error: String,
) -> Result<ListPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let requests = state.app.support_requests(acting).await.map_err(fail)?;
    let rooms = if matches!(acting.scope(), Scope::Member { .. }) {
        state.app.rooms(acting).await.map_err(fail)?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        page,
        requests,
        rooms,
        kinds: SupportKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        typed,
        error,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<ListPage, PageError> {
    list_page(&state, page, &caller.acting(), AskForm::default(), String::new()).await
}

pub(super) async fn ask(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<AskForm>,
) -> Response {
    let acting = caller.acting();
    let room_id = form.room_id.trim().parse::<i64>();
    let outcome = match room_id {
        Ok(room_id) => {
            state
                .app
                .ask_support(&acting, &form.kind, &form.text, room_id)
                .await
        }
        Err(_) => Err(AppError::invalid("room_id", "请选择工作室")),
    };
    match outcome {
        Ok(id) => Redirect::to(&format!("/admin/support-requests/{id}")).into_response(),
        Err(err @ AppError::Invalid { .. }) => {
            match list_page(&state, page, &acting, form, err.to_string()).await {
                Ok(listing) => form_again(&err, listing),
                Err(other) => other.into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "office/support_request.html")]
pub(super) struct RequestPage {
    page: PageContext,
    view: SupportView,
    error: String,
    typed: String,
}

impl RequestPage {
    fn may(&self, step: &str) -> bool {
        self.view.actions.iter().any(|s| s.as_str() == step)
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<RequestPage, PageError> {
    let view = state
        .app
        .support_request(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(RequestPage {
        page,
        view,
        error: String::new(),
        typed: String::new(),
    })
}

#[derive(Deserialize, Default)]
pub(super) struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    text: String,
}

pub(super) async fn act(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Response {
    let acting = caller.acting();
    let command = match SupportStep::parse(form.step.trim()) {
        Some(SupportStep::Answer) => Ok(SupportCommand::Answer {
            text: form.text.clone(),
        }),
        Some(SupportStep::Confirm) => Ok(SupportCommand::Confirm),
        Some(SupportStep::AskAgain) => Ok(SupportCommand::AskAgain {
            text: form.text.clone(),
        }),
        _ => Err(AppError::invalid("step", "不认识的操作")),
    };
    let outcome = match command {
        Ok(command) => state.app.support_step(&acting, id, &command).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/support-requests/{id}")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            match state.app.support_request(&acting, id).await {
                Ok(view) => form_again(
                    &err,
                    RequestPage {
                        page,
                        view,
                        error: err.to_string(),
                        typed: form.text,
                    },
                ),
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
