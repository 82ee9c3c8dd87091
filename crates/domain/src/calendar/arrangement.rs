//! The State Council's yearly holiday arrangement (国务院办公厅关于…部分节假日安排的通知) as a data file,
//! `data/holidays/YYYY.toml`, checked before anything is stored: a file that contradicts itself is refused
//! with the line that is wrong.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;

/// One year's official arrangement: the days off of each festival and the adjusted working days (调休上班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub year: i32,
    pub notice_title: String,
    pub notice_number: Option<String>,
    pub notice_date: Option<NaiveDate>,
    /// Later notices that changed this year's arrangement (e.g. the 2020 Spring Festival extension).
    pub amendment_titles: Vec<String>,
    pub festivals: Vec<Festival>,
}

/// One festival's holiday period (放假) and the weekend days worked in exchange (调休上班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Festival {
    pub name: String,
    pub holidays: Vec<NaiveDate>,
    pub workdays: Vec<NaiveDate>,
}

/// Whether an official date is a day off or an adjusted working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficialKind {
    Holiday,
    Workday,
}

impl OfficialKind {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 2] = [Self::Holiday, Self::Workday];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::Workday => "workday",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "holiday" => Some(Self::Holiday),
            "workday" => Some(Self::Workday),
            _ => None,
        }
    }
}

/// Why an arrangement file was refused, with the line (1-based) where the problem is when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ArrangementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "第 {line} 行：{}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ArrangementError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArrangement {
    year: Spanned<i64>,
    notice_title: Spanned<String>,
    notice_number: Option<String>,
    notice_date: Option<Spanned<String>>,
    #[serde(default)]
    amendment_titles: Vec<String>,
    #[allow(dead_code)]
    amendment_notes: Option<String>,
    #[serde(default)]
    festival: Vec<RawFestival>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFestival {
    name: Spanned<String>,
    holidays: Vec<Spanned<String>>,
    #[serde(default)]
    workdays: Vec<Spanned<String>>,
}

/// The earliest and latest years an arrangement may be for.
const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

impl Arrangement {
    /// Parses and checks a `data/holidays/YYYY.toml` file.
    pub fn parse_toml(text: &str) -> Result<Self, ArrangementError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let at = |span: std::ops::Range<usize>, message: String| ArrangementError {
            line: Some(line_of(span.start)),
            message,
        };
        let raw: RawArrangement = toml::from_str(text).map_err(|err| ArrangementError {
            line: err.span().map(|span| line_of(span.start)),
            message: format!("文件格式有误：{}", err.message()),
        })?;
        let year_value = *raw.year.get_ref();
        if !YEARS.contains(&year_value) {
            return Err(at(
                raw.year.span(),
                format!("年份 {year_value} 不在 2000–2100 之间"),
            ));
        }
        let year = i32::try_from(year_value).expect("checked range");
        let title = raw.notice_title.get_ref().trim().to_owned();
        if title.is_empty() {
            return Err(at(raw.notice_title.span(), "通知标题不能为空".to_owned()));
        }
        if !title.contains(&year.to_string()) {
            return Err(at(
                raw.notice_title.span(),
                format!("通知标题「{title}」与年份 {year} 不符"),
            ));
        }
        let notice_date = match &raw.notice_date {
            Some(value) => Some(parse_date(value).map_err(|message| at(value.span(), message))?),
            None => None,
        };
        if raw.festival.is_empty() {
            return Err(ArrangementError {
                line: None,
                message: "没有任何节日（[[festival]]）".to_owned(),
            });
        }
        // Each date once in the whole file: a day cannot be both off and worked, nor listed twice.
        let mut seen: BTreeMap<NaiveDate, (OfficialKind, String)> = BTreeMap::new();
        let mut festivals = Vec::with_capacity(raw.festival.len());
        for festival in &raw.festival {
            let name = festival.name.get_ref().trim().to_owned();
            if name.is_empty() || name.chars().count() > 20 || name.chars().any(char::is_control) {
                return Err(at(festival.name.span(), "节日名称应为 1–20 个字".to_owned()));
            }
            if festival.holidays.is_empty() {
                return Err(at(festival.name.span(), format!("{name}没有放假日期")));
            }
            let mut holidays = Vec::new();
            let mut workdays = Vec::new();
            for (kind, values) in [
                (OfficialKind::Holiday, &festival.holidays),
                (OfficialKind::Workday, &festival.workdays),
            ] {
                for value in values {
                    let date = parse_date(value).map_err(|message| at(value.span(), message))?;
                    if !belongs_to_year(date, year) {
                        return Err(at(
                            value.span(),
                            format!("{date} 不属于 {year} 年的安排（只允许上一年 12 月最后一周的元旦假期）"),
                        ));
                    }
                    if kind == OfficialKind::Workday && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
                    {
                        return Err(at(
                            value.span(),
                            format!("{date} 是{}，调休上班日应为周六或周日", weekday_zh(date)),
                        ));
                    }
                    if let Some((earlier, earlier_festival)) = seen.get(&date) {
                        let message = if *earlier == kind {
                            format!("{date} 重复列出（已在{earlier_festival}中）")
                        } else {
                            format!("{date} 既是放假日又是上班日（另见{earlier_festival}）")
                        };
                        return Err(at(value.span(), message));
                    }
                    seen.insert(date, (kind, name.clone()));
                    match kind {
                        OfficialKind::Holiday => holidays.push(date),
                        OfficialKind::Workday => workdays.push(date),
                    }
                }
            }
            holidays.sort_unstable();
            workdays.sort_unstable();
            festivals.push(Festival {
                name,
                holidays,
                workdays,
            });
        }
        Ok(Self {
            year,
            notice_title: title,
            notice_number: raw
                .notice_number
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            notice_date,
            amendment_titles: raw.amendment_titles,
            festivals,
        })
    }

    /// Every official date of this arrangement with its kind and festival, in date order.
    pub fn days(&self) -> Vec<(NaiveDate, OfficialKind, &str)> {
        let mut days: Vec<(NaiveDate, OfficialKind, &str)> = self
            .festivals
            .iter()
            .flat_map(|f| {
                f.holidays
                    .iter()
                    .map(|d| (*d, OfficialKind::Holiday, f.name.as_str()))
                    .chain(
                        f.workdays
                            .iter()
                            .map(|d| (*d, OfficialKind::Workday, f.name.as_str())),
                    )
            })
            .collect();
        days.sort_unstable_by_key(|(date, _, _)| *date);
        days
    }
}

fn parse_date(value: &Spanned<String>) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.get_ref().trim(), "%Y-%m-%d")
        .map_err(|_| format!("「{}」不是 YYYY-MM-DD 格式的有效日期", value.get_ref()))
}

/// A year's arrangement covers that year, plus a New Year period that may start in the last week of the
/// previous December (the 2023 notice's 元旦 began on 2022-12-31; the 2019 notice moved work to 2018-12-29).
fn belongs_to_year(date: NaiveDate, year: i32) -> bool {
    date.year() == year || (date.year() == year - 1 && date.month() == 12 && date.day() >= 25)
}

/// The weekday as written in Chinese (星期一 … 星期日).
pub fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"year = 2024
notice_title = "国务院办公厅关于2024年部分节假日安排的通知"
notice_date = "2023-10-25"

[[festival]]
name = "元旦"
holidays = ["2024-01-01"]

[[festival]]
name = "中秋节"
holidays = ["2024-09-15", "2024-09-16", "2024-09-17"]
workdays = ["2024-09-14"]
"#;

    #[test]
    fn a_good_file_parses_with_every_day() {
        let arrangement = Arrangement::parse_toml(GOOD).unwrap();
        assert_eq!(arrangement.year, 2024);
        assert_eq!(arrangement.notice_date, NaiveDate::from_ymd_opt(2023, 10, 25));
        let days = arrangement.days();
        assert_eq!(days.len(), 5);
        assert_eq!(days[1].0.to_string(), "2024-09-14");
        assert_eq!(days[1].1, OfficialKind::Workday);
        assert_eq!(days[1].2, "中秋节");
    }

    fn error_of(text: &str) -> String {
        Arrangement::parse_toml(text).unwrap_err().to_string()
    }

    #[test]
    fn a_date_both_off_and_worked_names_its_line() {
        let text = GOOD.replace(
            r#"workdays = ["2024-09-14"]"#,
            r#"workdays = ["2024-09-14", "2024-09-15"]"#,
        );
        assert_eq!(
            error_of(&text),
            "第 12 行：2024-09-15 既是放假日又是上班日（另见中秋节）"
        );
    }

    #[test]
    fn a_date_of_another_year_is_refused() {
        let text = GOOD.replace("2024-01-01", "2025-01-01");
        assert!(
            error_of(&text).starts_with("第 7 行：2025-01-01 不属于 2024 年"),
            "{}",
            error_of(&text)
        );
        // The last week of the previous December is allowed for the New Year period.
        let text = GOOD.replace(
            r#"["2024-01-01"]"#,
            r#"["2023-12-30", "2023-12-31", "2024-01-01"]"#,
        );
        assert!(Arrangement::parse_toml(&text).is_ok());
    }

    #[test]
    fn a_bad_date_or_weekday_workday_or_duplicate_is_refused() {
        let text = GOOD.replace("2024-09-16", "2024-02-30");
        assert_eq!(
            error_of(&text),
            "第 11 行：「2024-02-30」不是 YYYY-MM-DD 格式的有效日期"
        );
        let text = GOOD.replace(r#"workdays = ["2024-09-14"]"#, r#"workdays = ["2024-09-13"]"#);
        assert_eq!(
            error_of(&text),
            "第 12 行：2024-09-13 是星期五，调休上班日应为周六或周日"
        );
        let text = GOOD.replace(r#"["2024-01-01"]"#, r#"["2024-01-01", "2024-01-01"]"#);
        assert_eq!(error_of(&text), "第 7 行：2024-01-01 重复列出（已在元旦中）");
    }

    #[test]
    fn syntax_errors_and_wrong_titles_name_their_line() {
        assert!(error_of("year = 2024\nnotice_title = \n").starts_with("第 2 行：文件格式有误"));
        let text = GOOD.replace("2024年部分", "2023年部分");
        assert!(
            error_of(&text).starts_with("第 2 行：通知标题"),
            "{}",
            error_of(&text)
        );
        let text = GOOD.replace("year = 2024", "year = 1999");
        assert!(error_of(&text).starts_with("第 1 行：年份 1999"));
        assert!(error_of("year = 2024\nnotice_title = \"2024\"\nholiday = 3\n").contains("文件格式有误"));
    }
}
