//! CPPCC members (政协委员) and their levels (R5).

use serde::Serialize;

/// The level of the CPPCC a member sits on (委员层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::City => "city",
            Self::District => "district",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::National, Self::Provincial, Self::City, Self::District]
            .into_iter()
            .find(|l| l.as_str() == raw)
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
