//! A work room's rules (工作室制度, R14): documents kept in versions. A room writes its own or adopts a
//! template its district publishes (区制度模板); a change is a new version with the day it takes
//! effect, and older versions stay readable. Which version is in force on a day is decided here.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::FieldError;
use crate::authz::{Action, Actor, Place, Role, can};
use crate::calendar::regulation_effective_date;
use crate::text;

/// Longest title of a rule, in characters (a title fits one line of a poster).
pub const TITLE_MAX: usize = 60;
/// Longest text of one version, in characters (the longest rule a room keeps runs to a few pages).
pub const TEXT_MAX: usize = 20_000;
/// How far ahead a version may be dated: rules are adopted for the coming year at the latest.
pub const MAX_DAYS_AHEAD: u64 = 366;

/// Where a version stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStanding {
    /// The version in force (现行).
    Current,
    /// Takes effect later (待生效).
    Upcoming,
    /// Replaced by a later one (已废止的旧版本).
    Superseded,
}

impl VersionStanding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Upcoming => "upcoming",
            Self::Superseded => "superseded",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Current => "现行",
            Self::Upcoming => "待生效",
            Self::Superseded => "旧版本",
        }
    }
}

/// What decides a version's standing: its number and the day it takes effect.
pub trait Dated {
    fn version(&self) -> i32;
    fn effective_from(&self) -> NaiveDate;
}

/// The index of the version in force on `day`: the latest one effective on or before it (a later
/// number wins a tie). `None` while every version is still to come.
pub fn in_force<V: Dated>(versions: &[V], day: NaiveDate) -> Option<usize> {
    versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.effective_from() <= day)
        .max_by_key(|(_, v)| (v.effective_from(), v.version()))
        .map(|(index, _)| index)
}

/// The standing of every version on `day`, in the order given.
pub fn standings<V: Dated>(versions: &[V], day: NaiveDate) -> Vec<VersionStanding> {
    let current = in_force(versions, day);
    versions
        .iter()
        .enumerate()
        .map(|(index, v)| {
            if Some(index) == current {
                VersionStanding::Current
            } else if v.effective_from() > day {
                VersionStanding::Upcoming
            } else {
                VersionStanding::Superseded
            }
        })
        .collect()
}

/// Whether `actor` may read the templates of a district: those who publish them, and the street leads
/// and rooms' staff of that district, who adopt them.
pub fn reads_templates(actor: &Actor, district_id: i64) -> bool {
    can(actor, Action::PublishRuleTemplates, &Place::district(district_id))
        || (matches!(actor.role, Role::StreetLead | Role::RoomStaff)
            && actor.scope.place().district_id == Some(district_id))
}

/// A checked new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleText {
    pub title: String,
    pub text: String,
    pub effective_from: NaiveDate,
}

/// Checks a new version: a one-line title, the text, and the day it takes effect — not before the
/// regulation, not more than [`MAX_DAYS_AHEAD`] days after `today`, and after the latest existing
/// version's day (`latest`), so versions follow each other and none is slipped in under a later one.
pub fn check_version(
    title: &str,
    body: &str,
    effective_from: NaiveDate,
    latest: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<RuleText, FieldError> {
    let title = text::single_line(title, TITLE_MAX)
        .map_err(|err| FieldError::new("title", format!("制度名称{err}")))?;
    let text =
        text::paragraphs(body, TEXT_MAX).map_err(|err| FieldError::new("text", format!("制度正文{err}")))?;
    let earliest = regulation_effective_date();
    if effective_from < earliest {
        return Err(FieldError::new(
            "effective_from",
            format!("生效日期不能早于《规范》施行之日（{earliest}）"),
        ));
    }
    let latest_allowed = today.checked_add_days(Days::new(MAX_DAYS_AHEAD)).unwrap_or(today);
    if effective_from > latest_allowed {
        return Err(FieldError::new(
            "effective_from",
            format!("生效日期最晚为 {latest_allowed}（一年之内）"),
        ));
    }
    if let Some(latest) = latest
        && effective_from <= latest
    {
        return Err(FieldError::new(
            "effective_from",
            format!("新版本的生效日期须晚于上一版本的生效日期（{latest}）"),
        ));
    }
    Ok(RuleText {
        title,
        text,
        effective_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct V(i32, NaiveDate);
    impl Dated for V {
        fn version(&self) -> i32 {
            self.0
        }
        fn effective_from(&self) -> NaiveDate {
            self.1
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_latest_version_already_effective_is_in_force() {
        let versions = [
            V(1, day(2024, 1, 1)),
            V(2, day(2026, 3, 1)),
            V(3, day(2027, 1, 1)),
        ];
        assert_eq!(in_force(&versions, day(2023, 12, 31)), None);
        assert_eq!(in_force(&versions, day(2024, 1, 1)), Some(0));
        assert_eq!(in_force(&versions, day(2026, 12, 3)), Some(1));
        assert_eq!(in_force(&versions, day(2027, 1, 1)), Some(2));
        assert_eq!(
            standings(&versions, day(2026, 12, 3)),
            vec![
                VersionStanding::Superseded,
                VersionStanding::Current,
                VersionStanding::Upcoming
            ]
        );
        assert!(
            standings(&versions, day(2020, 1, 1))
                .iter()
                .all(|s| *s == VersionStanding::Upcoming)
        );
    }

    #[test]
    fn templates_are_read_by_their_district_and_those_who_adopt_them() {
        use crate::authz::Scope;
        let actor = |role, scope| Actor {
            account_id: 1,
            username: "x".into(),
            role,
            scope,
        };
        let room = Scope::Room {
            district_id: 2,
            street_id: 20,
            room_id: 7,
        };
        assert!(reads_templates(&actor(Role::CityOffice, Scope::City), 2));
        assert!(reads_templates(
            &actor(Role::DistrictStaff, Scope::District { district_id: 2 }),
            2
        ));
        assert!(!reads_templates(
            &actor(Role::DistrictStaff, Scope::District { district_id: 3 }),
            2
        ));
        assert!(reads_templates(&actor(Role::RoomStaff, room), 2));
        assert!(!reads_templates(&actor(Role::RoomStaff, room), 3));
        let department = Scope::Department {
            district_id: 2,
            street_id: None,
            department_id: 1,
        };
        assert!(!reads_templates(&actor(Role::WorkingDepartment, department), 2));
        let member = Scope::Member {
            member_id: 1,
            district_id: Some(2),
        };
        assert!(!reads_templates(&actor(Role::Member, member), 2));
    }

    #[test]
    fn a_version_is_checked_field_by_field() {
        let today = day(2026, 12, 3);
        let ok = check_version(
            " 接待制度 ",
            "一、每逢单月15日接待。\r\n二、……",
            today,
            None,
            today,
        )
        .unwrap();
        assert_eq!(ok.title, "接待制度");
        assert_eq!(ok.text, "一、每逢单月15日接待。\n二、……");

        let err = check_version("", "正文", today, None, today).unwrap_err();
        assert_eq!(err.field, "title");
        let err = check_version("甲\n乙", "正文", today, None, today).unwrap_err();
        assert_eq!(err.field, "title");
        let err = check_version(&"长".repeat(TITLE_MAX + 1), "正文", today, None, today).unwrap_err();
        assert!(err.message.contains("最多 60"), "{}", err.message);
        let err = check_version("接待制度", " \n ", today, None, today).unwrap_err();
        assert_eq!(err.field, "text");
        let err = check_version("接待制度", &"字".repeat(TEXT_MAX + 1), today, None, today).unwrap_err();
        assert_eq!(err.field, "text");

        let err = check_version("接待制度", "正文", day(2019, 10, 30), None, today).unwrap_err();
        assert_eq!(err.field, "effective_from");
        assert!(check_version("接待制度", "正文", day(2019, 10, 31), None, today).is_ok());
        assert!(check_version("接待制度", "正文", day(2027, 12, 4), None, today).is_ok());
        assert!(check_version("接待制度", "正文", day(2027, 12, 5), None, today).is_err());

        // A new version comes after the last one, even if that one was dated ahead.
        let err = check_version(
            "接待制度",
            "正文",
            day(2026, 12, 3),
            Some(day(2026, 12, 3)),
            today,
        )
        .unwrap_err();
        assert!(err.message.contains("2026-12-03"), "{}", err.message);
        assert!(
            check_version(
                "接待制度",
                "正文",
                day(2026, 12, 4),
                Some(day(2026, 12, 3)),
                today
            )
            .is_ok()
        );
    }
}
