//! Rooms' funding on pages (工作经费, R16): the overview of a scope with the rooms that have no budget
//! line, and a room's line with its spending, which the town/street lead or the district edits in one
//! form (the existing lines and five empty ones; the whole list is saved at once).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use app::AppError;
use app::funding::{FundingBase, FundingInput, FundingOverview, FundingView, parse_spending_date};
use domain::funding::{MAX_LINES, SpendingCategory, SpendingInput, format_yuan, parse_yuan};

use super::activities::{YearOnly, parse_year};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

/// Empty rows offered below the stored ones.
const EMPTY_ROWS: usize = 5;

#[derive(Template, WebTemplate)]
#[template(path = "office/funding.html")]
pub(super) struct OverviewPage {
    page: PageContext,
    view: FundingOverview,
}

impl OverviewPage {
    #[expect(
        clippy::unused_self,
        clippy::trivially_copy_pass_by_ref,
        reason = "called from the template, which passes references"
    )]
    fn yuan(&self, fen: &i64) -> String {
        format_yuan(*fen)
    }
}

pub(super) async fn overview(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<YearOnly>,
) -> Result<OverviewPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let view = state
        .app
        .funding_overview(&caller.acting(), year)
        .await
        .map_err(fail)?;
    Ok(OverviewPage { page, view })
}

/// One spending row of the form.
pub(super) struct LineRow {
    n: usize,
    date: String,
    amount: String,
    category: String,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/room_funding.html")]
pub(super) struct RoomPage {
    page: PageContext,
    view: FundingView,
    budget: String,
    lines: Vec<LineRow>,
    categories: Vec<(&'static str, &'static str)>,
    error: String,
    saved: bool,
}

impl RoomPage {
    /// The last save the form is based on, exactly as stored (empty while there is no line).
    fn based_on(&self) -> String {
        self.view.updated.as_ref().map_or_else(String::new, |(at, _)| {
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        })
    }

    #[expect(
        clippy::unused_self,
        clippy::trivially_copy_pass_by_ref,
        reason = "called from the template, which passes references"
    )]
    fn yuan(&self, fen: &i64) -> String {
        format_yuan(*fen)
    }

    fn new(
        page: PageContext,
        view: FundingView,
        typed: Option<&HashMap<String, String>>,
        error: String,
        saved: bool,
    ) -> Self {
        let plain = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
        let (budget, mut lines) = match typed {
            Some(form) => {
                let get = |k: String| form.get(&k).cloned().unwrap_or_default();
                let rows = row_count(form);
                (
                    get("budget".into()),
                    (1..=rows)
                        .map(|n| LineRow {
                            n,
                            date: get(format!("line_{n}_date")),
                            amount: get(format!("line_{n}_amount")),
                            category: get(format!("line_{n}_category")),
                            note: get(format!("line_{n}_note")),
                        })
                        .collect::<Vec<_>>(),
                )
            }
            None => (
                view.budget_fen.map(plain).unwrap_or_default(),
                view.spent
                    .iter()
                    .enumerate()
                    .map(|(i, s)| LineRow {
                        n: i + 1,
                        date: s.date.to_string(),
                        amount: plain(s.amount_fen),
                        category: s.category.as_str().to_owned(),
                        note: s.note.clone(),
                    })
                    .collect(),
            ),
        };
        if typed.is_none() {
            let next = lines.len();
            lines.extend((1..=EMPTY_ROWS).map(|k| LineRow {
                n: next + k,
                date: String::new(),
                amount: String::new(),
                category: String::new(),
                note: String::new(),
            }));
        }
        Self {
            page,
            view,
            budget,
            lines,
            categories: SpendingCategory::ALL
                .iter()
                .map(|c| (c.as_str(), c.label_zh()))
                .collect(),
            error,
            saved,
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct RoomQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    saved: String,
}

pub(super) async fn room(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    Query(query): Query<RoomQuery>,
) -> Result<RoomPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let view = state
        .app
        .room_funding(&caller.acting(), id, year)
        .await
        .map_err(fail)?;
    Ok(RoomPage::new(
        page,
        view,
        None,
        String::new(),
        !query.saved.is_empty(),
    ))
}

/// How many spending rows the form sent (bounded, so a forged count costs nothing).
fn row_count(form: &HashMap<String, String>) -> usize {
    form.get("rows")
        .and_then(|r| r.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_LINES + EMPTY_ROWS)
}

fn funding_input(form: &HashMap<String, String>) -> Result<FundingInput, AppError> {
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    let budget =
        parse_yuan(get("budget"), "budget", "预算金额").map_err(|e| AppError::invalid(e.field, e.message))?;
    let mut spent = Vec::new();
    for n in 1..=row_count(form) {
        let date = get(&format!("line_{n}_date"));
        let amount = get(&format!("line_{n}_amount"));
        let category = get(&format!("line_{n}_category"));
        let note = get(&format!("line_{n}_note"));
        // A row left wholly empty is no spending.
        if [date, amount, category, note].iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let index = spent.len() + 1;
        spent.push(SpendingInput {
            date: parse_spending_date(date, index)?,
            amount_yuan: parse_yuan(amount, "spent", &format!("第 {index} 笔支出的金额"))
                .map_err(|e| AppError::invalid(e.field, e.message))?,
            category: category.to_owned(),
            note: note.to_owned(),
        });
    }
    // The page always says what it showed: the line's last save, or none yet.
    let base = match get("based_on").trim() {
        "" => FundingBase::Fresh,
        raw => FundingBase::SavedAt(
            chrono::DateTime::parse_from_rfc3339(raw)
                .map_err(|_| AppError::invalid("based_on", "页面已过期，请刷新后再保存"))?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(FundingInput {
        budget_yuan: budget,
        spent,
        base,
    })
}

pub(super) async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let year = match parse_year(form.get("year").map(String::as_str), app.clock().today()) {
        Ok(year) => year,
        Err(err) => return PageError::new(page, err).into_response(),
    };
    let outcome = match funding_input(&form) {
        Ok(input) => app.save_room_funding(&acting, id, year, &input).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/admin/rooms/{id}/funding?year={year}&saved=1")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            match app.room_funding(&acting, id, year).await {
                Ok(view) => form_again(
                    &err,
                    RoomPage::new(page, view, Some(&form), err.to_string(), false),
                ),
                Err(other) => PageError::new(page, other).into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
