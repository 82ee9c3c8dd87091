//! The regulation's numbers as data (R17): every number of the rules lives in a [`RuleSet`] valid from a
//! date, so a later revision is a new version, not new code, and the past is never rewritten.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::member::MemberLevel;

/// The date the regulation took effect (施行日期).
pub fn regulation_effective_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 10, 31).expect("valid date")
}

/// One version of the rules (规则版本). Fields missing from a stored version take the regulation's value,
/// so versions written before a rule existed still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSet {
    /// From this day on this version applies.
    pub effective_from: NaiveDate,
    /// R9: the day of the month rooms receive the public (接待日), 15.
    pub reception_day_of_month: u32,
    /// R9: the months of reception days, the odd months.
    pub reception_months: Vec<u32>,
    /// R9: a notice (公告) is posted at least this many days before each reception day, 3.
    pub notice_lead_days: u32,
    /// R5: community activities a member takes part in each year, at least 2.
    pub min_yearly_activities: u32,
    /// R14: points per community activity in the 专题协商 category, 10.
    pub points_per_activity: u32,
    /// R14: the member levels earning those points: city members.
    pub point_levels: Vec<MemberLevel>,
    /// R14: the annual summary reaches the city general office before this month and day (12-20).
    pub annual_summary_due_month: u32,
    pub annual_summary_due_day: u32,
    /// R13: working days a room has to triage an opinion.
    pub triage_working_days: u32,
    /// R13: working days a department has to answer.
    pub department_working_days: u32,
    /// X7: days a closed case keeps the resident's name and phone before they are anonymised.
    pub opinion_retention_days: u32,
}

impl Default for RuleSet {
    /// The rules as the 2019 regulation wrote them.
    fn default() -> Self {
        Self {
            effective_from: regulation_effective_date(),
            reception_day_of_month: 15,
            reception_months: vec![1, 3, 5, 7, 9, 11],
            notice_lead_days: 3,
            min_yearly_activities: 2,
            points_per_activity: 10,
            point_levels: vec![MemberLevel::City],
            annual_summary_due_month: 12,
            annual_summary_due_day: 20,
            triage_working_days: 1,
            department_working_days: 7,
            opinion_retention_days: 730,
        }
    }
}

/// A problem with a rule set, in words for the person editing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}：{message}")]
pub struct RuleError {
    pub field: &'static str,
    pub message: String,
}

fn rule_error(field: &'static str, message: impl Into<String>) -> RuleError {
    RuleError {
        field,
        message: message.into(),
    }
}

impl RuleSet {
    /// Checks the numbers make sense. Days of the month stop at 28 so every month has the day.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.effective_from < regulation_effective_date() {
            return Err(rule_error(
                "effective_from",
                "生效日期不能早于规范施行日 2019-10-31",
            ));
        }
        if !(1..=28).contains(&self.reception_day_of_month) {
            return Err(rule_error("reception_day_of_month", "接待日应为每月 1–28 日之间"));
        }
        let mut months = self.reception_months.clone();
        months.sort_unstable();
        months.dedup();
        if months.is_empty() || months.len() != self.reception_months.len() {
            return Err(rule_error("reception_months", "接待月份不能为空，也不能重复"));
        }
        if months.iter().any(|m| !(1..=12).contains(m)) {
            return Err(rule_error("reception_months", "接待月份应为 1–12"));
        }
        if self.notice_lead_days > 30 {
            return Err(rule_error("notice_lead_days", "公告提前天数应在 0–30 之间"));
        }
        if self.min_yearly_activities > 52 {
            return Err(rule_error(
                "min_yearly_activities",
                "每年最少活动次数应在 0–52 之间",
            ));
        }
        if self.points_per_activity > 1000 {
            return Err(rule_error("points_per_activity", "每次活动积分应在 0–1000 之间"));
        }
        if NaiveDate::from_ymd_opt(2024, self.annual_summary_due_month, self.annual_summary_due_day).is_none()
        {
            return Err(rule_error("annual_summary_due", "年度总结报送日期不是有效的月日"));
        }
        if !(30..=3650).contains(&self.opinion_retention_days) {
            return Err(rule_error(
                "opinion_retention_days",
                "个人信息保存期限应在 30–3650 天之间",
            ));
        }
        for (field, days) in [
            ("triage_working_days", self.triage_working_days),
            ("department_working_days", self.department_working_days),
        ] {
            if !(1..=60).contains(&days) {
                return Err(rule_error(field, "办理时限应在 1–60 个工作日之间"));
            }
        }
        Ok(())
    }
}

/// All versions of the rules, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    versions: Vec<RuleSet>,
}

impl Default for RuleBook {
    fn default() -> Self {
        Self::new(vec![RuleSet::default()])
    }
}

impl RuleBook {
    pub fn new(mut versions: Vec<RuleSet>) -> Self {
        versions.sort_by_key(|v| v.effective_from);
        Self { versions }
    }

    /// The version in force on `date`; none before the regulation took effect.
    pub fn in_effect(&self, date: NaiveDate) -> Option<&RuleSet> {
        self.versions.iter().rev().find(|v| v.effective_from <= date)
    }

    pub fn versions(&self) -> &[RuleSet] {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_version_in_force_is_the_latest_started_one() {
        let later = RuleSet {
            effective_from: date("2026-01-01"),
            reception_day_of_month: 10,
            ..RuleSet::default()
        };
        let book = RuleBook::new(vec![later, RuleSet::default()]);
        assert!(book.in_effect(date("2019-10-30")).is_none());
        assert_eq!(
            book.in_effect(date("2019-10-31")).unwrap().reception_day_of_month,
            15
        );
        assert_eq!(
            book.in_effect(date("2025-12-31")).unwrap().reception_day_of_month,
            15
        );
        assert_eq!(
            book.in_effect(date("2026-01-01")).unwrap().reception_day_of_month,
            10
        );
    }

    #[test]
    fn stored_versions_missing_a_rule_read_with_the_regulations_value() {
        let stored = r#"{"effective_from":"2021-01-01","reception_day_of_month":20}"#;
        let rules: RuleSet = serde_json::from_str(stored).unwrap();
        assert_eq!(rules.reception_day_of_month, 20);
        assert_eq!(rules.min_yearly_activities, 2);
        assert_eq!(rules.point_levels, vec![MemberLevel::City]);
    }

    #[test]
    fn nonsense_numbers_are_refused() {
        for (rules, field) in [
            (
                RuleSet {
                    reception_day_of_month: 31,
                    ..RuleSet::default()
                },
                "reception_day_of_month",
            ),
            (
                RuleSet {
                    reception_months: vec![1, 1],
                    ..RuleSet::default()
                },
                "reception_months",
            ),
            (
                RuleSet {
                    reception_months: vec![13],
                    ..RuleSet::default()
                },
                "reception_months",
            ),
            (
                RuleSet {
                    effective_from: date("2019-01-01"),
                    ..RuleSet::default()
                },
                "effective_from",
            ),
            (
                RuleSet {
                    annual_summary_due_day: 31,
                    annual_summary_due_month: 11,
                    ..RuleSet::default()
                },
                "annual_summary_due",
            ),
        ] {
            assert_eq!(rules.validate().unwrap_err().field, field);
        }
        assert!(RuleSet::default().validate().is_ok());
    }
}
