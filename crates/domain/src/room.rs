//! Work rooms and liaison stations (政协委员工作室/联络站, R6).

use serde::Serialize;

/// The kind of a work room (R6): fixed, mobile (流动工作室) or online (网上工作室).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    Fixed,
    Mobile,
    Online,
}

impl RoomKind {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 3] = [Self::Fixed, Self::Mobile, Self::Online];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fixed => "fixed",
            Self::Mobile => "mobile",
            Self::Online => "online",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Fixed => "固定工作室",
            Self::Mobile => "流动工作室",
            Self::Online => "网上工作室",
        }
    }
}
