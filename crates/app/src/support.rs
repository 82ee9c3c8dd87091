//! Members' support requests (委员履职支持, R12): a member asks the district CPPCC for guidance,
//! consultation or people about a room they serve; the district's staff answer; the member confirms or
//! asks again. Both see the whole history; the city general office reads every district's.

use std::collections::HashMap;

use domain::authz::{Role, Scope};
use domain::support::{self, SupportKind, SupportStep};
use store::support::{SupportFilter, SupportRecord};

use crate::access::{Acting, forbidden, not_visible};
use crate::{App, AppError};

/// A request with its room and what the caller may do now.
#[derive(Debug, Clone)]
pub struct SupportView {
    pub record: SupportRecord,
    pub room_name: String,
    /// Who asked (the member's account name, from the first message).
    pub asked_by: String,
    pub actions: Vec<SupportStep>,
}

/// A step on a request, typed at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupportCommand {
    Answer { text: String },
    Confirm,
    AskAgain { text: String },
}

impl SupportCommand {
    pub fn step(&self) -> SupportStep {
        match self {
            Self::Answer { .. } => SupportStep::Answer,
            Self::Confirm => SupportStep::Confirm,
            Self::AskAgain { .. } => SupportStep::AskAgain,
        }
    }
}

fn may_take(acting: &Acting, step: SupportStep, record: &SupportRecord) -> bool {
    match acting {
        Acting::Operator => false,
        Acting::Account(actor) => support::may_take(actor, step, record.member_id, record.district_id),
    }
}

fn may_read(acting: &Acting, record: &SupportRecord) -> bool {
    match acting {
        Acting::Operator => true,
        Acting::Account(actor) => support::may_read(actor, record.member_id, record.district_id),
    }
}

impl App {
    /// Whether the caller has support requests to see (the workbench links them).
    pub fn sees_support_requests(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => {
                matches!(actor.role, Role::CityOffice | Role::DistrictStaff | Role::Member)
            }
        }
    }

    async fn support_views(
        &self,
        acting: &Acting,
        records: Vec<SupportRecord>,
    ) -> Result<Vec<SupportView>, AppError> {
        let rooms: HashMap<i64, String> = self
            .store()
            .rooms_in_scope(&Scope::City)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        Ok(records
            .into_iter()
            .map(|record| SupportView {
                room_name: rooms.get(&record.room_id).cloned().unwrap_or_default(),
                asked_by: record
                    .messages
                    .first()
                    .map(|m| m.actor_name.clone())
                    .unwrap_or_default(),
                actions: [SupportStep::Answer, SupportStep::Confirm, SupportStep::AskAgain]
                    .into_iter()
                    .filter(|s| support::next_status(record.status, *s).is_ok())
                    .filter(|s| may_take(acting, *s, &record))
                    .collect(),
                record,
            })
            .collect())
    }

    /// The caller's requests: a member's own, a district's, or (the city) all; newest first.
    pub async fn support_requests(&self, acting: &Acting) -> Result<Vec<SupportView>, AppError> {
        let filter = match acting.scope() {
            Scope::City if Self::sees_support_requests(acting) => SupportFilter::All,
            Scope::District { district_id } if Self::sees_support_requests(acting) => {
                SupportFilter::District(district_id)
            }
            Scope::Member { member_id, .. } => SupportFilter::Member(member_id),
            _ => {
                return Err(AppError::Forbidden(
                    "委员履职支持请求由委员提出、区政协答复，您的账号无权查看".into(),
                ));
            }
        };
        let records = self.store().support_requests(filter).await?;
        self.support_views(acting, records).await
    }

    /// One request with its history.
    pub async fn support_request(&self, acting: &Acting, id: i64) -> Result<SupportView, AppError> {
        let scope = acting.scope();
        let record = self
            .store()
            .support_request(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "支持请求"))?;
        if !may_read(acting, &record) {
            return Err(forbidden());
        }
        self.support_views(acting, vec![record])
            .await?
            .pop()
            .ok_or_else(|| AppError::Internal("support view".into()))
    }

    /// A member asks the district about a room the member serves; returns the request's id.
    pub async fn ask_support(
        &self,
        acting: &Acting,
        kind: &str,
        text: &str,
        room_id: i64,
    ) -> Result<i64, AppError> {
        let Scope::Member { member_id, .. } = acting.scope() else {
            return Err(AppError::Forbidden("支持请求由委员本人提出".into()));
        };
        let kind = SupportKind::parse(kind.trim()).ok_or_else(|| {
            AppError::invalid(
                "kind",
                "请选择请求的类型：指导（guidance）、咨询（consultation）或人员参与（people）",
            )
        })?;
        let text =
            support::check_text(text, "请求内容").map_err(|err| AppError::invalid(err.field, err.message))?;
        let room = self
            .store()
            .room(room_id)
            .await?
            .ok_or_else(|| AppError::invalid("room_id", "没有这个工作室"))?;
        let serves = self
            .store()
            .room_members(room.id)
            .await?
            .iter()
            .any(|m| m.id == member_id);
        if !serves {
            return Err(AppError::invalid(
                "room_id",
                format!("您不是“{}”的入驻委员：请选择您所在的工作室", room.name),
            ));
        }
        Ok(self
            .store()
            .create_support_request(&acting.who(), member_id, &room, kind, &text, self.clock().now())
            .await?)
    }

    /// The district answers; the member confirms or asks again.
    pub async fn support_step(
        &self,
        acting: &Acting,
        id: i64,
        command: &SupportCommand,
    ) -> Result<SupportView, AppError> {
        let view = self.support_request(acting, id).await?;
        let record = &view.record;
        let step = command.step();
        if !may_take(acting, step, record) {
            return Err(AppError::Forbidden(match step {
                SupportStep::Answer => "支持请求由请求所在区的区政协工作人员答复".into(),
                _ => "确认或追问由提出请求的委员本人进行".into(),
            }));
        }
        let next = support::next_status(record.status, step)
            .map_err(|refused| AppError::Conflict(refused.to_string()))?;
        let text = match command {
            SupportCommand::Answer { text } => support::check_text(text, "答复内容"),
            SupportCommand::AskAgain { text } => support::check_text(text, "追问内容"),
            SupportCommand::Confirm => Ok(String::new()),
        }
        .map_err(|err| AppError::invalid(err.field, err.message))?;
        let moved = self
            .store()
            .take_support_step(
                &acting.who(),
                id,
                record.status,
                step,
                next,
                &text,
                self.clock().now(),
            )
            .await?;
        if !moved {
            return Err(AppError::Conflict("这项请求刚被他人处理，请刷新后再看".into()));
        }
        self.support_request(acting, id).await
    }
}
