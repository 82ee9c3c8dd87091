//! The organisation tree (R3): 广州市 → 区 (district) → 镇/街道 (town/street) → 社区居委会/村委会 (community),
//! identified by the National Bureau of Statistics' division codes (统计用区划代码).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::{self, TextError};

/// The code of 广州市 itself, root of the tree.
pub const GUANGZHOU_CODE: &str = "440100";

/// Longest accepted division name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Why a division code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodeError {
    #[error("区划代码只能由数字组成")]
    NotDigits,
    #[error("区划代码应为 6 位（区）、9 位（镇街）或 12 位（社区/村），实际 {0} 位")]
    WrongLength(usize),
    #[error("区划代码 {0} 不在广州市（4401）范围内")]
    OutsideGuangzhou(String),
}

/// A statistical division code (统计用区划代码): 6 digits for 广州市 and its districts, 9 for a
/// town/street, 12 for a residents' or villagers' committee.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let raw = raw.trim();
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::NotDigits);
        }
        if ![6, 9, 12].contains(&raw.len()) {
            return Err(CodeError::WrongLength(raw.len()));
        }
        if !raw.starts_with("4401") {
            return Err(CodeError::OutsideGuangzhou(raw.to_owned()));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level this code denotes.
    pub fn level(&self) -> DivisionLevel {
        match self.0.len() {
            12 => DivisionLevel::Community,
            9 => DivisionLevel::Street,
            _ if self.0 == GUANGZHOU_CODE => DivisionLevel::City,
            _ => DivisionLevel::District,
        }
    }

    /// The code of the division this one belongs to, by the coding rules; `None` for 广州市.
    pub fn parent(&self) -> Option<DivisionCode> {
        match self.level() {
            DivisionLevel::City => None,
            DivisionLevel::District => Some(Self(GUANGZHOU_CODE.to_owned())),
            DivisionLevel::Street => Some(Self(self.0[..6].to_owned())),
            DivisionLevel::Community => Some(Self(self.0[..9].to_owned())),
        }
    }

    /// What kind of unit the code denotes, by the statistics bureau's numbering rules: the last three
    /// digits of a town/street code are 001–099 for a street, 100–199 for a town, 400–599 for a unit
    /// treated like one; a community's are 001–199 for a residents' committee, 200–399 for a villagers'
    /// committee, 400–599 for a unit treated like one.
    pub fn kind(&self) -> DivisionKind {
        let serial = || self.0[self.0.len() - 3..].parse::<u16>().unwrap_or(0);
        match self.level() {
            DivisionLevel::City => DivisionKind::City,
            DivisionLevel::District => DivisionKind::District,
            DivisionLevel::Street => match serial() {
                100..=199 => DivisionKind::Town,
                200..=399 => DivisionKind::Township,
                400.. => DivisionKind::TownLike,
                _ => DivisionKind::Street,
            },
            DivisionLevel::Community => match serial() {
                200..=399 => DivisionKind::VillagersCommittee,
                400.. => DivisionKind::CommitteeLike,
                _ => DivisionKind::ResidentsCommittee,
            },
        }
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DivisionCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DivisionCode> for String {
    fn from(code: DivisionCode) -> Self {
        code.0
    }
}

/// A level of the tree (R3: city guides, district organizes, town/street implements).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionLevel {
    /// 市
    City,
    /// 区
    District,
    /// 镇/街道
    Street,
    /// 社区居委会/村委会
    Community,
}

impl DivisionLevel {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 4] = [Self::City, Self::District, Self::Street, Self::Community];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::District => "district",
            Self::Street => "street",
            Self::Community => "community",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == raw)
    }

    /// The level directly below, if any.
    pub fn child(self) -> Option<Self> {
        match self {
            Self::City => Some(Self::District),
            Self::District => Some(Self::Street),
            Self::Street => Some(Self::Community),
            Self::Community => None,
        }
    }

    /// The word a page shows for the children of a division of this level.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::City => "市",
            Self::District => "区",
            Self::Street => "镇（街）",
            Self::Community => "社区（村）",
        }
    }
}

/// What a division is, more finely than its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionKind {
    City,
    District,
    /// 街道
    Street,
    /// 镇
    Town,
    /// 乡
    Township,
    /// 类似乡级单位 (e.g. a reservoir or forest farm administered like a town)
    TownLike,
    /// 社区居委会
    ResidentsCommittee,
    /// 村委会
    VillagersCommittee,
    /// 类似居委会/村委会
    CommitteeLike,
}

impl DivisionKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::City => "市",
            Self::District => "区",
            Self::Street => "街道",
            Self::Town => "镇",
            Self::Township => "乡",
            Self::TownLike => "类似乡级单位",
            Self::ResidentsCommittee => "居委会",
            Self::VillagersCommittee => "村委会",
            Self::CommitteeLike => "类似村级单位",
        }
    }
}

/// Checks a division name typed by a person: one line, at most [`MAX_NAME_CHARS`] characters.
pub fn parse_division_name(raw: &str) -> Result<String, TextError> {
    text::single_line(raw, MAX_NAME_CHARS)
}

/// Why a new division cannot go where it was asked to go.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlacementError {
    #[error("{child} 不是 {parent} 的下级代码（前 {prefix} 位应相同）")]
    NotUnderParent {
        child: DivisionCode,
        parent: DivisionCode,
        prefix: usize,
    },
    #[error("只能在镇（街）下新增社区（村），或在区下新增镇（街）")]
    WrongLevel,
}

/// Checks that a new division with `code` may be added under `parent`: one level below it and
/// numbered inside it.
pub fn check_placement(code: &DivisionCode, parent: &DivisionCode) -> Result<(), PlacementError> {
    let allowed = matches!(
        (parent.level(), code.level()),
        (DivisionLevel::District, DivisionLevel::Street) | (DivisionLevel::Street, DivisionLevel::Community)
    );
    if !allowed {
        return Err(PlacementError::WrongLevel);
    }
    if code.parent().as_ref() != Some(parent) {
        return Err(PlacementError::NotUnderParent {
            child: code.clone(),
            parent: parent.clone(),
            prefix: parent.as_str().len(),
        });
    }
    Ok(())
}

/// A node of the tree with its current name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Division {
    pub code: DivisionCode,
    pub name: String,
    /// How many divisions sit directly below this one.
    pub child_count: u64,
}

/// One name a division held, and when (history of renames, never rewritten).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameRecord {
    pub name: String,
    pub valid_from: NaiveDate,
    /// The first day the name no longer held; `None` for the current name.
    pub valid_until: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenameError {
    #[error("新名称与现名称相同")]
    SameName,
    #[error("生效日期 {requested} 须晚于现名称的生效日期 {current_from}：历史记录不可改写")]
    RewritesHistory {
        requested: NaiveDate,
        current_from: NaiveDate,
    },
}

/// Checks a rename of a division whose current name is `current` (held from `current_from`) to
/// `new_name` from `from`: a rename starts a new period and never rewrites an earlier one.
pub fn check_rename(
    current: &str,
    current_from: NaiveDate,
    new_name: &str,
    from: NaiveDate,
) -> Result<(), RenameError> {
    if current == new_name {
        return Err(RenameError::SameName);
    }
    if from <= current_from {
        return Err(RenameError::RewritesHistory {
            requested: from,
            current_from,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> DivisionCode {
        DivisionCode::parse(raw).unwrap()
    }

    #[test]
    fn code_length_gives_level_and_parent() {
        assert_eq!(code("440100").level(), DivisionLevel::City);
        assert_eq!(code("440100").parent(), None);
        assert_eq!(code("440104").level(), DivisionLevel::District);
        assert_eq!(code("440104").parent(), Some(code("440100")));
        assert_eq!(code("440104001").parent(), Some(code("440104")));
        assert_eq!(code("440104001002").parent(), Some(code("440104001")));
    }

    #[test]
    fn code_numbering_gives_kind() {
        assert_eq!(code("440104001").kind(), DivisionKind::Street); // 洪桥街道
        assert_eq!(code("440114101").kind(), DivisionKind::Town);
        assert_eq!(code("440117404").kind(), DivisionKind::TownLike); // 黄龙带水库
        assert_eq!(code("440104001002").kind(), DivisionKind::ResidentsCommittee);
        assert_eq!(code("440114101201").kind(), DivisionKind::VillagersCommittee);
        assert_eq!(code("440113120500").kind(), DivisionKind::CommitteeLike);
    }

    #[test]
    fn codes_outside_guangzhou_or_malformed_are_refused() {
        assert_eq!(
            DivisionCode::parse("110101"),
            Err(CodeError::OutsideGuangzhou("110101".into()))
        );
        assert_eq!(DivisionCode::parse("44010"), Err(CodeError::WrongLength(5)));
        assert_eq!(DivisionCode::parse("4401o4"), Err(CodeError::NotDigits));
        assert_eq!(DivisionCode::parse(""), Err(CodeError::NotDigits));
    }

    #[test]
    fn a_new_community_must_be_numbered_under_its_street() {
        assert_eq!(check_placement(&code("440104001099"), &code("440104001")), Ok(()));
        assert!(matches!(
            check_placement(&code("440104003099"), &code("440104001")),
            Err(PlacementError::NotUnderParent { .. })
        ));
        assert_eq!(
            check_placement(&code("440104001099"), &code("440104")),
            Err(PlacementError::WrongLevel)
        );
    }

    #[test]
    fn a_rename_starts_after_the_current_name_began() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
        assert_eq!(check_rename("甲社区", day(1), "乙社区", day(2)), Ok(()));
        assert_eq!(
            check_rename("甲社区", day(1), "甲社区", day(2)),
            Err(RenameError::SameName)
        );
        assert!(matches!(
            check_rename("甲社区", day(5), "乙社区", day(5)),
            Err(RenameError::RewritesHistory { .. })
        ));
    }
}
