//! The year (年度) a calendar, a ledger, a summary or a score sheet is asked for: one rule for what
//! counts as a year, wherever it is typed.

use chrono::{Datelike, NaiveDate};

/// A year the regulation can apply to: never before 2019 (it took effect on 2019-10-31), never past
/// 2100 (the range the calendar and holiday files are checked for). Built only through
/// [`Year::new`] or [`Year::of_records`], so its first and last days always exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

/// Why a year was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    #[error("年份应为 4 位数字")]
    NotANumber,
    /// Before the regulation or past `last`.
    #[error("年份应在 {first}–{last} 之间（规范自 2019-10-31 起施行）", first = Year::FIRST)]
    OutOfRange { last: i32 },
}

impl Year {
    /// The year the regulation took effect.
    pub const FIRST: i32 = 2019;
    /// The furthest year a calendar is computed for.
    pub const LAST: i32 = 2100;

    /// A year of the calendar: 2019 to 2100.
    pub fn new(value: i32) -> Result<Self, YearError> {
        Self::within(value, Self::LAST)
    }

    /// A year of records (activities, duty, ledgers, summaries, insights): 2019 to next year, since
    /// nothing is recorded further ahead than that.
    pub fn of_records(value: i32, today: NaiveDate) -> Result<Self, YearError> {
        Self::within(value, today.year() + 1)
    }

    fn within(value: i32, last: i32) -> Result<Self, YearError> {
        if (Self::FIRST..=last.min(Self::LAST)).contains(&value) {
            Ok(Self(value))
        } else {
            Err(YearError::OutOfRange {
                last: last.min(Self::LAST),
            })
        }
    }

    /// The number typed in a form or a path, before the range is checked.
    pub fn number(raw: &str) -> Result<i32, YearError> {
        raw.parse().map_err(|_| YearError::NotANumber)
    }

    pub fn value(self) -> i32 {
        self.0
    }

    /// 1 January and 31 December.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        (self.first_day(), self.last_day())
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 1, 1).expect("a year in 2019–2100 has a 1 January")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 12, 31).expect("a year in 2019–2100 has a 31 December")
    }
}

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn calendar_years_run_from_the_regulation_to_2100() {
        assert_eq!(Year::new(2019).map(Year::value), Ok(2019));
        assert_eq!(Year::new(2100).map(Year::value), Ok(2100));
        let refused = Year::new(2018).unwrap_err();
        assert_eq!(refused, YearError::OutOfRange { last: 2100 });
        assert_eq!(
            refused.to_string(),
            "年份应在 2019–2100 之间（规范自 2019-10-31 起施行）"
        );
        assert!(Year::new(2101).is_err());
        assert!(Year::new(i32::MAX).is_err());
    }

    #[test]
    fn records_reach_no_further_than_next_year() {
        let today = date("2026-11-30");
        assert!(Year::of_records(2027, today).is_ok());
        assert_eq!(
            Year::of_records(2028, today),
            Err(YearError::OutOfRange { last: 2027 })
        );
        assert!(Year::of_records(2018, today).is_err());
    }

    #[test]
    fn typed_years_are_numbers() {
        assert_eq!(Year::number("2026"), Ok(2026));
        assert_eq!(Year::number(" 2026"), Err(YearError::NotANumber));
        assert_eq!(Year::number("abc"), Err(YearError::NotANumber));
        assert_eq!(Year::number(""), Err(YearError::NotANumber));
        assert_eq!(YearError::NotANumber.to_string(), "年份应为 4 位数字");
    }

    #[test]
    fn a_year_spans_its_first_and_last_day() {
        let year = Year::new(2024).unwrap();
        assert_eq!(year.bounds(), (date("2024-01-01"), date("2024-12-31")));
    }
}
