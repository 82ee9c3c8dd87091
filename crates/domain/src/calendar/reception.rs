//! Reception days (委员接待日, R9): the nominal day of each month slot, moved to the next working day (顺延)
//! when it is a weekend, a statutory holiday or blocked for an important event (重要活动). Every day says
//! why it is where it is.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::arrangement::weekday_zh;
use super::rules::RuleBook;
use super::work::{DayKind, WorkCalendar};

/// A district's own day of the month for its rooms, from a date on (R9: 各区可另行确定).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictDay {
    pub effective_from: NaiveDate,
    pub day_of_month: u32,
}

/// A date the city or a district keeps free for an important event; a reception day on it moves on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedDate {
    pub date: NaiveDate,
    pub event: String,
}

/// Everything that decides one room's (or one district's) reception days.
#[derive(Debug, Clone, Copy)]
pub struct ReceptionSetup<'a> {
    pub rules: &'a RuleBook,
    pub calendar: &'a WorkCalendar,
    /// The district's own day, if it set one (any order).
    pub district_days: &'a [DistrictDay],
    /// Whether the room receives every month (有条件的工作室可每月接待).
    pub monthly: bool,
    /// The city's and the district's blocked dates.
    pub blocked: &'a [BlockedDate],
}

/// Why a day was passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    Weekend,
    Holiday { festival: String },
    Blocked { event: String },
}

/// A day passed over on the way to the reception day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub date: NaiveDate,
    pub reason: SkipReason,
}

/// One reception day with the way it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceptionDay {
    pub date: NaiveDate,
    /// The day the rules name before any move (e.g. the 15th).
    pub nominal_date: NaiveDate,
    /// The last day the notice may go up (R9: at least 3 days before).
    pub notice_by: NaiveDate,
    pub skipped: Vec<Skipped>,
    /// True when a year on the way has no official arrangement loaded: weekends alone were used.
    pub provisional: bool,
    /// Set when the nominal day is a Saturday or Sunday worked in exchange for a holiday.
    pub adjusted_workday: Option<String>,
}

/// A year of reception days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionYear {
    pub year: i32,
    pub days: Vec<ReceptionDay>,
    /// True when the year's official arrangement is not loaded.
    pub provisional: bool,
}

/// The reception days of `year`, in date order, one per month slot in force.
pub fn reception_days(setup: &ReceptionSetup<'_>, year: i32) -> ReceptionYear {
    let mut days = Vec::new();
    for month in 1..=12 {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            continue;
        };
        let Some(rules) = setup.rules.in_effect(first) else {
            continue;
        };
        if !setup.monthly && !rules.reception_months.contains(&month) {
            continue;
        }
        let day_of_month = setup
            .district_days
            .iter()
            .filter(|d| d.effective_from <= first)
            .max_by_key(|d| d.effective_from)
            .map_or(rules.reception_day_of_month, |d| d.day_of_month);
        let Some(nominal) = NaiveDate::from_ymd_opt(year, month, day_of_month) else {
            continue;
        };
        days.push(shift(setup, nominal, rules.notice_lead_days));
    }
    days.sort_by_key(|d| d.date);
    ReceptionYear {
        year,
        provisional: !setup.calendar.is_official(year) || days.iter().any(|d| d.provisional),
        days,
    }
}

/// Moves `nominal` to the first working day on or after it that is not blocked.
fn shift(setup: &ReceptionSetup<'_>, nominal: NaiveDate, lead_days: u32) -> ReceptionDay {
    let mut date = nominal;
    let mut skipped = Vec::new();
    let mut provisional = false;
    loop {
        provisional |= !setup.calendar.is_official(date.year());
        let kind = setup.calendar.day(date);
        let blocked = setup.blocked.iter().find(|b| b.date == date);
        let reason = match (&kind, blocked) {
            (DayKind::Holiday { festival }, _) => Some(SkipReason::Holiday {
                festival: festival.clone(),
            }),
            (DayKind::Weekend, _) => Some(SkipReason::Weekend),
            (_, Some(b)) => Some(SkipReason::Blocked {
                event: b.event.clone(),
            }),
            _ => None,
        };
        let Some(reason) = reason else {
            let adjusted_workday = match kind {
                DayKind::AdjustedWorkday { festival } if date == nominal => Some(festival),
                _ => None,
            };
            return ReceptionDay {
                date,
                nominal_date: nominal,
                notice_by: date - Days::new(u64::from(lead_days)),
                skipped,
                provisional,
                adjusted_workday,
            };
        };
        skipped.push(Skipped { date, reason });
        // Weekends recur but holidays and blocked dates are finite, so a working day is always reached.
        date = date + Days::new(1);
    }
}

impl ReceptionDay {
    /// The reason in words, e.g. "2024-09-15 至 2024-09-17 为中秋节假期，顺延至 2024-09-18（星期三）".
    pub fn reason_zh(&self) -> String {
        let mut text = if self.skipped.is_empty() {
            match &self.adjusted_workday {
                Some(festival) => format!(
                    "{}（{}）为{festival}调休上班日，照常接待",
                    self.date,
                    weekday_zh(self.date)
                ),
                None => format!("{}（{}）为工作日", self.date, weekday_zh(self.date)),
            }
        } else {
            let parts: Vec<String> = runs(&self.skipped).into_iter().map(describe_run).collect();
            format!(
                "{}，顺延至 {}（{}）",
                parts.join("；"),
                self.date,
                weekday_zh(self.date)
            )
        };
        if self.provisional {
            text.push_str("（该年国务院节假日安排尚未载入，仅按周末推算，日期为暂定）");
        }
        text
    }
}

/// Consecutive skipped days with the same reason, as (first, last, reason).
fn runs(skipped: &[Skipped]) -> Vec<(NaiveDate, NaiveDate, &SkipReason)> {
    let mut runs: Vec<(NaiveDate, NaiveDate, &SkipReason)> = Vec::new();
    for s in skipped {
        match runs.last_mut() {
            Some((_, last, reason)) if *reason == &s.reason && *last + Days::new(1) == s.date => {
                *last = s.date;
            }
            _ => runs.push((s.date, s.date, &s.reason)),
        }
    }
    runs
}

fn describe_run((first, last, reason): (NaiveDate, NaiveDate, &SkipReason)) -> String {
    let when = if first == last {
        first.to_string()
    } else {
        format!("{first} 至 {last}")
    };
    match reason {
        SkipReason::Weekend if first == last => format!("{first} 为{}", weekday_zh(first)),
        SkipReason::Weekend => format!("{when} 为周末"),
        SkipReason::Holiday { festival } => format!("{when} 为{festival}假期"),
        SkipReason::Blocked { event } => format!("{when} 有重要活动（{event}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::arrangement::OfficialKind;
    use super::super::rules::RuleSet;
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn calendar_2024() -> WorkCalendar {
        let mut calendar = WorkCalendar::new();
        for d in ["2024-09-15", "2024-09-16", "2024-09-17"] {
            calendar.mark(2024, date(d), OfficialKind::Holiday, "中秋节");
        }
        calendar.mark(2024, date("2024-09-14"), OfficialKind::Workday, "中秋节");
        calendar
    }

    fn plain<'a>(rules: &'a RuleBook, calendar: &'a WorkCalendar) -> ReceptionSetup<'a> {
        ReceptionSetup {
            rules,
            calendar,
            district_days: &[],
            monthly: false,
            blocked: &[],
        }
    }

    #[test]
    fn mid_autumn_moves_the_day_and_says_why() {
        let rules = RuleBook::default();
        let calendar = calendar_2024();
        let year = reception_days(&plain(&rules, &calendar), 2024);
        let dates: Vec<String> = year.days.iter().map(|d| d.date.to_string()).collect();
        // 2024-03-15 Fri, 05-15 Wed, 07-15 Mon, 09-15 中秋, 11-15 Fri; January: 15th is a Monday.
        assert_eq!(
            dates,
            [
                "2024-01-15",
                "2024-03-15",
                "2024-05-15",
                "2024-07-15",
                "2024-09-18",
                "2024-11-15"
            ]
        );
        let september = &year.days[4];
        assert_eq!(september.nominal_date, date("2024-09-15"));
        assert_eq!(september.notice_by, date("2024-09-15"));
        assert_eq!(
            september.reason_zh(),
            "2024-09-15 至 2024-09-17 为中秋节假期，顺延至 2024-09-18（星期三）"
        );
        assert_eq!(year.days[0].reason_zh(), "2024-01-15（星期一）为工作日");
        assert!(!year.provisional);
    }

    #[test]
    fn weekends_and_blocked_dates_move_the_day_and_runs_are_named() {
        let rules = RuleBook::default();
        let calendar = WorkCalendar::new();
        let blocked = [BlockedDate {
            date: date("2025-03-17"),
            event: "全市重要会议".to_owned(),
        }];
        let setup = ReceptionSetup {
            blocked: &blocked,
            ..plain(&rules, &calendar)
        };
        let year = reception_days(&setup, 2025);
        let march = year.days.iter().find(|d| d.nominal_date.month() == 3).unwrap();
        assert_eq!(march.date, date("2025-03-18"));
        assert!(march.provisional && year.provisional);
        assert_eq!(
            march.reason_zh(),
            "2025-03-15 至 2025-03-16 为周末；2025-03-17 有重要活动（全市重要会议），顺延至 2025-03-18（星期二）\
             （该年国务院节假日安排尚未载入，仅按周末推算，日期为暂定）"
        );
    }

    #[test]
    fn a_worked_saturday_is_a_reception_day() {
        let rules = RuleBook::default();
        let mut calendar = WorkCalendar::new();
        calendar.mark(2026, date("2026-05-09"), OfficialKind::Workday, "劳动节");
        let district_days = [DistrictDay {
            effective_from: date("2026-01-01"),
            day_of_month: 9,
        }];
        let setup = ReceptionSetup {
            district_days: &district_days,
            ..plain(&rules, &calendar)
        };
        let may = reception_days(&setup, 2026)
            .days
            .into_iter()
            .find(|d| d.date.month() == 5)
            .unwrap();
        assert_eq!(may.date, date("2026-05-09"));
        assert_eq!(
            may.reason_zh(),
            "2026-05-09（星期六）为劳动节调休上班日，照常接待"
        );
    }

    #[test]
    fn rules_start_on_31_october_2019_and_monthly_rooms_get_twelve() {
        let rules = RuleBook::default();
        let calendar = WorkCalendar::new();
        let year = reception_days(&plain(&rules, &calendar), 2019);
        assert_eq!(year.days.len(), 1);
        assert_eq!(year.days[0].date, date("2019-11-15"));
        let monthly = ReceptionSetup {
            monthly: true,
            ..plain(&rules, &calendar)
        };
        assert_eq!(reception_days(&monthly, 2019).days.len(), 2);
        assert_eq!(reception_days(&monthly, 2021).days.len(), 12);
    }

    #[test]
    fn a_new_rule_version_changes_only_the_months_after_it() {
        let rules = RuleBook::new(vec![
            RuleSet::default(),
            RuleSet {
                effective_from: date("2026-07-01"),
                reception_day_of_month: 20,
                ..RuleSet::default()
            },
        ]);
        let calendar = WorkCalendar::new();
        let nominal: Vec<u32> = reception_days(&plain(&rules, &calendar), 2026)
            .days
            .iter()
            .map(|d| d.nominal_date.day())
            .collect();
        assert_eq!(nominal, [15, 15, 15, 20, 20, 20]);
    }
}
