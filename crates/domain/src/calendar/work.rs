//! The working-day calendar (工作日): weekends and statutory holidays are days off, adjusted working days
//! (调休上班) are worked. A year whose official arrangement is not loaded is known by its weekends alone and
//! is *provisional* wherever it shows.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::arrangement::{Arrangement, OfficialKind};

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday to Friday.
    Weekday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    AdjustedWorkday { festival: String },
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day of a statutory holiday period (法定节假日放假).
    Holiday { festival: String },
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, Self::Weekday | Self::AdjustedWorkday { .. })
    }
}

/// The official days known to the system and the years whose arrangement is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    marks: BTreeMap<NaiveDate, (OfficialKind, String)>,
    official_years: BTreeSet<i32>,
}

impl WorkCalendar {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a year's arrangement, replacing whatever was known of that year before.
    pub fn load(&mut self, arrangement: &Arrangement) {
        self.official_years.insert(arrangement.year);
        for (date, kind, festival) in arrangement.days() {
            self.marks.insert(date, (kind, festival.to_owned()));
        }
    }

    /// Adds one official date as stored; `year` is the arrangement it came from.
    pub fn mark(&mut self, year: i32, date: NaiveDate, kind: OfficialKind, festival: &str) {
        self.official_years.insert(year);
        self.marks.insert(date, (kind, festival.to_owned()));
    }

    /// Records that `year`'s arrangement is loaded (even one without any date in it).
    pub fn mark_year_official(&mut self, year: i32) {
        self.official_years.insert(year);
    }

    /// Whether the State Council's arrangement for `year` is loaded; if not, that year is provisional.
    pub fn is_official(&self, year: i32) -> bool {
        self.official_years.contains(&year)
    }

    pub fn official_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.official_years.iter().copied()
    }

    pub fn day(&self, date: NaiveDate) -> DayKind {
        match self.marks.get(&date) {
            Some((OfficialKind::Holiday, festival)) => DayKind::Holiday {
                festival: festival.clone(),
            },
            Some((OfficialKind::Workday, festival)) => DayKind::AdjustedWorkday {
                festival: festival.clone(),
            },
            None if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) => DayKind::Weekend,
            None => DayKind::Weekday,
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day(date).is_working()
    }

    /// The date `count` working days after `start` (not counting `start` itself): a step due "within 7
    /// working days" of a Friday is due on the Tuesday of the week after next, holidays aside.
    pub fn add_working_days(&self, start: NaiveDate, count: u32) -> NaiveDate {
        let mut date = start;
        let mut left = count;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// The date `count` working days before `end` (`end` itself when `count` is 0, working or not):
    /// how the demo dates what happened "three working days ago".
    pub fn subtract_working_days(&self, end: NaiveDate, count: u32) -> NaiveDate {
        let mut date = end;
        let mut left = count;
        while left > 0 {
            date = date - Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// A step due before the returned date is at least `late` working days late on `today`
    /// (`late` ≥ 1): the `late`-th working day counting back from `today`. Lets a list ask the
    /// database for overdue steps with one comparison.
    pub fn late_if_due_before(&self, today: NaiveDate, late: u32) -> NaiveDate {
        let back = if self.is_working_day(today) {
            late.saturating_sub(1)
        } else {
            late
        };
        self.subtract_working_days(today, back)
    }

    /// Working days after `after` up to and including `upto` (0 when `upto` is not later): how many
    /// working days a step due on `after` is late on `upto`.
    pub fn working_days_between(&self, after: NaiveDate, upto: NaiveDate) -> u32 {
        let mut count = 0;
        let mut date = after;
        while date < upto {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn weekends_are_off_unless_adjusted_and_holidays_are_off() {
        let mut calendar = WorkCalendar::new();
        calendar.mark(2024, date("2024-09-14"), OfficialKind::Workday, "中秋节");
        calendar.mark(2024, date("2024-09-16"), OfficialKind::Holiday, "中秋节");
        assert!(calendar.is_working_day(date("2024-09-14"))); // Saturday worked
        assert!(!calendar.is_working_day(date("2024-09-15"))); // Sunday
        assert!(!calendar.is_working_day(date("2024-09-16"))); // Monday off
        assert!(calendar.is_working_day(date("2024-09-17")));
        assert!(calendar.is_official(2024));
        assert!(!calendar.is_official(2025));
    }

    #[test]
    fn working_days_are_counted_past_weekends_and_holidays() {
        let mut calendar = WorkCalendar::new();
        for day in 1..=7 {
            calendar.mark(
                2024,
                NaiveDate::from_ymd_opt(2024, 10, day).unwrap(),
                OfficialKind::Holiday,
                "国庆节",
            );
        }
        // Friday 2024-09-27 + 1 working day: Sunday the 29th was an adjusted working day in 2024, but this
        // calendar does not know it, so Monday the 30th.
        assert_eq!(
            calendar.add_working_days(date("2024-09-27"), 1),
            date("2024-09-30")
        );
        // Monday 30 Sep + 1: the whole National Day week is off, then Tuesday 8 Oct.
        assert_eq!(
            calendar.add_working_days(date("2024-09-30"), 1),
            date("2024-10-08")
        );
        assert_eq!(
            calendar.add_working_days(date("2024-09-30"), 0),
            date("2024-09-30")
        );
        // Back over the same week: the working day before Tuesday 8 Oct is Monday 30 Sep, and
        // subtracting undoes adding.
        assert_eq!(
            calendar.subtract_working_days(date("2024-10-08"), 1),
            date("2024-09-30")
        );
        assert_eq!(
            calendar.subtract_working_days(date("2024-10-06"), 0),
            date("2024-10-06")
        );
        // A step due on a date before the bound is `late` working days late, never one on it.
        for today in ["2024-10-08", "2024-10-06", "2024-09-30", "2024-10-12"] {
            let today = date(today);
            for late in 1..5 {
                let bound = calendar.late_if_due_before(today, late);
                assert!(calendar.working_days_between(bound - Days::new(1), today) >= late);
                assert!(
                    calendar.working_days_between(bound, today) < late,
                    "{today} {late}"
                );
            }
        }
        for count in 0..12 {
            let start = date("2024-09-30");
            assert_eq!(
                calendar.subtract_working_days(calendar.add_working_days(start, count), count),
                start
            );
        }
    }
}
