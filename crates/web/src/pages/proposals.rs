//! Proposals (提案) and 社情民意信息 on pages (R13.4): the caller's list, a draft saved from a group of
//! concentrated opinions, and one draft with its cases, its history and the caller's next step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::AppError;
use app::proposals::{ProposalInput, ProposalView};

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "office/proposals.html")]
pub(super) struct ListPage {
    page: PageContext,
    proposals: Vec<ProposalView>,
    /// A draft from a group that could not be saved, shown again to mend.
    typed: Option<DraftForm>,
    error: String,
}

/// A draft from the concentrated opinions' page: the group's cases travel as `1,2,3`.
#[derive(Deserialize, Default, Clone)]
pub(super) struct DraftForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    case_ids: String,
}

impl DraftForm {
    fn case_ids(&self) -> Result<Vec<i64>, AppError> {
        self.case_ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| {
                id.parse::<i64>().map_err(|_| {
                    AppError::invalid("case_ids", "所附案件编号无效，请从集中反映的意见页面重新保存")
                })
            })
            .collect()
    }
}

async fn list_page(
    state: &AppState,
    page: PageContext,
    acting: &app::Acting,
    typed: Option<DraftForm>,
    error: String,
) -> Result<ListPage, PageError> {
    let proposals = state
        .app
        .proposals(acting)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(ListPage {
        page,
        proposals,
        typed,
        error,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<ListPage, PageError> {
    list_page(&state, page, &caller.acting(), None, String::new()).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<DraftForm>,
) -> Response {
    let acting = caller.acting();
    let outcome = match form.case_ids() {
        Ok(ids) => {
            state
                .app
                .draft_proposal(&acting, &form.kind, &form.title, &form.text, &ids)
                .await
        }
        Err(err) => Err(err),
    };
    match outcome {
        Ok(id) => Redirect::to(&format!("/admin/proposals/{id}")).into_response(),
        Err(err @ AppError::Invalid { .. }) => {
            match list_page(&state, page, &acting, Some(form), err.to_string()).await {
                Ok(listing) => form_again(&err, listing),
                Err(other) => other.into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "office/proposal.html")]
pub(super) struct ProposalPage {
    page: PageContext,
    view: ProposalView,
    error: String,
    typed: StepForm,
}

impl ProposalPage {
    fn may(&self, step: &str) -> bool {
        self.view.actions.iter().any(|s| s.as_str() == step)
    }

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "askama passes arguments by reference"
    )]
    fn step_label(&self, step: &domain::proposal::ProposalStep) -> &'static str {
        step.label_zh(self.view.record.kind)
    }

    fn accept_label(&self) -> &'static str {
        self.step_label(&domain::proposal::ProposalStep::Accept)
    }

    fn decline_label(&self) -> &'static str {
        self.step_label(&domain::proposal::ProposalStep::Decline)
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<ProposalPage, PageError> {
    let view = state
        .app
        .proposal(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(ProposalPage {
        page,
        view,
        error: String::new(),
        typed: StepForm::default(),
    })
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct StepForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    unit: String,
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
    let input = ProposalInput {
        action: form.action.clone(),
        number: Some(form.number.clone()),
        reason: Some(form.reason.clone()),
        unit: Some(form.unit.clone()),
        text: Some(form.text.clone()),
    };
    let outcome = state.app.proposal_step(&acting, id, &input).await;
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/proposals/{id}")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            match state.app.proposal(&acting, id).await {
                Ok(view) => form_again(
                    &err,
                    ProposalPage {
                        page,
                        view,
                        error: err.to_string(),
                        typed: form,
                    },
                ),
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
