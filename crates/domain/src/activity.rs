//! Community activities (履职活动, R10), the yearly duty they fulfil (R5) and the evaluation points they
//! earn (R14). A member's count and points are derived from confirmed activities, never typed (X11).

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{RuleBook, RuleSet, regulation_effective_date};
use crate::member::MemberLevel;

/// The kinds of activity R10 names, plus the local forms a district defines (本地区特色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 委员接待日
    ReceptionDay,
    /// 基层调研
    GrassrootsResearch,
    /// 居民协商会
    ResidentsConsultation,
    /// 政策宣讲
    PolicyPromotion,
    /// 法律和信息咨询
    LegalInfoConsultation,
    /// 界别活动
    SectorActivity,
    /// A district's own form; the activity names which.
    Local,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 7] = [
        Self::ReceptionDay,
        Self::GrassrootsResearch,
        Self::ResidentsConsultation,
        Self::PolicyPromotion,
        Self::LegalInfoConsultation,
        Self::SectorActivity,
        Self::Local,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReceptionDay => "reception_day",
            Self::GrassrootsResearch => "grassroots_research",
            Self::ResidentsConsultation => "residents_consultation",
            Self::PolicyPromotion => "policy_promotion",
            Self::LegalInfoConsultation => "legal_info_consultation",
            Self::SectorActivity => "sector_activity",
            Self::Local => "local",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ReceptionDay => "委员接待日",
            Self::GrassrootsResearch => "基层调研",
            Self::ResidentsConsultation => "居民协商会",
            Self::PolicyPromotion => "政策宣讲",
            Self::LegalInfoConsultation => "法律和信息咨询",
            Self::SectorActivity => "界别活动",
            Self::Local => "本地区特色活动",
        }
    }
}

/// Whether an activity counts: staff record confirmed activities; one a member reports is pending until
/// the room's staff confirm it, or returned with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Confirmed,
    Pending,
    Returned,
}

impl ActivityStatus {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 3] = [Self::Confirmed, Self::Pending, Self::Returned];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Pending => "pending",
            Self::Returned => "returned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Confirmed => "已确认",
            Self::Pending => "待工作室确认",
            Self::Returned => "已退回",
        }
    }
}

/// Why an activity's date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityDateError {
    #[error("活动日期 {0} 晚于今天：活动举行后再登记")]
    InFuture(NaiveDate),
    #[error("活动日期 {0} 早于规范施行日 2019-10-31")]
    BeforeRegulation(NaiveDate),
}

/// Activities are recorded once they have taken place, from the day the regulation took effect.
pub fn check_activity_date(date: NaiveDate, today: NaiveDate) -> Result<(), ActivityDateError> {
    if date > today {
        return Err(ActivityDateError::InFuture(date));
    }
    if date < regulation_effective_date() {
        return Err(ActivityDateError::BeforeRegulation(date));
    }
    Ok(())
}

/// The rules a year is judged by: the version in force on its last day (or the regulation's own before
/// any version is stored).
pub fn rules_for_year(book: &RuleBook, year: i32) -> RuleSet {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .and_then(|last| book.in_effect(last))
        .cloned()
        .unwrap_or_default()
}

/// A member's standing in one year against the yearly minimum (R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearlyDuty {
    /// Confirmed community activities the member took part in that year.
    pub count: u32,
    /// The rule set's minimum (2).
    pub minimum: u32,
    /// 港澳界 or residing in Hong Kong/Macao: the minimum does not apply.
    pub exempt: bool,
}

impl YearlyDuty {
    /// Short of the minimum and not exempt: the member is flagged.
    pub fn below_minimum(&self) -> bool {
        !self.exempt && self.count < self.minimum
    }

    /// Activities still needed this year (0 for an exempt member).
    pub fn remaining(&self) -> u32 {
        if self.exempt {
            0
        } else {
            self.minimum.saturating_sub(self.count)
        }
    }
}

/// The points one confirmed activity on `date` gives a member of `level` (R14): the version in force that
/// day says how many and which levels earn them (+10 for city members in the 专题协商 category).
pub fn activity_points(book: &RuleBook, level: MemberLevel, date: NaiveDate) -> u32 {
    book.in_effect(date)
        .filter(|rules| rules.point_levels.contains(&level))
        .map_or(0, |rules| rules.points_per_activity)
}

/// A client's idempotency key (e.g. a UUID): a retried submission with the same key records nothing new.
pub fn parse_client_key(raw: &str) -> Option<String> {
    let key = raw.trim();
    let valid = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn kinds_read_back_from_their_codes() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActivityKind::parse("party"), None);
    }

    #[test]
    fn below_two_is_flagged_unless_exempt() {
        let short = YearlyDuty {
            count: 1,
            minimum: 2,
            exempt: false,
        };
        assert!(short.below_minimum());
        assert_eq!(short.remaining(), 1);
        let exempt = YearlyDuty {
            exempt: true,
            count: 0,
            ..short
        };
        assert!(!exempt.below_minimum());
        assert_eq!(exempt.remaining(), 0);
        let done = YearlyDuty { count: 3, ..short };
        assert!(!done.below_minimum());
        assert_eq!(done.remaining(), 0);
    }

    #[test]
    fn city_members_earn_ten_points_per_activity_under_the_rule_in_force() {
        let later = RuleSet {
            effective_from: date("2026-07-01"),
            points_per_activity: 12,
            point_levels: vec![MemberLevel::City, MemberLevel::District],
            ..RuleSet::default()
        };
        let book = RuleBook::new(vec![RuleSet::default(), later]);
        assert_eq!(activity_points(&book, MemberLevel::City, date("2026-03-15")), 10);
        assert_eq!(
            activity_points(&book, MemberLevel::District, date("2026-03-15")),
            0
        );
        assert_eq!(activity_points(&book, MemberLevel::City, date("2026-09-15")), 12);
        assert_eq!(
            activity_points(&book, MemberLevel::District, date("2026-09-15")),
            12
        );
        assert_eq!(
            activity_points(&book, MemberLevel::National, date("2026-09-15")),
            0
        );
        assert_eq!(
            activity_points(&book, MemberLevel::City, date("2019-01-01")),
            0,
            "nothing before the regulation"
        );
        assert_eq!(rules_for_year(&book, 2026).points_per_activity, 12);
        assert_eq!(rules_for_year(&book, 2025).points_per_activity, 10);
    }

    #[test]
    fn activities_are_recorded_once_held_and_not_before_the_regulation() {
        let today = date("2026-11-30");
        assert!(check_activity_date(today, today).is_ok());
        assert_eq!(
            check_activity_date(date("2026-12-01"), today),
            Err(ActivityDateError::InFuture(date("2026-12-01")))
        );
        assert!(check_activity_date(date("2019-10-30"), today).is_err());
    }

    #[test]
    fn client_keys_are_short_plain_tokens() {
        assert_eq!(
            parse_client_key(" 7f1c2d3e-aaaa-bbbb "),
            Some("7f1c2d3e-aaaa-bbbb".into())
        );
        assert_eq!(parse_client_key("short"), None);
        assert_eq!(parse_client_key("has space inside"), None);
        assert_eq!(parse_client_key(&"x".repeat(65)), None);
    }
}
