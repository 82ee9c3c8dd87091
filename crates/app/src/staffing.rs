//! The staffing report (R7): conveners, town/street leads and room staff of each district, with
//! every gap and excess — city office for every district, district staff for their own.

use domain::authz::{Action, Place};
use domain::org::DivisionLevel;
use domain::staffing::{self, ConvenerTitle, DistrictStaffing, Finding};
use store::staffing::Convener;

use crate::access::{Acting, not_visible};
use crate::divisions::parse_code;
use crate::{App, AppError};

/// One district's report.
#[derive(Debug, Clone)]
pub struct StaffingReport {
    pub district_id: i64,
    pub district_code: String,
    pub staffing: DistrictStaffing,
    pub conveners: Vec<Convener>,
    pub findings: Vec<Finding>,
}

impl StaffingReport {
    pub fn streets_with_lead(&self) -> usize {
        self.staffing.streets.iter().filter(|s| s.holders > 0).count()
    }

    pub fn rooms_staffed(&self) -> usize {
        self.staffing.rooms.iter().filter(|r| r.holders > 0).count()
    }
}

impl App {
    /// The report for one district (by code) or, without one, every district the actor may see.
    pub async fn staffing(
        &self,
        acting: &Acting,
        district: Option<&str>,
    ) -> Result<Vec<StaffingReport>, AppError> {
        let scope = acting.scope();
        acting.require(Action::ManageStaffing, &scope.place())?;
        let ids = match district.map(str::trim).filter(|d| !d.is_empty()) {
            Some(raw) => {
                let code = parse_code("district", raw)?;
                if code.level() != DivisionLevel::District {
                    return Err(AppError::invalid("district", "请填写区的 6 位代码"));
                }
                let ids = self
                    .store()
                    .division_ids(&code)
                    .await?
                    .ok_or_else(|| not_visible(&scope, "区"))?;
                acting.require(
                    Action::ManageStaffing,
                    &Place {
                        district_id: Some(ids.district_id),
                        ..Place::default()
                    },
                )?;
                vec![ids.district_id]
            }
            None => match scope.place().district_id {
                Some(own) => vec![own],
                None => self.store().district_ids().await?,
            },
        };
        let rows = self.store().staffing(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|stored| {
                let findings = staffing::findings(&stored.staffing);
                StaffingReport {
                    district_id: stored.district_id,
                    district_code: stored.district_code,
                    staffing: stored.staffing,
                    conveners: stored.conveners,
                    findings,
                }
            })
            .collect())
    }

    pub async fn add_convener(
        &self,
        acting: &Acting,
        district: &str,
        title: &str,
        name: &str,
    ) -> Result<Convener, AppError> {
        let code = parse_code("district", district)?;
        if code.level() != DivisionLevel::District {
            return Err(AppError::invalid("district", "召集人属于区，请填写区的 6 位代码"));
        }
        let title = ConvenerTitle::parse(title.trim()).ok_or_else(|| {
            AppError::invalid(
                "title",
                "职务应为 cppcc_chair（区政协主席）或 ufwd_head（区委统战部部长）",
            )
        })?;
        let name = domain::text::single_line(name, 40)
            .map_err(|err| AppError::invalid("name", format!("姓名{err}")))?;
        let ids = self
            .store()
            .division_ids(&code)
            .await?
            .ok_or_else(|| AppError::invalid("district", format!("区划 {code} 不存在")))?;
        acting.require(
            Action::ManageStaffing,
            &Place {
                district_id: Some(ids.district_id),
                ..Place::default()
            },
        )?;
        Ok(self
            .store()
            .add_convener(&acting.who(), ids.district_id, title, &name, self.clock().now())
            .await?)
    }

    pub async fn remove_convener(&self, acting: &Acting, id: i64) -> Result<(), AppError> {
        let scope = acting.scope();
        acting.require(Action::ManageStaffing, &scope.place())?;
        let convener = self
            .store()
            .convener(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "召集人记录"))?;
        acting.require(
            Action::ManageStaffing,
            &Place {
                district_id: Some(convener.district_id),
                ..Place::default()
            },
        )?;
        Ok(self
            .store()
            .remove_convener(&acting.who(), &convener, self.clock().now())
            .await?)
    }
}
