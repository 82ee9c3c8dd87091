//! iCalendar feeds (RFC 5545, icalendar crate) of reception days, for phones' calendars (X2). Each event's
//! UID is the room and the month slot's nominal date, so a moved or re-timed session replaces its event
//! instead of adding a second one.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use icalendar::{Calendar, Component, Event, EventLike};

/// One reception to put in a feed.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    pub room_id: i64,
    pub nominal_date: NaiveDate,
    pub date: NaiveDate,
    /// Start and end in Beijing time; `None` for a reception day not yet planned (an all-day event).
    pub hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
}

/// The feed's text. `host` names the installation in UIDs (e.g. workroom.example.gov.cn).
pub fn feed(name: &str, host: &str, events: &[FeedEvent]) -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let mut calendar = Calendar::new();
    calendar.name(name);
    for e in events {
        let mut event = Event::new();
        event
            .uid(&format!("reception-{}-{}@{host}", e.room_id, e.nominal_date))
            .summary(&e.summary)
            .location(&e.location)
            .description(&e.description)
            .url(&e.url);
        match e.hours {
            Some((starts, ends)) => {
                let at = |time| {
                    beijing
                        .from_local_datetime(&NaiveDateTime::new(e.date, time))
                        .single()
                        .map(|t| t.with_timezone(&chrono::Utc))
                };
                if let (Some(starts), Some(ends)) = (at(starts), at(ends)) {
                    event.starts(starts).ends(ends);
                }
            }
            None => {
                event.all_day(e.date);
            }
        }
        if e.cancelled {
            event.status(icalendar::EventStatus::Cancelled);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn event(hours: Option<(NaiveTime, NaiveTime)>) -> FeedEvent {
        FeedEvent {
            room_id: 1,
            nominal_date: "2027-01-15".parse().unwrap(),
            date: "2027-01-18".parse().unwrap(),
            hours,
            summary: "政协委员接待日：洪桥街政协委员工作室".into(),
            location: "洪桥街道党群服务中心二楼; 含逗号,和分号".into(),
            description: "接待委员：黄志坚、周丽娟\n欢迎反映意见".into(),
            url: "http://127.0.0.1/rooms/1".into(),
            cancelled: false,
        }
    }

    #[test]
    fn the_feed_parses_back_with_stable_uids_and_utc_times() {
        let morning = (
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
        );
        let text = feed(
            "洪桥街政协委员工作室接待日",
            "workroom.test",
            &[event(Some(morning)), event(None)],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("UID:reception-1-2027-01-15@workroom.test\r\n"));
        // 09:00 in Beijing is 01:00 UTC.
        assert!(text.contains("DTSTART:20270118T010000Z\r\n"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20270118\r\n"), "{text}");
        let unfolded = icalendar::parser::unfold(&text);
        let parsed = icalendar::parser::read_calendar(&unfolded).unwrap();
        let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
        assert_eq!(events.len(), 2);
        let location = events[0].find_prop("LOCATION").unwrap().val.to_string();
        assert_eq!(location, "洪桥街道党群服务中心二楼; 含逗号,和分号");
        assert!(
            text.contains("LOCATION:洪桥街道党群服务中心二楼\\; 含逗号\\,和分号"),
            "TEXT is escaped: {text}"
        );
    }
}
