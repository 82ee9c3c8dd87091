//! The member roster import (委员名册, `App::import_members`): `documents::xlsx::read_first_sheet` on
//! the uploaded bytes, then `domain::roster::check_headers` and, row by row, `domain::roster::parse_row`
//! with the cells keyed by their trimmed header, as `crates/app/src/roster.rs` calls them.
//!
//! The first byte chooses what the rest is:
//! - even: the uploaded file itself, any bytes;
//! - odd: text made into a real workbook by `documents::xlsx::write_sheet` (rows split at U+001E, cells
//!   at U+001F, the first row the headers), so the fuzzer reaches the row checks with cell text of its
//!   own; what was written must read back as written (data cells' formula prefixes neutralised).
#![no_main]

#[path = "../common/text_rules.rs"]
mod text_rules;

use std::collections::{HashMap, HashSet};

use documents::spreadsheet_text::neutralise_formula;
use documents::xlsx::{Sheet, read_first_sheet, write_sheet};
use domain::member::{MemberLevel, MobileNumber};
use domain::roster::{self, RosterContext, RosterMember};
use libfuzzer_sys::fuzz_target;
use text_rules::assert_single_line;

/// Guangzhou's districts, as the store holds their names.
const DISTRICTS: [&str; 11] = [
    "越秀区",
    "海珠区",
    "荔湾区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
];
const ROOMS: [&str; 3] = ["洪桥街政协委员工作室", "北京街政协委员工作室", "南沙区网上工作室"];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let sheet = if mode % 2 == 0 {
        match read_first_sheet(rest) {
            Ok(sheet) => sheet,
            Err(err) => {
                let _ = err.to_string();
                return;
            }
        }
    } else {
        match written_and_read(&String::from_utf8_lossy(rest)) {
            Some(sheet) => sheet,
            None => return,
        }
    };
    import(&sheet);
});

/// Writes the text as a workbook and reads it back; `None` when there is nothing a sheet could hold.
fn written_and_read(text: &str) -> Option<Sheet> {
    let mut lines = text.split('\u{1e}');
    let headers: Vec<String> = lines.next()?.split('\u{1f}').map(str::to_owned).collect();
    let rows: Vec<Vec<String>> = lines
        .map(|line| line.split('\u{1f}').map(str::to_owned).collect())
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    // More columns or longer text than Excel holds: refused by the writer, not a roster.
    let bytes = write_sheet("委员名册", &header_refs, &rows).ok()?;
    let sheet = read_first_sheet(&bytes);
    if headers[0].is_empty()
        || headers
            .iter()
            .chain(rows.iter().flatten())
            .any(|c| ambiguous_in_xlsx(c))
    {
        // The sheet's range then starts elsewhere than A1: no simple picture of what reads back.
        return sheet.ok();
    }
    let sheet = sheet.unwrap_or_else(|err| panic!("a written sheet does not read back: {err}"));
    // Headers are written as given (the callers pass constants); data cells are neutralised.
    let expected_headers = headers.clone();
    assert_eq!(
        without_trailing_blanks(&sheet.headers),
        without_trailing_blanks(&expected_headers),
        "headers"
    );
    let expected_rows: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            (
                index + 2,
                row.iter().map(|v| neutralise_formula(v)).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let read_rows: Vec<(usize, Vec<String>)> = sheet
        .rows
        .iter()
        .map(|(n, cells)| (*n, without_trailing_blanks(cells)))
        .collect();
    let expected_rows: Vec<(usize, Vec<String>)> = expected_rows
        .into_iter()
        .map(|(n, cells)| (n, without_trailing_blanks(&cells)))
        .collect();
    assert_eq!(read_rows, expected_rows, "rows");
    Some(sheet)
}

/// Text that rust_xlsxwriter 0.102 writes so that it cannot be read back as written: a literal
/// `_xHHHH` right before a character it escapes as `_xHHHH_` (a C0 control other than tab and line
/// feed, or U+FFFE/U+FFFF). Its check for a literal escape runs on the text before the control
/// characters are escaped, so `_x000D` + CR is written `_x000D_x000D_`, which reads back as CR +
/// `x000D_`. Workroom never writes such text: `domain::text` refuses control characters and
/// non-characters before anything is stored.
fn ambiguous_in_xlsx(text: &str) -> bool {
    let escaped = |c: char| (c < ' ' && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}';
    text.match_indices("_x").any(|(i, _)| {
        let rest = &text[i + 2..];
        rest.len() > 4
            && rest.as_bytes()[..4].iter().all(u8::is_ascii_hexdigit)
            && rest[4..].chars().next().is_some_and(escaped)
    })
}

fn without_trailing_blanks(cells: &[String]) -> Vec<String> {
    let end = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    cells[..end].to_vec()
}

/// What `App::import_members` does with a sheet before the database: every check it makes, and the
/// properties of what they accept.
fn import(sheet: &Sheet) {
    let (problems, ignored) = roster::check_headers(&sheet.headers);
    let trimmed: Vec<&str> = sheet.headers.iter().map(|h| h.trim()).collect();
    for problem in &problems {
        assert_eq!(problem.row, 1, "a header problem is on row 1");
        assert!(!problem.reason.is_empty());
    }
    for column in &ignored {
        assert!(!roster::HEADERS.contains(&column.as_str()) && trimmed.contains(&column.as_str()));
    }
    if !problems.is_empty() {
        return;
    }
    // Headers accepted: the required ones are there, none twice, every unknown one reported.
    assert!(trimmed.contains(&roster::NAME) && trimmed.contains(&roster::LEVEL));
    let mut seen = HashSet::new();
    for header in trimmed.iter().filter(|h| !h.is_empty()) {
        assert!(seen.insert(*header), "header {header:?} twice, yet accepted");
        assert!(roster::HEADERS.contains(header) || ignored.iter().any(|i| i == header));
    }

    let districts: HashSet<String> = DISTRICTS.iter().map(|d| (*d).to_owned()).collect();
    let rooms: HashSet<String> = ROOMS.iter().map(|r| (*r).to_owned()).collect();
    let context = RosterContext {
        districts: &districts,
        rooms: &rooms,
    };
    let mut members = Vec::new();
    for (row, cells) in &sheet.rows {
        let by_header: HashMap<&str, String> = trimmed
            .iter()
            .zip(cells.iter())
            .map(|(h, v)| (*h, v.clone()))
            .collect();
        match roster::parse_row(*row, &by_header, &context) {
            Ok(member) => {
                check_member(&member, *row, &by_header, &context);
                members.push(member);
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "row {row} refused without a reason");
                for problem in &problems {
                    assert_eq!(problem.row, *row);
                    assert!(roster::HEADERS.contains(&problem.column.as_str()), "{problem:?}");
                    assert!(!problem.reason.is_empty());
                }
            }
        }
    }
    let rows_of_members: HashSet<usize> = members.iter().map(|m| m.row).collect();
    for duplicate in roster::duplicates(&members) {
        assert!(rows_of_members.contains(&duplicate.row));
        let member = members.iter().find(|m| m.row == duplicate.row).unwrap();
        let first = members.iter().find(|m| m.key() == member.key()).unwrap();
        assert!(
            first.row < member.row,
            "the first of two equal rows is not the duplicate"
        );
    }
}

fn cell<'a>(cells: &'a HashMap<&str, String>, header: &str) -> Option<&'a str> {
    cells.get(header).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// An accepted row holds only what the roster's rules allow.
fn check_member(
    member: &RosterMember,
    row: usize,
    cells: &HashMap<&str, String>,
    context: &RosterContext<'_>,
) {
    assert_eq!(member.row, row);
    assert_single_line("姓名", &member.name, 40);
    assert_eq!(Some(member.name.as_str()), cell(cells, roster::NAME));
    assert_eq!(
        cell(cells, roster::LEVEL).and_then(MemberLevel::parse_zh),
        Some(member.level)
    );
    match &member.district {
        Some(district) => assert!(context.districts.contains(district), "{district:?}"),
        None => {
            assert_ne!(
                member.level,
                MemberLevel::District,
                "a district member without a district"
            );
            assert_eq!(cell(cells, roster::DISTRICT), None);
        }
    }
    if let Some(room) = &member.room {
        assert!(context.rooms.contains(room), "{room:?}");
    }
    for (what, value, max) in [
        ("界别", &member.sector, 40),
        ("工作单位", &member.employer, 100),
        ("职务", &member.position, 100),
        ("届别", &member.term, 20),
    ] {
        if let Some(text) = value {
            assert_single_line(what, text, max);
        }
    }
    assert_eq!(
        member.resides_in_hk_macao,
        cell(cells, roster::RESIDES_HK_MACAO) == Some("是")
    );
    match (&member.mobile, cell(cells, roster::MOBILE)) {
        (Some(mobile), Some(raw)) => {
            assert_eq!(MobileNumber::parse(raw).as_ref(), Some(mobile));
            let digits = mobile.as_str();
            assert!(digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()));
        }
        (None, None) => {}
        (mobile, raw) => panic!("mobile {mobile:?} from {raw:?}"),
    }
}
