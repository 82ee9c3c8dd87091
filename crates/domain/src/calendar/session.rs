//! Reception sessions (接待日安排) and their notices (公告, R9): a session is one reception day of one room
//! with its time, place and members on duty; its notice is due a number of days before and is late when
//! it went up after that, or has not gone up once the day is past.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

/// Whether two nominal dates are the same month slot: a session belongs to its room's month, so a
/// district day or rule version that moves the nominal day later still finds the session planned for it.
pub fn same_slot(a: NaiveDate, b: NaiveDate) -> bool {
    use chrono::Datelike;
    a.year() == b.year() && a.month() == b.month()
}

/// Whether a session is still ahead, took place or was called off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Held,
    Cancelled,
}

impl SessionStatus {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 3] = [Self::Planned, Self::Held, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Planned => "待接待",
            Self::Held => "已接待",
            Self::Cancelled => "已取消",
        }
    }
}

/// Where a session's notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Not posted yet, and the due day has not passed.
    Pending,
    /// Posted on or before the due day.
    OnTime,
    /// Posted after the due day: the record keeps that it was late.
    PostedLate,
    /// Not posted and the due day has passed.
    Overdue,
}

impl NoticeStatus {
    /// Whether the notice is, or was, late.
    pub fn is_late(self) -> bool {
        matches!(self, Self::PostedLate | Self::Overdue)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::OnTime => "on_time",
            Self::PostedLate => "posted_late",
            Self::Overdue => "overdue",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待张贴",
            Self::OnTime => "已按时张贴",
            Self::PostedLate => "张贴晚于规定",
            Self::Overdue => "逾期未张贴",
        }
    }
}

/// The notice's status from its due day, the day it went up (if it did) and today.
pub fn notice_status(due: NaiveDate, posted_on: Option<NaiveDate>, today: NaiveDate) -> NoticeStatus {
    match posted_on {
        Some(posted) if posted <= due => NoticeStatus::OnTime,
        Some(_) => NoticeStatus::PostedLate,
        None if today > due => NoticeStatus::Overdue,
        None => NoticeStatus::Pending,
    }
}

/// A session's hours, e.g. 09:00–11:30: a start before the end, within the day's public hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionHours {
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

impl SessionHours {
    /// The hours a generated session gets until staff change them.
    pub fn default_morning() -> Self {
        Self {
            starts: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            ends: NaiveTime::from_hms_opt(11, 30, 0).expect("valid time"),
        }
    }

    /// Parses "HH:MM" twice and checks them.
    pub fn parse(starts: &str, ends: &str) -> Result<Self, String> {
        let time = |raw: &str| {
            NaiveTime::parse_from_str(raw.trim(), "%H:%M")
                .map_err(|_| format!("「{}」不是 HH:MM 格式的时间", raw.trim()))
        };
        let hours = Self {
            starts: time(starts)?,
            ends: time(ends)?,
        };
        let earliest = NaiveTime::from_hms_opt(7, 0, 0).expect("valid time");
        let latest = NaiveTime::from_hms_opt(21, 0, 0).expect("valid time");
        if hours.starts >= hours.ends {
            return Err("开始时间应早于结束时间".to_owned());
        }
        if hours.starts < earliest || hours.ends > latest {
            return Err("接待时间应在 07:00–21:00 之间".to_owned());
        }
        Ok(hours)
    }

    pub fn starts_text(&self) -> String {
        self.starts.format("%H:%M").to_string()
    }

    pub fn ends_text(&self) -> String {
        self.ends.format("%H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn notices_are_late_after_the_due_day_and_stay_late_once_posted() {
        let due = date("2026-12-12");
        assert_eq!(
            notice_status(due, None, date("2026-12-12")),
            NoticeStatus::Pending
        );
        assert_eq!(
            notice_status(due, None, date("2026-12-13")),
            NoticeStatus::Overdue
        );
        assert_eq!(
            notice_status(due, Some(due), date("2026-12-20")),
            NoticeStatus::OnTime
        );
        let late = notice_status(due, Some(date("2026-12-13")), date("2026-12-20"));
        assert_eq!(late, NoticeStatus::PostedLate);
        assert!(late.is_late());
    }

    #[test]
    fn hours_are_checked() {
        assert!(SessionHours::parse("09:00", "11:30").is_ok());
        assert_eq!(
            SessionHours::parse("11:30", "09:00").unwrap_err(),
            "开始时间应早于结束时间"
        );
        assert!(
            SessionHours::parse("05:00", "06:00")
                .unwrap_err()
                .contains("07:00")
        );
        assert!(SessionHours::parse("9点", "11:30").unwrap_err().contains("HH:MM"));
    }
}
