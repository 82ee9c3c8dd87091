//! The reception calendar (R9, R17): official holiday arrangements, the versions of the rules, districts'
//! own days and blocked dates, and the reception days computed from them.

use chrono::{Datelike, Days, NaiveDate};
use domain::authz::{Action, Place};
use domain::calendar::{
    Arrangement, BlockedDate, DistrictDay, ReceptionSetup, ReceptionYear, RuleSet, Year, reception_days,
};
use store::audit::Who;
use store::calendar::ArrangementSource;
pub use store::calendar::{
    ArrangementSummary, DistrictRef, LoadOutcome, StoredBlockedDate, StoredDistrictDay, StoredRuleSet,
};
use store::units::Room;

use crate::access::{Acting, not_visible};
use crate::{App, AppError};

/// The arrangements shipped with this release (data/holidays/), loaded at start-up into a database that
/// lacks them. A year an operator imported is never overwritten by a shipped file.
pub const SHIPPED_ARRANGEMENTS: &[(&str, &str)] = &[
    ("2019.toml", include_str!("../../../data/holidays/2019.toml")),
    ("2020.toml", include_str!("../../../data/holidays/2020.toml")),
    ("2021.toml", include_str!("../../../data/holidays/2021.toml")),
    ("2022.toml", include_str!("../../../data/holidays/2022.toml")),
    ("2023.toml", include_str!("../../../data/holidays/2023.toml")),
    ("2024.toml", include_str!("../../../data/holidays/2024.toml")),
    ("2025.toml", include_str!("../../../data/holidays/2025.toml")),
    ("2026.toml", include_str!("../../../data/holidays/2026.toml")),
];

/// One room's reception days of a year.
#[derive(Debug, Clone)]
pub struct RoomReceptionDays {
    pub room: Room,
    pub days: ReceptionYear,
}

/// A room's reception day in a coming window.
#[derive(Debug, Clone)]
pub struct UpcomingReception {
    pub room: Room,
    pub day: domain::calendar::ReceptionDay,
    /// The planned session of that month slot, when staff have planned it (its date wins).
    pub session: Option<store::sessions::SessionRecord>,
}

impl UpcomingReception {
    /// The day residents should come: the planned session's date, or else the calendar's.
    pub fn date(&self) -> NaiveDate {
        self.session.as_ref().map_or(self.day.date, |s| s.date)
    }
}

/// A district's calendar settings.
#[derive(Debug, Clone)]
pub struct DistrictCalendar {
    pub district: DistrictRef,
    pub days: Vec<StoredDistrictDay>,
    pub blocked: Vec<StoredBlockedDate>,
}

impl App {
    /// Whether the caller changes the city-wide rules (the rule sets and holiday arrangements).
    pub fn may_edit_rules(acting: &Acting) -> bool {
        acting.may(Action::EditRules, &Place::default())
    }

    /// Loads every shipped arrangement the database lacks or holds in an older shipped form.
    pub async fn load_shipped_arrangements(&self) -> Result<Vec<(i32, LoadOutcome)>, AppError> {
        let imported: Vec<i32> = self
            .store()
            .arrangements()
            .await?
            .into_iter()
            .filter(|a| a.source == ArrangementSource::Imported.as_str())
            .map(|a| a.year)
            .collect();
        let mut outcomes = Vec::new();
        for (name, content) in SHIPPED_ARRANGEMENTS {
            let arrangement = Arrangement::parse_toml(content)
                .map_err(|err| AppError::Internal(format!("data/holidays/{name}: {err}")))?;
            if imported.contains(&arrangement.year) {
                continue;
            }
            let outcome = self
                .store()
                .load_arrangement(
                    &Who::system("release"),
                    &arrangement,
                    content,
                    ArrangementSource::Shipped,
                    self.clock().now(),
                )
                .await?;
            outcomes.push((arrangement.year, outcome));
        }
        Ok(outcomes)
    }

    /// Loads an operator's arrangement file (city general office): a new year, or an amended one.
    pub async fn import_arrangement(
        &self,
        acting: &Acting,
        content: &str,
    ) -> Result<(Arrangement, LoadOutcome), AppError> {
        acting.require(Action::EditRules, &Place::default())?;
        if content.len() > 64 * 1024 {
            return Err(AppError::invalid(
                "file",
                "文件过大：节假日安排文件不应超过 64 KB",
            ));
        }
        let arrangement =
            Arrangement::parse_toml(content).map_err(|err| AppError::invalid("file", err.to_string()))?;
        let outcome = self
            .store()
            .load_arrangement(
                &acting.who(),
                &arrangement,
                content,
                ArrangementSource::Imported,
                self.clock().now(),
            )
            .await?;
        Ok((arrangement, outcome))
    }

    /// Every loaded arrangement, newest first: public facts.
    pub async fn arrangements(&self) -> Result<Vec<ArrangementSummary>, AppError> {
        Ok(self.store().arrangements().await?)
    }

    /// The reception days of an open room (published, R8): its district's day and blocked dates, monthly
    /// if it receives monthly.
    pub async fn room_reception_days(&self, room_id: i64, year: i32) -> Result<RoomReceptionDays, AppError> {
        let year = Year::new(year)?.value();
        let room = self
            .store()
            .room(room_id)
            .await?
            .filter(|room| room.open)
            .ok_or_else(|| AppError::NotFound("没有这个工作室，或它已停止接待".into()))?;
        let days = self
            .compute_reception_days(Some(room.district_id), room.receives_monthly, year)
            .await?;
        Ok(RoomReceptionDays { room, days })
    }

    /// Reception days for the command line: the city's rule, a district's, or a room's.
    pub async fn reception_days(
        &self,
        district: Option<&str>,
        room_id: Option<i64>,
        monthly: bool,
        year: i32,
    ) -> Result<ReceptionYear, AppError> {
        let year = Year::new(year)?.value();
        let district = match district {
            Some(name) => Some(
                self.store()
                    .district_named(name)
                    .await?
                    .ok_or_else(|| AppError::invalid("district", format!("广州市没有名为「{name}」的区")))?,
            ),
            None => None,
        };
        let (district_id, monthly) = match room_id {
            Some(id) => {
                let room = self
                    .store()
                    .room(id)
                    .await?
                    .ok_or_else(|| AppError::invalid("room", format!("没有编号为 {id} 的工作室")))?;
                if let Some(d) = &district
                    && d.id != room.district_id
                {
                    return Err(AppError::invalid(
                        "room",
                        format!("工作室 {id}（{}）不在{}", room.name, d.name),
                    ));
                }
                (Some(room.district_id), monthly || room.receives_monthly)
            }
            None => (district.map(|d| d.id), monthly),
        };
        self.compute_reception_days(district_id, monthly, year).await
    }

    async fn compute_reception_days(
        &self,
        district_id: Option<i64>,
        monthly: bool,
        year: i32,
    ) -> Result<ReceptionYear, AppError> {
        let store = self.store();
        let rules = store.rule_book().await?;
        let calendar = store.work_calendar(year..=year).await?;
        let district_days: Vec<DistrictDay> = match district_id {
            Some(id) => store
                .district_days(id)
                .await?
                .into_iter()
                .map(|d| d.day)
                .collect(),
            None => Vec::new(),
        };
        let blocked: Vec<BlockedDate> = store
            .blocked_dates(district_id, false, year)
            .await?
            .into_iter()
            .map(|b| b.blocked)
            .collect();
        Ok(reception_days(
            &ReceptionSetup {
                rules: &rules,
                calendar: &calendar,
                district_days: &district_days,
                monthly,
                blocked: &blocked,
            },
            year,
        ))
    }

    /// The reception days of `rooms` from `from` for `days_ahead` days, in date order: rules, calendar,
    /// district days and blocked dates are read once for all rooms.
    pub async fn upcoming_reception_days(
        &self,
        rooms: &[Room],
        from: NaiveDate,
        days_ahead: u32,
    ) -> Result<Vec<UpcomingReception>, AppError> {
        let until = from + Days::new(u64::from(days_ahead));
        let (first_year, last_year) = (from.year(), until.year());
        let store = self.store();
        let rules = store.rule_book().await?;
        let calendar = store.work_calendar(first_year..=last_year).await?;
        let district_days = store.all_district_days().await?;
        let mut blocked = Vec::new();
        for year in first_year..=last_year {
            blocked.extend(store.blocked_dates(None, true, year).await?);
        }
        // Sessions may have been moved a little either way from the calendar's day.
        let open_ids: Vec<i64> = rooms.iter().filter(|r| r.open).map(|r| r.id).collect();
        let sessions = store
            .sessions_in_rooms(&open_ids, from - Days::new(62), until + Days::new(62))
            .await?;
        let by_slot: std::collections::HashMap<(i64, i32, u32), &store::sessions::SessionRecord> = sessions
            .iter()
            .map(|s| ((s.room_id, s.nominal_date.year(), s.nominal_date.month()), s))
            .collect();
        let mut upcoming = Vec::new();
        for room in rooms.iter().filter(|r| r.open) {
            let own_days: Vec<DistrictDay> = district_days
                .iter()
                .filter(|d| d.district_id == room.district_id)
                .map(|d| d.day.clone())
                .collect();
            let own_blocked: Vec<BlockedDate> = blocked
                .iter()
                .filter(|b| b.district_id.is_none() || b.district_id == Some(room.district_id))
                .map(|b| b.blocked.clone())
                .collect();
            let setup = ReceptionSetup {
                rules: &rules,
                calendar: &calendar,
                district_days: &own_days,
                monthly: room.receives_monthly,
                blocked: &own_blocked,
            };
            for year in first_year..=last_year {
                for day in reception_days(&setup, year).days {
                    let session = by_slot
                        .get(&(room.id, day.nominal_date.year(), day.nominal_date.month()))
                        .map(|s| (*s).clone());
                    if session
                        .as_ref()
                        .is_some_and(|s| s.status == domain::calendar::SessionStatus::Cancelled)
                    {
                        continue;
                    }
                    let item = UpcomingReception {
                        room: room.clone(),
                        day,
                        session,
                    };
                    if item.date() >= from && item.date() <= until {
                        upcoming.push(item);
                    }
                }
            }
        }
        upcoming.sort_by(|a, b| {
            (a.date(), a.room.district_id, &a.room.name).cmp(&(b.date(), b.room.district_id, &b.room.name))
        });
        Ok(upcoming)
    }

    /// Every open room's reception days in the coming `days_ahead` days (public).
    pub async fn coming_reception_days(&self, days_ahead: u32) -> Result<Vec<UpcomingReception>, AppError> {
        let rooms = self.store().public_rooms().await?;
        self.upcoming_reception_days(&rooms, self.clock().today(), days_ahead)
            .await
    }

    /// Every version of the rules, oldest first (public: the rules are the regulation).
    pub async fn rule_sets(&self) -> Result<Vec<StoredRuleSet>, AppError> {
        Ok(self.store().rule_sets().await?)
    }

    /// A new version of the rules from a future date (city general office); the past is never rewritten.
    pub async fn add_rule_set(&self, acting: &Acting, rules: &RuleSet) -> Result<i64, AppError> {
        acting.require(Action::EditRules, &Place::default())?;
        rules
            .validate()
            .map_err(|err| AppError::invalid(err.field, err.message))?;
        let today = self.clock().today();
        if rules.effective_from <= today {
            return Err(AppError::invalid(
                "effective_from",
                format!(
                    "新规则只能从明天（{}）或以后生效，已过去的日子不能改写",
                    tomorrow(today)
                ),
            ));
        }
        if self
            .store()
            .rule_sets()
            .await?
            .iter()
            .any(|v| v.rules.effective_from == rules.effective_from)
        {
            return Err(AppError::Conflict(format!(
                "{} 已有一个规则版本",
                rules.effective_from
            )));
        }
        Ok(self
            .store()
            .add_rule_set(&acting.who(), rules, self.clock().now())
            .await?)
    }

    async fn district_in_scope(&self, acting: &Acting, district: &str) -> Result<DistrictRef, AppError> {
        let scope = acting.scope();
        let district = self
            .store()
            .district_named(district)
            .await?
            .ok_or_else(|| not_visible(&scope, "区"))?;
        acting.require(Action::ManageCalendar, &district_place(district.id))?;
        Ok(district)
    }

    /// The districts whose calendar the actor keeps: every district for the city office, their own for
    /// district staff; refused for anyone else.
    pub async fn calendar_districts(&self, acting: &Acting) -> Result<Vec<DistrictRef>, AppError> {
        let all = self.store().districts().await?;
        let mine: Vec<DistrictRef> = all
            .into_iter()
            .filter(|d| acting.may(Action::ManageCalendar, &district_place(d.id)))
            .collect();
        if mine.is_empty() {
            return Err(crate::access::forbidden());
        }
        Ok(mine)
    }

    /// A district's own reception days and the blocked dates of `year` that apply to it.
    pub async fn district_calendar(
        &self,
        acting: &Acting,
        district: &str,
        year: i32,
    ) -> Result<DistrictCalendar, AppError> {
        let year = Year::new(year)?.value();
        let district = self.district_in_scope(acting, district).await?;
        let days = self.store().district_days(district.id).await?;
        let blocked = self.store().blocked_dates(Some(district.id), false, year).await?;
        Ok(DistrictCalendar {
            district,
            days,
            blocked,
        })
    }

    /// Sets a district's own day of the month from a future date.
    pub async fn add_district_day(
        &self,
        acting: &Acting,
        district: &str,
        day_of_month: u32,
        effective_from: NaiveDate,
    ) -> Result<i64, AppError> {
        let district = self.district_in_scope(acting, district).await?;
        if !(1..=28).contains(&day_of_month) {
            return Err(AppError::invalid(
                "day_of_month",
                "接待日应为每月 1–28 日之间（每个月都有的日子）",
            ));
        }
        let today = self.clock().today();
        if effective_from <= today {
            return Err(AppError::invalid(
                "effective_from",
                format!("只能从明天（{}）或以后生效", tomorrow(today)),
            ));
        }
        // Reception days are reckoned month by month, so a district's own day starts with a month.
        if effective_from.day() != 1 {
            return Err(AppError::invalid(
                "effective_from",
                "本区接待日应从某月 1 日起施行（按整月排定接待日）",
            ));
        }
        if self
            .store()
            .district_days(district.id)
            .await?
            .iter()
            .any(|d| d.day.effective_from == effective_from)
        {
            return Err(AppError::Conflict(format!(
                "{} 从 {effective_from} 起已另定接待日",
                district.name
            )));
        }
        let day = DistrictDay {
            effective_from,
            day_of_month,
        };
        Ok(self
            .store()
            .add_district_day(&acting.who(), district.id, &day, self.clock().now())
            .await?)
    }

    /// Blocks a future date for an important event: the whole city (no district, city office only) or
    /// one district.
    pub async fn add_blocked_date(
        &self,
        acting: &Acting,
        district: Option<&str>,
        date: NaiveDate,
        event: &str,
    ) -> Result<StoredBlockedDate, AppError> {
        let district_id = if let Some(name) = district.map(str::trim).filter(|d| !d.is_empty()) {
            Some(self.district_in_scope(acting, name).await?.id)
        } else {
            acting.require(Action::ManageCalendar, &Place::default())?;
            None
        };
        let event = domain::text::single_line(event, 60)
            .map_err(|err| AppError::invalid("event", format!("活动名称{err}")))?;
        let today = self.clock().today();
        if date <= today {
            return Err(AppError::invalid(
                "date",
                format!("只能登记明天（{}）或以后的日期", tomorrow(today)),
            ));
        }
        if chrono::Datelike::year(&date) > Year::LAST {
            return Err(AppError::invalid("date", "日期超出范围"));
        }
        let existing = self
            .store()
            .blocked_dates(district_id, false, chrono::Datelike::year(&date))
            .await?;
        if existing
            .iter()
            .any(|b| b.blocked.date == date && b.district_id == district_id)
        {
            return Err(AppError::Conflict(format!("{date} 已登记为重要活动日")));
        }
        Ok(self
            .store()
            .add_blocked_date(
                &acting.who(),
                district_id,
                &BlockedDate { date, event },
                self.clock().now(),
            )
            .await?)
    }

    pub async fn remove_blocked_date(&self, acting: &Acting, id: i64) -> Result<(), AppError> {
        let scope = acting.scope();
        let blocked = self
            .store()
            .blocked_date(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "重要活动日"))?;
        let place = blocked.district_id.map_or_else(Place::default, district_place);
        acting.require(Action::ManageCalendar, &place)?;
        if blocked.blocked.date <= self.clock().today() {
            return Err(AppError::Conflict("已过去的重要活动日不能删除".into()));
        }
        Ok(self
            .store()
            .remove_blocked_date(&acting.who(), &blocked, self.clock().now())
            .await?)
    }
}

fn district_place(district_id: i64) -> Place {
    Place {
        district_id: Some(district_id),
        ..Place::default()
    }
}

fn tomorrow(today: NaiveDate) -> NaiveDate {
    today + Days::new(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    use domain::calendar::{RuleBook, WorkCalendar};

    fn shipped_calendar() -> WorkCalendar {
        let mut calendar = WorkCalendar::new();
        for (_, content) in SHIPPED_ARRANGEMENTS {
            calendar.load(&Arrangement::parse_toml(content).unwrap());
        }
        calendar
    }

    /// (day of month, monthly?) → the year's reception days as ISO dates with reasons.
    fn days(
        calendar: &WorkCalendar,
        year: i32,
        day_of_month: Option<u32>,
        monthly: bool,
    ) -> Vec<(String, String)> {
        let rules = RuleBook::default();
        let district_days: Vec<DistrictDay> = day_of_month
            .map(|day_of_month| DistrictDay {
                effective_from: domain::calendar::regulation_effective_date(),
                day_of_month,
            })
            .into_iter()
            .collect();
        reception_days(
            &ReceptionSetup {
                rules: &rules,
                calendar,
                district_days: &district_days,
                monthly,
                blocked: &[],
            },
            year,
        )
        .days
        .iter()
        .map(|d| (d.date.to_string(), d.reason_zh()))
        .collect()
    }

    fn dates(found: &[(String, String)]) -> Vec<&str> {
        found.iter().map(|(d, _)| d.as_str()).collect()
    }

    #[test]
    fn the_15th_of_odd_months_against_the_published_calendars() {
        let calendar = shipped_calendar();
        // 2019: the rules start on 31 October, so only November; 2019-11-15 was a Friday.
        assert_eq!(dates(&days(&calendar, 2019, None, false)), ["2019-11-15"]);
        // 2020: 15 Nov was a Sunday.
        assert_eq!(
            dates(&days(&calendar, 2020, None, false)),
            [
                "2020-01-15",
                "2020-03-16",
                "2020-05-15",
                "2020-07-15",
                "2020-09-15",
                "2020-11-16"
            ]
        );
        // 2024: 15 Sep was the first day of the Mid-Autumn holiday (15–17 Sep).
        let found = days(&calendar, 2024, None, false);
        assert_eq!(
            dates(&found),
            [
                "2024-01-15",
                "2024-03-15",
                "2024-05-15",
                "2024-07-15",
                "2024-09-18",
                "2024-11-15"
            ]
        );
        assert_eq!(
            found[4].1,
            "2024-09-15 至 2024-09-17 为中秋节假期，顺延至 2024-09-18（星期三）"
        );
        // 2025: three 15ths fell on weekends.
        assert_eq!(
            dates(&days(&calendar, 2025, None, false)),
            [
                "2025-01-15",
                "2025-03-17",
                "2025-05-15",
                "2025-07-15",
                "2025-09-15",
                "2025-11-17"
            ]
        );
    }

    #[test]
    fn holiday_weeks_spring_festival_and_adjusted_working_days() {
        let calendar = shipped_calendar();
        // A monthly room in 2026: the Spring Festival holiday ran 15–23 February.
        let found = days(&calendar, 2026, None, true);
        assert_eq!(found[1].0, "2026-02-24");
        assert_eq!(
            found[1].1,
            "2026-02-15 至 2026-02-23 为春节假期，顺延至 2026-02-24（星期二）"
        );
        assert_eq!(found.len(), 12);
        // A district receiving on the 1st: National Day weeks move the October day.
        let first = days(&calendar, 2024, Some(1), true);
        assert_eq!(first[9].0, "2024-10-08");
        // 2023: Mid-Autumn and National Day together (29 Sep – 6 Oct); Saturday 7 Oct was worked.
        let found = days(&calendar, 2023, Some(1), true);
        assert_eq!(found[9].0, "2023-10-07");
        assert!(
            found[9].1.ends_with("顺延至 2023-10-07（星期六）"),
            "{}",
            found[9].1
        );
        // 2025: National Day and Mid-Autumn ran 1–8 October.
        assert_eq!(days(&calendar, 2025, Some(8), true)[9].0, "2025-10-09");
        // 2024: the Spring Festival holiday (10–17 Feb) was followed by a worked Sunday, 18 Feb.
        assert_eq!(days(&calendar, 2024, Some(10), true)[1].0, "2024-02-18");
        // 2020: the Spring Festival was extended to 2 February; the first working day was 3 February.
        let found = days(&calendar, 2020, Some(24), true);
        assert_eq!(found[0].0, "2020-02-03");
        assert_eq!(found[1].0, "2020-02-24");
        // A 15th that is a worked Saturday stays: none in 2019–2026, but a worked day 28 Sep 2025 (Sunday).
        let found = days(&calendar, 2025, Some(28), true);
        assert_eq!(found[8].0, "2025-09-28");
        assert_eq!(
            found[8].1,
            "2025-09-28（星期日）为国庆节、中秋节调休上班日，照常接待"
        );
    }

    #[test]
    fn every_shipped_file_parses_and_every_file_in_data_is_shipped() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/holidays");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| {
                std::path::Path::new(name)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
            })
            .collect();
        on_disk.sort();
        let shipped: Vec<String> = SHIPPED_ARRANGEMENTS
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        assert_eq!(
            shipped, on_disk,
            "list each data/holidays file in SHIPPED_ARRANGEMENTS"
        );
        for (name, content) in SHIPPED_ARRANGEMENTS {
            let arrangement = Arrangement::parse_toml(content).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{}.toml", arrangement.year), *name);
        }
    }
}
