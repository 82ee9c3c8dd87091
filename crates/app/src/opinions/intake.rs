//! Taking opinions in: a resident's online submission (网上提交) and a visitor registered at a
//! reception (来访登记), each opened as a case with its tracking code.

use std::collections::HashMap;

use domain::authz::Action;
use domain::member::MobileNumber;
use domain::opinion::{CaseState, submissions_per_client, submissions_per_phone};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::opinions::CaseRecord;
use store::opinions::NewCase;
use store::units::{PublicMember, Room};

use crate::access::{Acting, not_visible, room_place};
use crate::{App, AppError};

use super::{MAX_CONTENT_CHARS, text_field};

/// What a resident sends from the online form (网上工作室).
#[derive(Debug, Clone, Default)]
pub struct OnlineOpinion {
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub community: Option<String>,
    /// Explicit consent to the processing of personal information (PIPL).
    pub consent: bool,
    /// Keep name and phone from the departments that handle it.
    pub anonymous_to_departments: bool,
    /// The honeypot field people never see; anything in it is a robot.
    pub trap: Option<String>,
}

/// A visitor staff register at a reception (群众来访登记).
#[derive(Debug, Clone, Default)]
pub struct Visit {
    pub room_id: i64,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub community: Option<String>,
    /// The member who received the visitor.
    pub member_id: Option<i64>,
    /// The activity (e.g. the reception day) where the visitor came, of the same room.
    pub activity_id: Option<i64>,
    pub consent: bool,
    pub anonymous_to_departments: bool,
}

/// A room where the caller registers visitors, with the choices its form offers.
#[derive(Debug, Clone)]
pub struct VisitDesk {
    pub room: Room,
    /// Who may be named as the member who received the visitor.
    pub members: Vec<PublicMember>,
    /// The confirmed activities of the last 60 days the visit may belong to.
    pub recent: Vec<crate::activities::ActivityRecord>,
}

impl App {
    /// Opens a case with a fresh tracking code (retrying the rare code already in use).
    pub(super) async fn open_case(
        &self,
        who: &store::audit::Who,
        mut new: NewCase,
    ) -> Result<CaseRecord, AppError> {
        for _ in 0..5 {
            new.tracking_code = domain::opinion::tracking_code(rand::rng().next_u64());
            match self.store().create_case(who, &new, self.clock().now()).await {
                Ok(id) => {
                    let case = self
                        .store()
                        .case(id)
                        .await?
                        .ok_or_else(|| AppError::Internal(format!("case {id} vanished")))?;
                    self.notify_arrival(&case).await;
                    return Ok(case);
                }
                Err(store::StoreError::Duplicate(_)) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Err(AppError::Internal("no free tracking code after 5 tries".into()))
    }

    /// Takes an opinion from the online form of an open room. Returns the tracking code.
    pub async fn submit_online_opinion(
        &self,
        room_id: i64,
        input: &OnlineOpinion,
        client: Option<&str>,
    ) -> Result<CaseRecord, AppError> {
        let room = self
            .store()
            .room(room_id)
            .await?
            .filter(|r| r.open)
            .ok_or_else(|| AppError::NotFound("没有这个工作室".into()))?;
        if input.trap.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            return Err(AppError::invalid(
                "website",
                "提交未通过校验，请直接填写表单中的内容",
            ));
        }
        let content = text_field("content", "意见内容", Some(&input.content), MAX_CONTENT_CHARS)?;
        let name = domain::text::single_line(&input.contact_name, 40)
            .map_err(|err| AppError::invalid("contact_name", format!("联系人姓名{err}")))?;
        let phone = MobileNumber::parse(&input.contact_phone).ok_or_else(|| {
            AppError::invalid("contact_phone", "联系电话应为 11 位手机号码，如 13800138000")
        })?;
        let community = crate::members::optional_text(
            "community",
            "所在社区",
            input.community.as_deref().unwrap_or_default(),
            100,
        )?;
        if !input.consent {
            return Err(AppError::invalid(
                "consent",
                "请阅读并勾选同意《个人信息处理说明》，我们才能受理并回复您的意见",
            ));
        }
        // Rate limits in the database, so they hold across servers: per address and per phone.
        let now = self.clock().now();
        let mut keys = vec![(
            format!("opinion-phone:{}", hex::encode(Sha256::digest(phone.as_str()))),
            submissions_per_phone(),
        )];
        if let Some(ip) = client {
            keys.push((format!("opinion-ip:{ip}"), submissions_per_client()));
        }
        let due_on = self.due_for(CaseState::Received, self.clock().today()).await?;
        // Counted atomically before the write, so a burst cannot pass the limit.
        self.count_attempt(&keys, now).await?;
        let new = NewCase {
            tracking_code: String::new(),
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            channel: "online",
            content,
            contact_name: name.into(),
            contact_phone: Some(phone.as_str().to_owned().into()),
            community,
            anonymous_to_departments: input.anonymous_to_departments,
            member_id: None,
            activity_id: None,
            due_on,
        };
        match self.open_case(&store::audit::Who::system("online"), new).await {
            Ok(case) => Ok(case),
            Err(err) => {
                // Nothing was received: the attempt does not count against the resident.
                self.give_back_attempts(&keys).await?;
                Err(err)
            }
        }
    }

    /// Registers a visitor at a reception (群众来访登记): the room's staff and those above it.
    pub async fn register_visit(&self, acting: &Acting, visit: &Visit) -> Result<CaseRecord, AppError> {
        let scope = acting.scope();
        let room = self
            .store()
            .room(visit.room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))?;
        acting.require(Action::RecordActivities, &room_place(&room))?;
        let content = text_field("content", "来访事项", Some(&visit.content), MAX_CONTENT_CHARS)?;
        let name = domain::text::single_line(&visit.contact_name, 40)
            .map_err(|err| AppError::invalid("contact_name", format!("来访人姓名{err}")))?;
        let phone = match visit.contact_phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(MobileNumber::parse(raw).ok_or_else(|| {
                AppError::invalid("contact_phone", "联系电话应为 11 位手机号码，如 13800138000")
            })?),
        };
        let community = crate::members::optional_text(
            "community",
            "所在社区",
            visit.community.as_deref().unwrap_or_default(),
            100,
        )?;
        if !visit.consent {
            return Err(AppError::invalid(
                "consent",
                "请向来访人说明个人信息的用途并取得同意后再登记",
            ));
        }
        if let Some(member_id) = visit.member_id {
            self.require_serving(&room, member_id).await?;
        }
        if let Some(activity_id) = visit.activity_id {
            let held_here = self
                .store()
                .activity(activity_id)
                .await?
                .is_some_and(|a| a.room_id == room.id);
            if !held_here {
                return Err(AppError::invalid(
                    "activity_id",
                    format!("编号为 {activity_id} 的活动不是本工作室的活动"),
                ));
            }
        }
        let new = NewCase {
            tracking_code: String::new(),
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            channel: "visit",
            content,
            contact_name: name.into(),
            contact_phone: phone.map(|p| p.as_str().to_owned().into()),
            community,
            anonymous_to_departments: visit.anonymous_to_departments,
            member_id: visit.member_id,
            activity_id: visit.activity_id,
            due_on: self.due_for(CaseState::Received, self.clock().today()).await?,
        };
        self.open_case(&acting.who(), new).await
    }

    pub(super) async fn require_serving(
        &self,
        room: &Room,
        member_id: i64,
    ) -> Result<PublicMember, AppError> {
        self.store()
            .room_members(room.id)
            .await?
            .into_iter()
            .find(|m| m.id == member_id)
            .ok_or_else(|| {
                AppError::invalid("member_id", format!("编号为 {member_id} 的委员不在本工作室履职"))
            })
    }

    /// The rooms where the caller registers visitors (来访登记), each with what the form offers: the
    /// room's serving members and its confirmed activities of the last 60 days. Three queries,
    /// however many rooms a district or the city keeps.
    pub async fn visit_desks(&self, acting: &Acting) -> Result<Vec<VisitDesk>, AppError> {
        let rooms: Vec<Room> = self
            .rooms_with_actions(acting)
            .await?
            .into_iter()
            .filter(|r| r.room.open && r.records_activities)
            .map(|r| r.room)
            .collect();
        if rooms.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let mut members = self.store().members_of_rooms(&ids).await?;
        let today = self.clock().today();
        let filter = crate::activities::ActivityFilter {
            from: Some(today - chrono::Days::new(60)),
            to: Some(today),
            room_id: None,
            status: Some(domain::activity::ActivityStatus::Confirmed),
        };
        let mut recent: HashMap<i64, Vec<crate::activities::ActivityRecord>> = HashMap::new();
        for activity in self.activities(acting, &filter).await? {
            recent.entry(activity.room_id).or_default().push(activity);
        }
        Ok(rooms
            .into_iter()
            .map(|room| VisitDesk {
                members: members.remove(&room.id).unwrap_or_default(),
                recent: recent.remove(&room.id).unwrap_or_default(),
                room,
            })
            .collect())
    }
}
