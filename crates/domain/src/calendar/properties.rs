//! Invariants of the reception days over random calendars, district days and blocked dates.

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

use super::*;

/// A year with random holiday runs (up to 8 days each, as the longest official periods are) and random
/// Saturdays or Sundays worked, plus random blocked dates.
/// (year, holiday runs as (day offset, length), worked weekend offsets, blocked offsets, district day,
/// monthly).
type Scenario = (i32, Vec<(u32, u32)>, Vec<u32>, Vec<u32>, Option<u32>, bool);

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        2020..2030i32,
        // (30-day window, start within it, length): runs cannot chain into a month-long closure, which
        // no official arrangement has.
        proptest::collection::vec((0..12u32, 0..30u32, 1..=8u32), 0..8).prop_map(|runs| {
            runs.into_iter()
                .map(|(window, start, length)| (window * 30 + start, length))
                .collect()
        }),
        proptest::collection::vec(0..365u32, 0..6),
        proptest::collection::vec(0..365u32, 0..10),
        proptest::option::of(1..=28u32),
        any::<bool>(),
    )
}

fn day_of(year: i32, offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Days::new(u64::from(offset))
}

proptest! {
    #[test]
    fn reception_days_keep_their_invariants(
        (year, holiday_runs, worked, blocked_offsets, district_day, monthly) in scenario()
    ) {
        let mut calendar = WorkCalendar::new();
        calendar.mark_year_official(year);
        for (start, length) in holiday_runs {
            for i in 0..length {
                calendar.mark(year, day_of(year, start + i), OfficialKind::Holiday, "节日");
            }
        }
        for offset in worked {
            let date = day_of(year, offset);
            if date.weekday().number_from_monday() >= 6 && !matches!(calendar.day(date), DayKind::Holiday { .. }) {
                calendar.mark(year, date, OfficialKind::Workday, "节日");
            }
        }
        let blocked: Vec<BlockedDate> = blocked_offsets
            .into_iter()
            .map(|offset| BlockedDate { date: day_of(year, offset), event: "重要活动".to_owned() })
            .collect();
        let district_days: Vec<DistrictDay> = district_day
            .map(|day_of_month| DistrictDay {
                effective_from: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
                day_of_month,
            })
            .into_iter()
            .collect();
        let rules = RuleBook::default();
        let setup = ReceptionSetup {
            rules: &rules,
            calendar: &calendar,
            district_days: &district_days,
            monthly,
            blocked: &blocked,
        };
        let result = reception_days(&setup, year);

        // One per month slot: six odd months, or twelve for a monthly room.
        prop_assert_eq!(result.days.len(), if monthly { 12 } else { 6 });
        let mut months: Vec<u32> = result.days.iter().map(|d| d.nominal_date.month()).collect();
        months.dedup();
        prop_assert_eq!(months.len(), result.days.len());
        for (i, day) in result.days.iter().enumerate() {
            // Always a working day, never blocked, never before the nominal date.
            prop_assert!(calendar.is_working_day(day.date), "{} is not a working day", day.date);
            prop_assert!(!blocked.iter().any(|b| b.date == day.date));
            prop_assert!(day.date >= day.nominal_date);
            prop_assert_eq!(day.nominal_date.day(), district_day.unwrap_or(15));
            // Every day passed over is accounted for, one after another.
            prop_assert_eq!(i64::try_from(day.skipped.len()).unwrap(), (day.date - day.nominal_date).num_days());
            prop_assert!(!day.reason_zh().is_empty());
            // Sorted, strictly.
            if i > 0 {
                prop_assert!(result.days[i - 1].date < day.date);
            }
        }
    }

    #[test]
    fn working_days_added_land_on_a_working_day(offset in 0..365u32, count in 1..30u32, runs in proptest::collection::vec((0..365u32, 1..=8u32), 0..8)) {
        let mut calendar = WorkCalendar::new();
        for (start, length) in runs {
            for i in 0..length {
                calendar.mark(2025, day_of(2025, start + i), OfficialKind::Holiday, "节日");
            }
        }
        let start = day_of(2025, offset);
        let due = calendar.add_working_days(start, count);
        prop_assert!(due > start);
        prop_assert!(calendar.is_working_day(due));
        let mut counted = 0;
        let mut d = start;
        while d < due {
            d = d + Days::new(1);
            if calendar.is_working_day(d) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, count);
    }
}
