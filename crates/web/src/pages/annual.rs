//! Annual summaries on pages (年度工作总结, R14): the city's overview of all eleven districts with
//! days left and late ones marked, and one summary with its figures, the district's text to write and
//! submit, and the city's receive or return. What the caller may do comes from `app`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::AppError;
use app::annual::{SummaryListing, SummaryView};
use domain::annual::{SummaryStatus, SummaryStep, TEXT_OUTLINE};

use super::activities::{YearOnly, parse_year};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, status_of};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "office/annual_summaries.html")]
pub(super) struct SummariesPage {
    page: PageContext,
    year: i32,
    rows: Vec<SummaryListing>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<YearOnly>,
) -> Result<SummariesPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let rows = state
        .app
        .annual_summaries(&caller.acting(), year)
        .await
        .map_err(fail)?;
    Ok(SummariesPage { page, year, rows })
}

#[derive(Template, WebTemplate)]
#[template(path = "office/annual_summary.html")]
pub(super) struct SummaryPage {
    page: PageContext,
    view: SummaryView,
    /// Part one as the document will read, from the figures.
    figures_text: Vec<String>,
    /// What the editor shows: the saved text, or the outline to start from.
    editor_text: String,
    may_save: bool,
    may_submit: bool,
    may_review: bool,
    error: String,
}

impl SummaryPage {
    fn new(page: PageContext, view: SummaryView, error: String, typed: Option<String>) -> Self {
        let figures_text = domain::annual::figures_section(&view.figures)
            .lines()
            .map(str::to_owned)
            .collect();
        let editor_text = typed.unwrap_or_else(|| {
            if view.text.trim().is_empty() {
                TEXT_OUTLINE.to_owned()
            } else {
                view.text.clone()
            }
        });
        Self {
            may_save: view.actions.contains(&SummaryStep::SaveText),
            may_submit: view.actions.contains(&SummaryStep::Submit),
            may_review: view.actions.contains(&SummaryStep::Receive),
            page,
            view,
            figures_text,
            editor_text,
            error,
        }
    }

    fn returned(&self) -> bool {
        self.view.listing.status == SummaryStatus::Returned
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath((code, year)): PagePath<(String, i32)>,
) -> Result<SummaryPage, PageError> {
    let view = state
        .app
        .annual_summary(&caller.acting(), &code, year)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(SummaryPage::new(page, view, String::new(), None))
}

#[derive(Deserialize, Default)]
pub(super) struct SummaryForm {
    /// `save`, `submit`, `receive` or `return`.
    #[serde(default)]
    step: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reason: String,
}

/// One form for the four steps: success goes back to the summary, a refusal shows it again with the
/// message and what was typed.
pub(super) async fn act(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath((code, year)): PagePath<(String, i32)>,
    CsrfForm(form): CsrfForm<SummaryForm>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let outcome = match form.step.as_str() {
        "save" => app.save_annual_text(&acting, &code, year, &form.text).await,
        "submit" => {
            // What is in the editor is saved first, so nothing typed is lost.
            match app.save_annual_text(&acting, &code, year, &form.text).await {
                Ok(_) => app.submit_annual_summary(&acting, &code, year).await,
                Err(err) => Err(err),
            }
        }
        "receive" => app.receive_annual_summary(&acting, &code, year).await,
        "return" => {
            app.return_annual_summary(&acting, &code, year, &form.reason)
                .await
        }
        _ => Err(AppError::invalid("step", "不认识的操作")),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/annual-summaries/{code}/{year}")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = status_of(&err);
            match app.annual_summary(&acting, &code, year).await {
                Ok(view) => {
                    let typed = (form.step == "save" || form.step == "submit").then(|| form.text.clone());
                    (status, SummaryPage::new(page, view, err.to_string(), typed)).into_response()
                }
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
