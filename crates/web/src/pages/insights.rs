//! Concentrated opinions on a page (集中反映的意见, X6): the year's groups of similar opinions in the
//! caller's rooms, each with a draft 社情民意信息 the member edits here and downloads as a Word document.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use app::insights::ConcentratedOpinions;
use domain::authz::Scope;

use super::activities::{YearOnly, parse_year};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "opinions/insights.html")]
pub(super) struct InsightsPage {
    page: PageContext,
    year: i32,
    groups: Vec<ConcentratedOpinions>,
    /// Staff open the cases behind a group; members see the group's words (they act on their own cases).
    links_cases: bool,
    /// Members save a group's draft as a proposal or 社情民意信息 linked to its cases (R13.4).
    saves_drafts: bool,
}

pub(super) async fn insights(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<YearOnly>,
) -> Result<InsightsPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let acting = caller.acting();
    let groups = state
        .app
        .concentrated_opinions(&acting, year)
        .await
        .map_err(fail)?;
    Ok(InsightsPage {
        links_cases: !matches!(acting.scope(), Scope::Member { .. }),
        saves_drafts: app::App::writes_proposals(&acting),
        page,
        year,
        groups,
    })
}

#[derive(Deserialize, Default)]
pub(super) struct DraftForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

pub(super) async fn draft_docx(
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<DraftForm>,
) -> Result<Response, PageError> {
    let bytes = app::App::social_report_docx(&caller.acting(), &form.title, &form.text)
        .map_err(|err| PageError::new(page, err))?;
    Ok(crate::download::docx("social-report.docx", bytes))
}
