//! CPPCC members (政协委员) and their levels (R5).

use serde::{Deserialize, Serialize};

/// The level of the CPPCC a member sits on (委员层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberLevel {
    /// 全国
    National,
    /// 省
    Provincial,
    /// 市
    City,
    /// 区
    District,
}

impl MemberLevel {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 4] = [Self::National, Self::Provincial, Self::City, Self::District];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::City => "city",
            Self::District => "district",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::National => "全国政协委员",
            Self::Provincial => "省政协委员",
            Self::City => "市政协委员",
            Self::District => "区政协委员",
        }
    }
}

impl MemberLevel {
    /// The level as the roster writes it (委员层级): 全国 / 省 / 市 / 区.
    pub fn parse_zh(raw: &str) -> Option<Self> {
        match raw.trim() {
            "全国" | "全国政协" => Some(Self::National),
            "省" | "省政协" => Some(Self::Provincial),
            "市" | "市政协" => Some(Self::City),
            "区" | "区政协" => Some(Self::District),
            _ => None,
        }
    }

    pub fn roster_word(self) -> &'static str {
        match self {
            Self::National => "全国",
            Self::Provincial => "省",
            Self::City => "市",
            Self::District => "区",
        }
    }
}

/// The sector (界别) whose members are exempt from the yearly minimum for now (R5).
pub const EXEMPT_SECTOR: &str = "港澳界";

/// Whether a member is exempt from the yearly minimum of community activities (R5): members of the
/// Hong Kong and Macao sector, and Liaison-Office members residing in Hong Kong or Macao.
pub fn is_exempt(sector: Option<&str>, resides_in_hk_macao: bool) -> bool {
    resides_in_hk_macao || sector.is_some_and(|s| s.trim() == EXEMPT_SECTOR)
}

/// A mainland mobile number (手机号码): 11 digits starting with 1 and 3–9. Never published (R8 lists
/// what is); its `Debug` masks the middle digits so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Option<Self> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let valid = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        valid.then(|| Self(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl std::fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hong_kong_macao_sector_and_residents_are_exempt() {
        assert!(is_exempt(Some("港澳界"), false));
        assert!(is_exempt(Some("经济界"), true));
        assert!(!is_exempt(Some("经济界"), false));
        assert!(!is_exempt(None, false));
    }

    #[test]
    fn roster_levels_are_written_in_chinese() {
        assert_eq!(MemberLevel::parse_zh("全国"), Some(MemberLevel::National));
        assert_eq!(MemberLevel::parse_zh(" 区 "), Some(MemberLevel::District));
        assert_eq!(MemberLevel::parse_zh("县"), None);
    }

    #[test]
    fn mobile_numbers_are_mainland_and_masked_in_debug() {
        let number = MobileNumber::parse("138-0013-8000").unwrap();
        assert_eq!(number.as_str(), "13800138000");
        assert_eq!(format!("{number:?}"), "138****8000");
        assert!(MobileNumber::parse("+8613800138000").is_some());
        assert!(MobileNumber::parse("12800138000").is_none());
        assert!(MobileNumber::parse("1380013800").is_none());
        assert!(MobileNumber::parse("020-83001234").is_none());
    }
}
