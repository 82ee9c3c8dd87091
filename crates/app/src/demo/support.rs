//! The demo's support requests (R12): `demo-member` asked 越秀区 for people to take part, answered and
//! waiting for the member's confirmation, and for a consultation still waiting for the district.

use chrono::{Days, Utc};

use crate::support::SupportCommand;
use crate::{App, AppError};

impl App {
    pub(super) async fn demo_support_requests(&self) -> Result<(), AppError> {
        let member = self.demo_account("demo-member").await?;
        let district = self.demo_account("demo-district").await?;
        let room = self
            .rooms(&member)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Internal("demo member serves no room".into()))?;
        let at = |days_ago: u64| {
            self.clock()
                .now()
                .checked_sub_days(Days::new(days_ago))
                .unwrap_or_else(Utc::now)
        };
        let people = self
            .as_of(at(10))
            .ask_support(
                &member,
                "people",
                "12 月的居民协商议事会讨论老旧小区加装电梯，想请一位懂规划和建设的同志到场解答。",
                room.id,
            )
            .await?;
        self.as_of(at(8))
            .support_step(
                &district,
                people,
                &SupportCommand::Answer {
                    text:
                        "已联系区住房和建设局，安排城市更新科的同志参加，届时请工作室提前一天告知议事会地点。"
                            .into(),
                },
            )
            .await?;
        self.as_of(at(2))
            .ask_support(
                &member,
                "consultation",
                "群众反映的小区停车难问题，想了解区里今年的停车位建设计划，以便向居民解释。",
                room.id,
            )
            .await?;
        Ok(())
    }
}
