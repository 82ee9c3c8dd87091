//! The demo's inspections (R15) by `demo-inspector`, with rectification tasks in every state: open
//! and not yet due, open and overdue, reported and awaiting acceptance, returned, and closed. 洪桥 and
//! 华乐 are inspected; the other rooms stay on the list of rooms not yet inspected, two of them in the
//! year's plan (one overdue).

use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::authz::Scope;
use domain::inspection::FindingInput;

use crate::inspections::{InspectionInput, TaskCommand};
use crate::{App, AppError};

struct DemoFinding {
    text: &'static str,
    owner: &'static str,
    /// Days from today (negative: already past).
    due_in: i64,
}

impl App {
    pub(super) async fn demo_inspections(&self) -> Result<(), AppError> {
        let today = self.clock().today();
        let day = |offset: i64| -> Result<NaiveDate, AppError> {
            let moved = if offset >= 0 {
                today.checked_add_days(Days::new(offset.unsigned_abs()))
            } else {
                today.checked_sub_days(Days::new(offset.unsigned_abs()))
            };
            moved.ok_or_else(|| AppError::Internal("demo inspection date".into()))
        };
        let at = |offset: i64, hour: u32| -> Result<DateTime<Utc>, AppError> {
            day(offset)?
                .and_hms_opt(hour, 0, 0)
                .and_then(|t| t.and_local_timezone(crate::clock::beijing()).single())
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| AppError::Internal("demo inspection time".into()))
        };
        let inspector = self.demo_account("demo-inspector").await?;
        let staff = self.demo_account("demo-staff").await?;
        let district = self.demo_account("demo-district").await?;
        let rooms = self.store().rooms_in_scope(&Scope::City).await?;
        let room = |name: &str| {
            rooms
                .iter()
                .find(|r| r.name == name)
                .map(|r| r.id)
                .ok_or_else(|| AppError::Internal(format!("demo room {name} missing")))
        };
        let record = |room_id: i64, offset: i64, remarks: &'static str, findings: Vec<DemoFinding>| {
            let inspector = inspector.clone();
            async move {
                let input = InspectionInput {
                    room_id,
                    date: day(offset)?,
                    checklist: Vec::new(),
                    remarks: remarks.to_owned(),
                    findings: findings
                        .iter()
                        .map(|f| {
                            Ok(FindingInput {
                                text: f.text.to_owned(),
                                owner: Some(f.owner.to_owned()),
                                due_date: Some(day(f.due_in)?),
                            })
                        })
                        .collect::<Result<_, AppError>>()?,
                    client_key: None,
                };
                let (id, _) = self
                    .as_of(at(offset, 16)?)
                    .record_inspection(&inspector, &input)
                    .await?;
                Ok::<i64, AppError>(id)
            }
        };

        let hongqiao = record(
            room("洪桥街政协委员工作室")?,
            -17,
            "工作室运转正常，接待日按期开展；公告和登记还需规范。",
            vec![
                DemoFinding {
                    text: "接待日公告张贴位置不够醒目，部分居民不知道接待安排，请在社区公告栏和小区出入口同时张贴。",
                    owner: "room_staff",
                    due_in: 14,
                },
                DemoFinding {
                    text: "工作室经费尚未列入街道年度预算（规范第十六条），请街道在编制下一年度预算时列支。",
                    owner: "street_lead",
                    due_in: -3,
                },
                DemoFinding {
                    text: "群众来访登记中部分意见缺少办理结果的记录，请补记并在办结时及时登记。",
                    owner: "room_staff",
                    due_in: 7,
                },
            ],
        )
        .await?;
        let huale = record(
            room("华乐街政协委员工作室")?,
            -45,
            "与联络站合署办公，活动丰富；区政协的指导记录和活动存档需加强。",
            vec![
                DemoFinding {
                    text: "区政协对工作室的指导检查记录不全，请补齐本年度的指导记录。",
                    owner: "district",
                    due_in: -20,
                },
                DemoFinding {
                    text: "部分活动照片未按要求存档，请补传到活动台账。",
                    owner: "district",
                    due_in: -30,
                },
            ],
        )
        .await?;

        let tasks = self.store().rectification_tasks(&Scope::City, None, None).await?;
        let task_of = |inspection: i64, starts: &str| {
            tasks
                .iter()
                .find(|t| t.inspection_id == inspection && t.finding.starts_with(starts))
                .map(|t| t.id)
                .ok_or_else(|| AppError::Internal(format!("demo task {starts} missing")))
        };
        let report = |text: &str| TaskCommand::Report {
            text: text.to_owned(),
        };
        // 洪桥: the register gap reported by the room's staff, awaiting the inspector.
        let register = task_of(hongqiao, "群众来访登记")?;
        self.as_of(at(-8, 10)?)
            .rectification_step(
                &staff,
                register,
                &report("已逐件补记 2026 年来访意见的办理结果，并在登记表增加“办理结果”栏。"),
            )
            .await?;
        // 华乐: the guidance records reported, returned for more, still with the district.
        let guidance = task_of(huale, "区政协对工作室")?;
        self.as_of(at(-25, 10)?)
            .rectification_step(&district, guidance, &report("已补齐第三季度的指导记录。"))
            .await?;
        self.as_of(at(-22, 15)?)
            .rectification_step(
                &inspector,
                guidance,
                &TaskCommand::Return {
                    reason: "只补了第三季度，上半年的指导记录仍缺，请一并补齐。".into(),
                },
            )
            .await?;
        // 华乐: the photos archived and accepted.
        let photos = task_of(huale, "部分活动照片")?;
        self.as_of(at(-33, 10)?)
            .rectification_step(
                &district,
                photos,
                &report("已将 4 月、6 月、10 月活动照片补传到活动台账。"),
            )
            .await?;
        self.as_of(at(-31, 11)?)
            .rectification_step(&inspector, photos, &TaskCommand::Accept)
            .await?;
        // The year's plan: 海珠's mobile room planned for next week; 从化's planned for last week and
        // not yet inspected (overdue); the rest unplanned.
        let year = chrono::Datelike::year(&today);
        for (name, offset, who) in [
            ("海珠区流动委员工作室", 7, "市政协社会和法制委员会 王敏、李强"),
            ("从化区流动委员工作室", -5, "市政协委员工作委员会 陈静"),
        ] {
            let planned_on = day(offset)?;
            if chrono::Datelike::year(&planned_on) != year {
                continue;
            }
            // Planned on a day before it, so the past day was still ahead when it was set.
            self.as_of(at(offset.min(0) - 10, 9)?)
                .plan_inspection(&inspector, room(name)?, year, &planned_on.to_string(), who)
                .await?;
        }
        Ok(())
    }
}
