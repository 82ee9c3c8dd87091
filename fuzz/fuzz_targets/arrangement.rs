//! The holiday arrangement file (`data/holidays/YYYY.toml`, also uploaded by the city's general office,
//! `App::import_arrangement`): `domain::calendar::Arrangement::parse_toml` on any UTF-8 text of at most
//! the 64 KB the upload takes.
#![no_main]

use std::collections::HashSet;

use chrono::{Datelike, Weekday};
use domain::calendar::{Arrangement, OfficialKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 64 * 1024 {
        return;
    }
    match Arrangement::parse_toml(text) {
        Err(err) => {
            // The line named is one of the file's (a file ending in a newline has one more, empty line).
            if let Some(line) = err.line {
                assert!(
                    (1..=text.matches('\n').count() + 1).contains(&line),
                    "line {line} of a {}-line file",
                    text.lines().count()
                );
            }
            assert!(!err.message.is_empty());
            let _ = err.to_string();
        }
        Ok(arrangement) => {
            check(&arrangement);
            // Written out again as a file, it reads as the same arrangement.
            let again = Arrangement::parse_toml(&render(&arrangement))
                .unwrap_or_else(|err| panic!("the parsed arrangement written out again: {err}"));
            assert_eq!(again, arrangement);
        }
    }
});

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dates(days: &[chrono::NaiveDate]) -> String {
    let days: Vec<String> = days.iter().map(|d| format!("\"{d}\"")).collect();
    format!("[{}]", days.join(", "))
}

/// The arrangement as a `data/holidays/YYYY.toml` file.
fn render(arrangement: &Arrangement) -> String {
    let mut out = format!(
        "year = {}\nnotice_title = {}\n",
        arrangement.year,
        quoted(&arrangement.notice_title)
    );
    if let Some(number) = &arrangement.notice_number {
        out.push_str(&format!("notice_number = {}\n", quoted(number)));
    }
    if let Some(date) = arrangement.notice_date {
        out.push_str(&format!("notice_date = \"{date}\"\n"));
    }
    let titles: Vec<String> = arrangement.amendment_titles.iter().map(|t| quoted(t)).collect();
    out.push_str(&format!("amendment_titles = [{}]\n", titles.join(", ")));
    for festival in &arrangement.festivals {
        out.push_str(&format!(
            "\n[[festival]]\nname = {}\nholidays = {}\nworkdays = {}\n",
            quoted(&festival.name),
            dates(&festival.holidays),
            dates(&festival.workdays)
        ));
    }
    out
}

fn check(arrangement: &Arrangement) {
    let year = arrangement.year;
    assert!((2000..=2100).contains(&year), "year {year}");
    let title = &arrangement.notice_title;
    assert!(!title.is_empty() && title.trim() == title, "title {title:?}");
    assert!(title.contains(&year.to_string()), "title {title:?} for {year}");
    if let Some(number) = &arrangement.notice_number {
        assert!(!number.is_empty() && number.trim() == number, "number {number:?}");
    }
    assert!(!arrangement.festivals.is_empty());
    let mut seen = HashSet::new();
    let mut count = 0;
    for festival in &arrangement.festivals {
        let name = &festival.name;
        assert!(!name.is_empty() && name.trim() == name, "festival {name:?}");
        assert!(
            name.chars().count() <= 20 && !name.chars().any(char::is_control),
            "festival {name:?}"
        );
        assert!(!festival.holidays.is_empty(), "{name} without days off");
        assert!(festival.holidays.is_sorted() && festival.workdays.is_sorted());
        for (kind, days) in [
            (OfficialKind::Holiday, &festival.holidays),
            (OfficialKind::Workday, &festival.workdays),
        ] {
            for day in days {
                // Every day belongs to the year: that year, or the last week of the December before
                // (a New Year holiday that starts early).
                let in_year =
                    day.year() == year || (day.year() == year - 1 && day.month() == 12 && day.day() >= 25);
                assert!(in_year, "{day} in the arrangement for {year}");
                if kind == OfficialKind::Workday {
                    assert!(
                        matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                        "adjusted working day {day} is a {}",
                        day.weekday()
                    );
                }
                assert!(seen.insert(*day), "{day} listed twice");
                count += 1;
            }
        }
    }
    let days = arrangement.days();
    assert_eq!(days.len(), count);
    assert!(days.is_sorted_by_key(|(date, _, _)| *date));
    for (date, kind, festival) in &days {
        let listed = arrangement.festivals.iter().any(|f| match kind {
            OfficialKind::Holiday => f.holidays.contains(date) && f.name == *festival,
            OfficialKind::Workday => f.workdays.contains(date) && f.name == *festival,
        });
        assert!(listed, "{date} {kind:?} {festival}");
        assert_eq!(OfficialKind::parse(kind.as_str()), Some(*kind));
    }
}
