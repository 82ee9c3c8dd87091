//! A leader's dashboard (工作概览, X4): how open cases are aged, and what counts as a case overdue. The
//! figures themselves are the annual summary's, counted per unit of the caller's scope.

use serde::Serialize;

/// How long an open case has waited since it was received, in working days (工作日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAge {
    /// Within a working week.
    UpToFive,
    SixToTen,
    ElevenToTwenty,
    /// More than four working weeks: the oldest, which a leader presses first.
    OverTwenty,
}

impl CaseAge {
    pub const ALL: [Self; 4] = [
        Self::UpToFive,
        Self::SixToTen,
        Self::ElevenToTwenty,
        Self::OverTwenty,
    ];

    pub fn of(working_days: u32) -> Self {
        match working_days {
            0..=5 => Self::UpToFive,
            6..=10 => Self::SixToTen,
            11..=20 => Self::ElevenToTwenty,
            _ => Self::OverTwenty,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UpToFive => "up_to_5",
            Self::SixToTen => "6_to_10",
            Self::ElevenToTwenty => "11_to_20",
            Self::OverTwenty => "over_20",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::UpToFive => "5 个工作日以内",
            Self::SixToTen => "6–10 个工作日",
            Self::ElevenToTwenty => "11–20 个工作日",
            Self::OverTwenty => "超过 20 个工作日",
        }
    }
}

/// The share `part / whole` as a whole percentage, rounded down (0 when there is nothing to share).
pub fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        u32::try_from(u64::from(part) * 100 / u64::from(whole)).unwrap_or(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_into_working_weeks() {
        assert_eq!(CaseAge::of(0), CaseAge::UpToFive);
        assert_eq!(CaseAge::of(5), CaseAge::UpToFive);
        assert_eq!(CaseAge::of(6), CaseAge::SixToTen);
        assert_eq!(CaseAge::of(10), CaseAge::SixToTen);
        assert_eq!(CaseAge::of(11), CaseAge::ElevenToTwenty);
        assert_eq!(CaseAge::of(20), CaseAge::ElevenToTwenty);
        assert_eq!(CaseAge::of(21), CaseAge::OverTwenty);
    }

    #[test]
    fn shares_round_down_and_never_divide_by_zero() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(3, 3), 100);
    }
}
