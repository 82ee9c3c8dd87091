//! A room's funding (工作经费, R16): a line in its town/street's annual budget (镇（街）年度预算) — the
//! amount budgeted for a year and what was spent, by category and date. Amounts are kept in fen (分)
//! so sums are exact; what a line may hold and who keeps it are decided here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::authz::{Actor, Place, Role};
use crate::text;

/// The largest amount one line or one budget may hold, in yuan (a room's budget is tens of thousands).
pub const MAX_YUAN: f64 = 100_000_000.0;
/// Most spending lines one room keeps in a year.
pub const MAX_LINES: usize = 500;
/// Longest note of a spending line, in characters.
pub const NOTE_MAX: usize = 200;

/// What money was spent on (支出类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendingCategory {
    /// 场地
    Venue,
    /// 设备
    Equipment,
    /// 宣传
    Publicity,
    /// 活动
    Activities,
    /// 办公
    Office,
    /// 其他
    Other,
}

impl SpendingCategory {
    pub const ALL: [Self; 6] = [
        Self::Venue,
        Self::Equipment,
        Self::Publicity,
        Self::Activities,
        Self::Office,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Venue => "venue",
            Self::Equipment => "equipment",
            Self::Publicity => "publicity",
            Self::Activities => "activities",
            Self::Office => "office",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Venue => "场地",
            Self::Equipment => "设备",
            Self::Publicity => "宣传",
            Self::Activities => "活动",
            Self::Office => "办公",
            Self::Other => "其他",
        }
    }
}

/// Yuan as typed (a JSON number or a form's text) to fen: not negative, at most two decimals and at
/// most [`MAX_YUAN`].
pub fn fen_from_yuan(yuan: f64, field: &'static str, what: &str) -> Result<i64, FieldError> {
    if !yuan.is_finite() || yuan < 0.0 {
        return Err(FieldError::new(field, format!("{what}不能为负数")));
    }
    if yuan > MAX_YUAN {
        return Err(FieldError::new(field, format!("{what}超过 1 亿元，请核对")));
    }
    let fen = (yuan * 100.0).round();
    if (fen - yuan * 100.0).abs() > 1e-6 {
        return Err(FieldError::new(field, format!("{what}最多精确到分（两位小数）")));
    }
    // Bounded above by MAX_YUAN × 100, so the cast cannot overflow.
    #[expect(clippy::cast_possible_truncation, reason = "bounded by MAX_YUAN above")]
    Ok(fen as i64)
}

/// Text typed in a form (`12,345.60`, `12345.6`, `１２３４５`) to yuan.
pub fn parse_yuan(raw: &str, field: &'static str, what: &str) -> Result<f64, FieldError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            other => other,
        })
        .filter(|c| *c != ',' && *c != '，' && *c != '元' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Err(FieldError::new(field, format!("请填写{what}")));
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("{what}“{}”不是金额，应写作 12000 或 12000.50", raw.trim()),
            )
        })
}

/// Fen as yuan with two decimals and thousands separators: 1234567 → "12,345.67".
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

/// A spending line as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendingInput {
    pub date: Option<NaiveDate>,
    pub amount_yuan: f64,
    pub category: String,
    pub note: String,
}

/// A checked spending line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spending {
    pub date: NaiveDate,
    pub amount_fen: i64,
    pub category: SpendingCategory,
    pub note: String,
}

/// A room's checked line for a year: the budget and what was spent, in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLine {
    pub budget_fen: i64,
    pub spent: Vec<Spending>,
}

/// Checks a year's line: the budget in yuan, and each spending dated in that year and not after
/// `today`, with a positive amount, a known category and a one-line note.
pub fn check_funding(
    year: i32,
    budget_yuan: f64,
    spent: &[SpendingInput],
    today: NaiveDate,
) -> Result<FundingLine, FieldError> {
    let budget_fen = fen_from_yuan(budget_yuan, "budget", "预算金额")?;
    if spent.len() > MAX_LINES {
        return Err(FieldError::new(
            "spent",
            format!("一年最多登记 {MAX_LINES} 笔支出"),
        ));
    }
    let mut lines = spent
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let n = index + 1;
            let date = s
                .date
                .ok_or_else(|| FieldError::new("spent", format!("第 {n} 笔支出没有日期")))?;
            if date.year() != year {
                return Err(FieldError::new(
                    "spent",
                    format!("第 {n} 笔支出的日期 {date} 不在 {year} 年"),
                ));
            }
            if date > today {
                return Err(FieldError::new(
                    "spent",
                    format!("第 {n} 笔支出的日期 {date} 晚于今天：支出发生后再登记"),
                ));
            }
            let amount_fen = fen_from_yuan(s.amount_yuan, "spent", &format!("第 {n} 笔支出的金额"))?;
            if amount_fen == 0 {
                return Err(FieldError::new("spent", format!("第 {n} 笔支出的金额应大于 0")));
            }
            let category = SpendingCategory::parse(s.category.trim()).ok_or_else(|| {
                FieldError::new(
                    "spent",
                    format!(
                        "第 {n} 笔支出的类别“{}”不认识：应为场地、设备、宣传、活动、办公或其他",
                        s.category.trim()
                    ),
                )
            })?;
            let note = if s.note.trim().is_empty() {
                String::new()
            } else {
                text::single_line(&s.note, NOTE_MAX)
                    .map_err(|err| FieldError::new("spent", format!("第 {n} 笔支出的说明{err}")))?
            };
            Ok(Spending {
                date,
                amount_fen,
                category,
                note,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    lines.sort_by_key(|s| s.date);
    Ok(FundingLine {
        budget_fen,
        spent: lines,
    })
}

/// A line's sums: spent in all, by category (in the categories' order, only those used), and what is
/// left (negative when overspent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingTotals {
    pub spent_fen: i64,
    pub by_category: Vec<(SpendingCategory, i64)>,
    pub balance_fen: i64,
}

pub fn totals(budget_fen: i64, spent: &[Spending]) -> FundingTotals {
    let spent_fen = spent.iter().map(|s| s.amount_fen).sum();
    let by_category = SpendingCategory::ALL
        .into_iter()
        .filter_map(|c| {
            let sum: i64 = spent
                .iter()
                .filter(|s| s.category == c)
                .map(|s| s.amount_fen)
                .sum();
            (sum > 0).then_some((c, sum))
        })
        .collect();
    FundingTotals {
        spent_fen,
        by_category,
        balance_fen: budget_fen - spent_fen,
    }
}

/// Who reads a room's funding: the town/street lead over it, its district and the city general
/// office. Never the public, members or departments.
pub fn may_read(actor: &Actor, room: &Place) -> bool {
    match actor.role {
        Role::CityOffice => true,
        Role::DistrictStaff | Role::StreetLead => room.room_id.is_some() && actor.scope.covers(room),
        _ => false,
    }
}

/// Who enters it: the town/street lead (the budget is the street's) and the district. Entered once
/// there; summaries and dashboards read it.
pub fn may_keep(actor: &Actor, room: &Place) -> bool {
    matches!(actor.role, Role::DistrictStaff | Role::StreetLead)
        && room.room_id.is_some()
        && actor.scope.covers(room)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn spend(date: Option<NaiveDate>, amount: f64, category: &str) -> SpendingInput {
        SpendingInput {
            date,
            amount_yuan: amount,
            category: category.into(),
            note: String::new(),
        }
    }

    #[test]
    fn amounts_are_exact_to_the_fen() {
        assert_eq!(fen_from_yuan(12345.67, "budget", "预算").unwrap(), 1_234_567);
        assert_eq!(fen_from_yuan(0.1 + 0.2, "budget", "预算").unwrap(), 30);
        assert!(fen_from_yuan(-1.0, "budget", "预算").is_err());
        assert!(fen_from_yuan(1.005, "budget", "预算").is_err());
        assert!(fen_from_yuan(f64::NAN, "budget", "预算").is_err());
        assert!(fen_from_yuan(2e8, "budget", "预算").is_err());
        assert_eq!(format_yuan(1_234_567), "12,345.67");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(format_yuan(-100_000), "-1,000.00");
        let typed = parse_yuan("１２,０００．５元", "budget", "预算").unwrap();
        assert_eq!(fen_from_yuan(typed, "budget", "预算").unwrap(), 1_200_050);
        assert!(parse_yuan("很多", "budget", "预算").is_err());
    }

    #[test]
    fn a_line_checks_each_spending_and_sums_by_category() {
        let today = day(11, 30);
        let line = check_funding(
            2026,
            50_000.0,
            &[
                spend(Some(day(9, 1)), 1200.5, "equipment"),
                spend(Some(day(3, 1)), 800.0, "venue"),
                spend(Some(day(10, 1)), 99.5, "equipment"),
            ],
            today,
        )
        .unwrap();
        assert_eq!(line.spent[0].date, day(3, 1), "in date order");
        let sums = totals(line.budget_fen, &line.spent);
        assert_eq!(sums.spent_fen, 210_000);
        assert_eq!(
            sums.by_category,
            vec![
                (SpendingCategory::Venue, 80_000),
                (SpendingCategory::Equipment, 130_000)
            ]
        );
        assert_eq!(sums.balance_fen, 5_000_000 - 210_000);
        for (bad, says) in [
            (spend(None, 1.0, "venue"), "没有日期"),
            (spend(Some(day(12, 1)), 1.0, "venue"), "晚于今天"),
            (
                spend(NaiveDate::from_ymd_opt(2025, 5, 1), 1.0, "venue"),
                "不在 2026 年",
            ),
            (spend(Some(day(5, 1)), 0.0, "venue"), "大于 0"),
            (spend(Some(day(5, 1)), -3.0, "venue"), "负数"),
            (spend(Some(day(5, 1)), 3.0, "snacks"), "不认识"),
        ] {
            let err = check_funding(2026, 100.0, &[bad], today).unwrap_err();
            assert!(err.message.contains(says), "{}", err.message);
        }
        assert_eq!(check_funding(2026, -5.0, &[], today).unwrap_err().field, "budget");
    }
}
