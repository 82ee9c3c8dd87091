//! The member roster as offices keep it in Excel (委员名册, X1; columns fixed by shared/CONTRACT.md):
//! checking every row before anything is stored, and saying for each bad row which column is wrong
//! and why.

use std::collections::{HashMap, HashSet};

use crate::member::{MemberLevel, MobileNumber};
use crate::text;

pub const NAME: &str = "姓名";
pub const LEVEL: &str = "委员层级";
pub const DISTRICT: &str = "所属区";
pub const SECTOR: &str = "界别";
pub const RESIDES_HK_MACAO: &str = "住港澳";
pub const EMPLOYER: &str = "工作单位";
pub const POSITION: &str = "职务";
pub const MOBILE: &str = "手机号码";
pub const ROOM: &str = "工作室";
/// Optional: the term (届别), e.g. 第十四届.
pub const TERM: &str = "届别";

/// Every header the roster knows, in the template's order.
pub const HEADERS: [&str; 10] = [
    NAME,
    LEVEL,
    DISTRICT,
    SECTOR,
    RESIDES_HK_MACAO,
    EMPLOYER,
    POSITION,
    MOBILE,
    ROOM,
    TERM,
];

/// One valid roster row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterMember {
    /// The spreadsheet row number (the header is row 1).
    pub row: usize,
    pub name: String,
    pub level: MemberLevel,
    /// The district's name as matched (e.g. 越秀区), when given.
    pub district: Option<String>,
    pub sector: Option<String>,
    pub resides_in_hk_macao: bool,
    pub employer: Option<String>,
    pub position: Option<String>,
    pub mobile: Option<MobileNumber>,
    pub room: Option<String>,
    pub term: Option<String>,
}

impl RosterMember {
    /// What identifies a member across imports: name + level + district + mobile.
    pub fn key(&self) -> MemberKey {
        MemberKey {
            name: self.name.clone(),
            level: self.level,
            district: self.district.clone(),
            mobile: self.mobile.as_ref().map(|m| m.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberKey {
    pub name: String,
    pub level: MemberLevel,
    pub district: Option<String>,
    pub mobile: Option<String>,
}

/// What is wrong with one cell (or row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    /// The header of the column, or empty for the row as a whole.
    pub column: String,
    pub reason: String,
}

/// What the roster may refer to: the districts' names and the rooms' names.
pub struct RosterContext<'a> {
    /// District names as stored (e.g. 越秀区).
    pub districts: &'a HashSet<String>,
    pub rooms: &'a HashSet<String>,
}

/// Problems with the header row: a required column missing, a column twice. Unknown columns are
/// returned separately (reported, then ignored).
pub fn check_headers(headers: &[String]) -> (Vec<RowProblem>, Vec<String>) {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut unknown = Vec::new();
    for header in headers {
        let header = header.trim();
        if header.is_empty() {
            continue;
        }
        if !seen.insert(header.to_owned()) {
            problems.push(RowProblem {
                row: 1,
                column: header.to_owned(),
                reason: "表头重复".into(),
            });
        }
        if !HEADERS.contains(&header) {
            unknown.push(header.to_owned());
        }
    }
    for required in [NAME, LEVEL] {
        if !seen.contains(required) {
            problems.push(RowProblem {
                row: 1,
                column: required.to_owned(),
                reason: "缺少必填列".into(),
            });
        }
    }
    (problems, unknown)
}

fn cell<'a>(cells: &'a HashMap<&str, String>, header: &str) -> Option<&'a str> {
    cells.get(header).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Checks one row (`cells` by header); `row` is its spreadsheet row number.
pub fn parse_row(
    row: usize,
    cells: &HashMap<&str, String>,
    context: &RosterContext<'_>,
) -> Result<RosterMember, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &str, reason: String| {
        problems.push(RowProblem {
            row,
            column: column.to_owned(),
            reason,
        });
    };
    let optional_text = |header: &str, max: usize, problem: &mut dyn FnMut(&str, String)| -> Option<String> {
        let value = cell(cells, header)?;
        match text::single_line(value, max) {
            Ok(text) => Some(text),
            Err(err) => {
                problem(header, err.to_string());
                None
            }
        }
    };
    let name = match cell(cells, NAME) {
        None => {
            problem(NAME, "姓名不能为空".into());
            None
        }
        Some(raw) => match text::single_line(raw, 40) {
            Ok(name) => Some(name),
            Err(err) => {
                problem(NAME, err.to_string());
                None
            }
        },
    };
    let level = match cell(cells, LEVEL) {
        None => {
            problem(LEVEL, "委员层级不能为空（应为 全国、省、市 或 区）".into());
            None
        }
        Some(raw) => MemberLevel::parse_zh(raw).or_else(|| {
            problem(LEVEL, format!("未知的委员层级“{raw}”（应为 全国、省、市 或 区）"));
            None
        }),
    };
    let district = match cell(cells, DISTRICT) {
        None => {
            if level == Some(MemberLevel::District) {
                problem(DISTRICT, "区政协委员须填写所属区".into());
            }
            None
        }
        Some(raw) => {
            let with_suffix = if raw.ends_with('区') {
                raw.to_owned()
            } else {
                format!("{raw}区")
            };
            if context.districts.contains(&with_suffix) {
                Some(with_suffix)
            } else {
                problem(DISTRICT, format!("广州市没有“{raw}”这个区"));
                None
            }
        }
    };
    let resides_in_hk_macao = match cell(cells, RESIDES_HK_MACAO) {
        None | Some("否") => false,
        Some("是") => true,
        Some(other) => {
            problem(RESIDES_HK_MACAO, format!("应填“是”“否”或留空，收到“{other}”"));
            false
        }
    };
    let mobile = match cell(cells, MOBILE) {
        None => None,
        Some(raw) => MobileNumber::parse(raw).or_else(|| {
            problem(MOBILE, "手机号码应为 11 位数字，以 13–19 开头".into());
            None
        }),
    };
    let room = match cell(cells, ROOM) {
        None => None,
        Some(raw) if context.rooms.contains(raw) => Some(raw.to_owned()),
        Some(raw) => {
            problem(ROOM, format!("没有名为“{raw}”的工作室"));
            None
        }
    };
    let sector = optional_text(SECTOR, 40, &mut problem);
    let employer = optional_text(EMPLOYER, 100, &mut problem);
    let position = optional_text(POSITION, 100, &mut problem);
    let term = optional_text(TERM, 20, &mut problem);
    match (name, level) {
        (Some(name), Some(level)) if problems.is_empty() => Ok(RosterMember {
            row,
            name,
            level,
            district,
            sector,
            resides_in_hk_macao,
            employer,
            position,
            mobile,
            room,
            term,
        }),
        _ => Err(problems),
    }
}

/// Rows that describe the same member twice within one file.
pub fn duplicates(members: &[RosterMember]) -> Vec<RowProblem> {
    let mut first_row: HashMap<MemberKey, usize> = HashMap::new();
    let mut problems = Vec::new();
    for member in members {
        if let Some(first) = first_row.get(&member.key()) {
            problems.push(RowProblem {
                row: member.row,
                column: NAME.to_owned(),
                reason: format!("与第 {first} 行重复（姓名、层级、所属区、手机号码均相同）"),
            });
        } else {
            first_row.insert(member.key(), member.row);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> (HashSet<String>, HashSet<String>) {
        (
            ["越秀区", "海珠区"].iter().map(|s| (*s).to_owned()).collect(),
            ["洪桥街政协委员工作室"].iter().map(|s| (*s).to_owned()).collect(),
        )
    }

    fn row(pairs: &[(&'static str, &str)]) -> HashMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn a_complete_row_parses() {
        let (districts, rooms) = context();
        let ctx = RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let member = parse_row(
            2,
            &row(&[
                (NAME, "陈思远"),
                (LEVEL, "市"),
                (DISTRICT, "越秀"),
                (MOBILE, "13800138000"),
                (ROOM, "洪桥街政协委员工作室"),
            ]),
            &ctx,
        )
        .unwrap();
        assert_eq!(member.district.as_deref(), Some("越秀区"));
        assert_eq!(member.level, MemberLevel::City);
        assert_eq!(member.room.as_deref(), Some("洪桥街政协委员工作室"));
    }

    #[test]
    fn every_problem_of_a_row_is_named_with_its_column() {
        let (districts, rooms) = context();
        let ctx = RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let problems = parse_row(
            7,
            &row(&[
                (NAME, ""),
                (LEVEL, "县"),
                (DISTRICT, "朝阳"),
                (MOBILE, "12345"),
                (ROOM, "不存在的工作室"),
                (RESIDES_HK_MACAO, "也许"),
            ]),
            &ctx,
        )
        .unwrap_err();
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, [NAME, LEVEL, DISTRICT, RESIDES_HK_MACAO, MOBILE, ROOM]);
        assert!(problems.iter().all(|p| p.row == 7));
    }

    #[test]
    fn a_district_member_needs_a_district() {
        let (districts, rooms) = context();
        let ctx = RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let problems = parse_row(3, &row(&[(NAME, "李明"), (LEVEL, "区")]), &ctx).unwrap_err();
        assert_eq!(problems[0].column, DISTRICT);
    }

    #[test]
    fn the_same_member_twice_in_one_file_is_reported_at_the_second_row() {
        let (districts, rooms) = context();
        let ctx = RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let cells = row(&[
            (NAME, "李明"),
            (LEVEL, "区"),
            (DISTRICT, "越秀区"),
            (MOBILE, "13900139000"),
        ]);
        let members = vec![
            parse_row(2, &cells, &ctx).unwrap(),
            parse_row(5, &cells, &ctx).unwrap(),
        ];
        let problems = duplicates(&members);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, 5);
        assert!(problems[0].reason.contains("第 2 行"));
    }

    #[test]
    fn headers_need_name_and_level_and_report_unknown_columns() {
        let headers: Vec<String> = ["姓名", "备注", "手机号码"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let (problems, unknown) = check_headers(&headers);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].column, LEVEL);
        assert_eq!(unknown, ["备注"]);
    }
}
