//! "Now" and "today", injected so rules and tests never read the system clock directly. Dates are
//! Beijing time (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Beijing time, UTC+8.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Beijing.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&beijing()).date_naive()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock pinned at one instant, for tests and the demo.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A clock that stays where it is put and moves only when told, for tests of expiry and deadlines.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(std::sync::Mutex::new(at))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_beijing_date() {
        // 17:00 UTC on 30 Nov is 01:00 on 1 Dec in Beijing.
        let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    }
}
