//! The demo's budget lines (工作经费, R16), entered through the use cases by the accounts whose work
//! it is.

use chrono::NaiveDate;
use domain::authz::Scope;

use crate::{App, AppError};

impl App {
    /// This year's budget lines (R16): 洪桥's entered by its street lead with three spendings, 华乐's by
    /// the district; the other rooms have none, so the district sees them listed as missing.
    pub(super) async fn demo_funding(&self) -> Result<(), AppError> {
        use chrono::Datelike;
        use domain::funding::SpendingInput;

        use crate::funding::FundingInput;
        let today = self.clock().today();
        let year = today.year();
        let on = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day).map(|d| d.min(today));
        let spend = |date, amount_yuan, category: &str, note: &str| SpendingInput {
            date,
            amount_yuan,
            category: category.to_owned(),
            note: note.to_owned(),
        };
        let rooms = self.store().rooms_in_scope(&Scope::City).await?;
        let room = |name: &str| {
            rooms
                .iter()
                .find(|r| r.name == name)
                .map(|r| r.id)
                .ok_or_else(|| AppError::Internal(format!("demo room {name} missing")))
        };
        let street = self.demo_account("demo-street").await?;
        let district = self.demo_account("demo-district").await?;
        self.save_room_funding(
            &street,
            room("洪桥街政协委员工作室")?,
            year,
            &FundingInput {
                budget_yuan: 30_000.0,
                spent: vec![
                    spend(on(3, 16), 4_800.0, "equipment", "接待室桌椅和资料柜"),
                    spend(on(6, 18), 1_250.5, "publicity", "政策宣讲展板印制"),
                    spend(on(10, 21), 960.0, "activities", "居民协商议事会茶水和资料"),
                ],
                base: crate::funding::FundingBase::Fresh,
            },
        )
        .await?;
        self.save_room_funding(
            &district,
            room("华乐街政协委员工作室")?,
            year,
            &FundingInput {
                budget_yuan: 20_000.0,
                spent: vec![spend(on(5, 12), 2_300.0, "venue", "联络站场地改造分摊")],
                base: crate::funding::FundingBase::Fresh,
            },
        )
        .await?;
        Ok(())
    }
}
