//! A room's ledgers on a page (台账, R14): the four ledgers of a year with their row counts, and each as
//! the .xlsx an office keeps.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;

use app::Room;
use domain::ledger::{ContactView, LedgerKind};

use super::activities::{YearOnly, parse_year};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::layout::PageContext;

/// One ledger as the page lists it.
pub(super) struct LedgerLine {
    kind: LedgerKind,
    rows: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "rooms/ledgers.html")]
pub(super) struct LedgersPage {
    page: PageContext,
    room: Room,
    year: i32,
    ledgers: Vec<LedgerLine>,
    contacts_note: &'static str,
}

fn contacts_note(view: ContactView) -> &'static str {
    match view {
        ContactView::Full => "群众来访登记中的联系人和电话完整显示；每次查看或下载均记入审计日志。",
        ContactView::Masked => "群众来访登记中的联系人只显示姓氏，电话中间四位隐去。",
        ContactView::Withheld => "群众来访登记不向委员显示来访群众的联系方式。",
    }
}

/// The four ledgers of a room and year.
pub(super) async fn ledgers(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    Query(query): Query<YearOnly>,
) -> Result<LedgersPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let overview = state
        .app
        .room_ledgers(&caller.acting(), id, year)
        .await
        .map_err(fail)?;
    Ok(LedgersPage {
        contacts_note: contacts_note(overview.contacts),
        ledgers: overview
            .ledgers
            .into_iter()
            .map(|(kind, rows)| LedgerLine { kind, rows })
            .collect(),
        room: overview.room,
        year,
        page,
    })
}

/// One ledger as .xlsx: `/admin/rooms/{id}/ledgers/{kind}.xlsx?year=`.
pub(super) async fn download(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath((id, file)): PagePath<(i64, String)>,
    Query(query): Query<YearOnly>,
) -> Result<Response, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let kind = file
        .strip_suffix(".xlsx")
        .ok_or_else(|| app::AppError::NotFound("台账以 .xlsx 下载，如 work.xlsx".into()))
        .and_then(crate::api::parse_ledger_kind)
        .map_err(fail)?;
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let (ledger, bytes) = state
        .app
        .room_ledger_xlsx(&caller.acting(), id, kind, year)
        .await
        .map_err(fail)?;
    Ok(crate::download::xlsx(&ledger.file_name(), bytes))
}
