//! Rooms' funding (工作经费, R16): each room's budget line of a year in its town/street's budget, the
//! spending against it, and the overview of a scope with the rooms that have no line yet. Entered once
//! by the town/street or the district; summaries read it from here.

use chrono::NaiveDate;
use domain::authz::Role;
use domain::calendar::Year;
use domain::funding::{self, FundingTotals, Spending, SpendingInput};
pub use store::funding::FundingBase;
use store::funding::FundingRecord;

use crate::access::{Acting, forbidden, not_visible, room_place};
use crate::{App, AppError, Room};

/// A room's line of a year as the caller may see it.
#[derive(Debug, Clone)]
pub struct FundingView {
    pub room: Room,
    pub year: i32,
    /// `None` while no line was entered for the year.
    pub budget_fen: Option<i64>,
    pub spent: Vec<Spending>,
    pub totals: FundingTotals,
    pub updated: Option<(chrono::DateTime<chrono::Utc>, String)>,
    /// Whether the caller enters it (the town/street lead, the district).
    pub may_keep: bool,
}

/// One room on the overview.
#[derive(Debug, Clone)]
pub struct FundingRow {
    pub room: Room,
    pub budget_fen: Option<i64>,
    pub spent_fen: i64,
}

/// A scope's funding of a year.
#[derive(Debug, Clone)]
pub struct FundingOverview {
    pub year: i32,
    pub rows: Vec<FundingRow>,
    pub budget_fen: i64,
    pub spent_fen: i64,
    /// Open rooms without a budget line this year.
    pub without_budget: usize,
}

/// A line as submitted.
#[derive(Debug, Clone)]
pub struct FundingInput {
    pub budget_yuan: f64,
    pub spent: Vec<SpendingInput>,
    /// What the editor read: pages always say; an API caller may leave it out (last write wins).
    pub base: FundingBase,
}

fn view_of(room: Room, year: i32, record: Option<FundingRecord>, may_keep: bool) -> FundingView {
    let (budget_fen, spent, updated) = match record {
        Some(r) => (Some(r.budget_fen), r.spent, Some((r.updated_at, r.updated_by))),
        None => (None, Vec::new(), None),
    };
    FundingView {
        totals: funding::totals(budget_fen.unwrap_or(0), &spent),
        room,
        year,
        budget_fen,
        spent,
        updated,
        may_keep,
    }
}

impl App {
    /// Whether the caller reads funding at all (the workbench links it).
    pub fn sees_funding(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => matches!(
                actor.role,
                Role::CityOffice | Role::DistrictStaff | Role::StreetLead
            ),
        }
    }

    fn reads_funding(acting: &Acting, room: &Room) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => funding::may_read(actor, &room_place(room)),
        }
    }

    fn keeps_funding(acting: &Acting, room: &Room) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => funding::may_keep(actor, &room_place(room)),
        }
    }

    async fn funding_room(&self, acting: &Acting, room_id: i64, year: i32) -> Result<Room, AppError> {
        Year::of_records(year, self.clock().today())?;
        let scope = acting.scope();
        let room = self
            .store()
            .room(room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        if !Self::reads_funding(acting, &room) {
            return Err(forbidden());
        }
        Ok(room)
    }

    /// A room's line of `year` with its sums.
    pub async fn room_funding(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
    ) -> Result<FundingView, AppError> {
        let room = self.funding_room(acting, room_id, year).await?;
        let record = self.store().room_funding(room.id, year).await?;
        let may_keep = Self::keeps_funding(acting, &room);
        Ok(view_of(room, year, record, may_keep))
    }

    /// Saves a room's line of `year` (budget and the whole spending list); nothing is written when any
    /// part is wrong.
    pub async fn save_room_funding(
        &self,
        acting: &Acting,
        room_id: i64,
        year: i32,
        input: &FundingInput,
    ) -> Result<FundingView, AppError> {
        let room = self.funding_room(acting, room_id, year).await?;
        if !Self::keeps_funding(acting, &room) {
            return Err(AppError::Forbidden(
                "工作室经费列入镇（街）年度预算，由镇（街）负责人或区政协登记".into(),
            ));
        }
        let line = funding::check_funding(year, input.budget_yuan, &input.spent, self.clock().today())
            .map_err(|err| AppError::invalid(err.field, err.message))?;
        let saved = self
            .store()
            .save_room_funding(&acting.who(), &room, year, &line, input.base, self.clock().now())
            .await?;
        if !saved {
            return Err(AppError::Conflict(
                "这个工作室的经费刚被他人修改：请刷新页面，核对后再保存".into(),
            ));
        }
        self.room_funding(acting, room_id, year).await
    }

    /// The funding of every room in the caller's scope for `year`, the rooms without a line counted.
    pub async fn funding_overview(&self, acting: &Acting, year: i32) -> Result<FundingOverview, AppError> {
        Year::of_records(year, self.clock().today())?;
        if !Self::sees_funding(acting) {
            return Err(AppError::Forbidden(
                "工作室经费由镇（街）、区政协和市政协办公厅查看".into(),
            ));
        }
        let scope = acting.scope();
        let rooms = self.store().rooms_in_scope(&scope).await?;
        let records = self.store().funding_in_scope(&scope, year).await?;
        Ok(overview_of(year, rooms, &records))
    }
}

/// The overview from a scope's rooms and lines: open rooms, and closed ones that still have a line.
pub(crate) fn overview_of(year: i32, rooms: Vec<Room>, records: &[FundingRecord]) -> FundingOverview {
    let rows: Vec<FundingRow> = rooms
        .into_iter()
        .filter_map(|room| {
            let record = records.iter().find(|r| r.room_id == room.id);
            (room.open || record.is_some()).then(|| FundingRow {
                budget_fen: record.map(|r| r.budget_fen),
                spent_fen: record.map_or(0, |r| r.spent.iter().map(|s| s.amount_fen).sum()),
                room,
            })
        })
        .collect();
    FundingOverview {
        year,
        budget_fen: rows.iter().filter_map(|r| r.budget_fen).sum(),
        spent_fen: rows.iter().map(|r| r.spent_fen).sum(),
        without_budget: rows
            .iter()
            .filter(|r| r.room.open && r.budget_fen.is_none())
            .count(),
        rows,
    }
}

/// A spending line's date typed in a form.
pub fn parse_spending_date(raw: &str, n: usize) -> Result<Option<NaiveDate>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::invalid("spent", format!("第 {n} 笔支出的日期“{raw}”应写作 2026-03-01")))
}
