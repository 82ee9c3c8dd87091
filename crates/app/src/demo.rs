//! The demo data set (`--demo`, `workroom demo`): loaded only into a database that holds no user data.
//! Real Guangzhou places (越秀区洪桥街道, 海珠区); people and rooms are invented. The demo accounts of
//! shared/CONTRACT.md exist only here, all with the password [`DEMO_PASSWORD`].

use chrono::{Datelike, Days};
use domain::authz::{Role, Scope};
use domain::calendar::{SessionHours, SessionStatus};
use domain::department::DepartmentKind;
use domain::member::MemberLevel;
use domain::org::DivisionCode;
use domain::room::RoomKind;
use domain::staffing::ConvenerTitle;
use store::accounts::NewAccount;
use store::audit::Who;
use store::members::MemberRecord;
use store::sessions::NewSession;
use store::settings::DEMO_LOADED_AT;
use store::units::{DivisionIds, NewRoom, Room};

use crate::Acting;
use crate::auth::{account_error, hash_password};
use crate::{App, AppError};

/// The password of every demo account (demo only).
pub const DEMO_PASSWORD: &str = "workroom-demo";

/// A demo account as printed for the person who started the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub role: &'static str,
    pub scope: String,
}

/// What loading the demo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded {
        accounts: Vec<DemoAccount>,
    },
    /// The database already holds data of its own; nothing was changed.
    LeftAlone,
}

impl App {
    /// Loads the demo set when the database holds no user data yet.
    pub async fn load_demo(&self) -> Result<DemoOutcome, AppError> {
        if !self.store().holds_no_user_data().await? {
            return Ok(DemoOutcome::LeftAlone);
        }
        let who = Who::system("demo");
        let now = self.clock().now();
        let store = self.store();
        let place = |code: &'static str| async move {
            let code = DivisionCode::parse(code).map_err(|err| AppError::Internal(err.to_string()))?;
            store
                .division_ids(&code)
                .await?
                .ok_or_else(|| AppError::Internal(format!("demo division {code} missing")))
        };
        let yuexiu = place("440104").await?;
        let hongqiao = place("440104001").await?;
        let sanyanjing = place("440104001007").await?;
        let beijing_street = place("440104003").await?;
        let haizhu = place("440105").await?;
        let district_only = |ids: DivisionIds| DivisionIds {
            street_id: None,
            ..ids
        };

        let street_office = store
            .create_department(
                &who,
                "洪桥街道公共服务办公室",
                DepartmentKind::Functional,
                hongqiao,
                now,
            )
            .await?;
        store
            .create_department(
                &who,
                "洪桥街道城市管理办公室",
                DepartmentKind::Functional,
                hongqiao,
                now,
            )
            .await?;
        let district_bureau = store
            .create_department(
                &who,
                "越秀区住房和建设局",
                DepartmentKind::Functional,
                district_only(yuexiu),
                now,
            )
            .await?;
        let petition = store
            .create_department(
                &who,
                "越秀区信访局",
                DepartmentKind::Petition,
                district_only(yuexiu),
                now,
            )
            .await?;
        store
            .create_department(
                &who,
                "海珠区信访局",
                DepartmentKind::Petition,
                district_only(haizhu),
                now,
            )
            .await?;

        let huale = place("440104015").await?;
        let shipai = place("440106006").await?;
        let haizhu_street = place("440105001").await?;
        let jiekou = place("440117001").await?;
        let rooms = [
            NewRoom {
                name: "洪桥街政协委员工作室",
                kind: RoomKind::Fixed,
                at: sanyanjing,
                address: "洪桥街道党群服务中心二楼",
                opening_notes: Some("工作日 9:00–12:00、14:30–17:30 开放；接待日另行公告"),
                shared_with_liaison: false,
                receives_monthly: false,
            },
            NewRoom {
                name: "华乐街政协委员工作室",
                kind: RoomKind::Fixed,
                at: huale,
                address: "华乐街道党群服务中心一楼",
                opening_notes: Some("与党代表、人大代表联络站合署办公；每月接待"),
                shared_with_liaison: true,
                receives_monthly: true,
            },
            NewRoom {
                name: "越秀区政协网上委员工作室",
                kind: RoomKind::Online,
                at: beijing_street,
                address: "网上接待（越秀区政协门户）",
                opening_notes: Some("全天接收群众意见，工作日内答复"),
                shared_with_liaison: false,
                receives_monthly: false,
            },
            NewRoom {
                name: "海珠区流动委员工作室",
                kind: RoomKind::Mobile,
                at: haizhu_street,
                address: "按接待安排轮流到各社区",
                opening_notes: None,
                shared_with_liaison: false,
                receives_monthly: false,
            },
            NewRoom {
                name: "石牌街委员联络站",
                kind: RoomKind::Fixed,
                at: shipai,
                address: "石牌街道综合服务中心三楼",
                opening_notes: None,
                shared_with_liaison: true,
                receives_monthly: false,
            },
            NewRoom {
                name: "从化区流动委员工作室",
                kind: RoomKind::Mobile,
                at: jiekou,
                address: "按接待安排到各镇街村居",
                opening_notes: None,
                shared_with_liaison: false,
                receives_monthly: false,
            },
        ];
        let mut created_rooms = Vec::new();
        for new in &rooms {
            created_rooms.push(store.create_room(&who, new, now).await?);
        }
        let room = created_rooms[0].clone();
        self.load_demo_members(&who, now).await?;
        self.load_demo_sessions(&who, &created_rooms).await?;
        self.load_demo_activities(&who, &created_rooms).await?;
        // The demo member account is the city-level member 陈思远 of the roster, serving in 洪桥.
        let member = store
            .member_named("陈思远", MemberLevel::City)
            .await?
            .ok_or_else(|| AppError::Internal("demo member 陈思远 missing".into()))?;
        self.load_demo_member_report(member.id, &room).await?;
        self.load_demo_cases(
            &room,
            member.id,
            street_office.id,
            district_bureau.id,
            petition.id,
        )
        .await?;
        self.load_demo_earlier_opinions(&created_rooms[..2]).await?;
        self.load_demo_other_visitors(&created_rooms[2..]).await?;

        let accounts = [
            ("demo-city", "市政协办公厅（演示）", Role::CityOffice, Scope::City),
            (
                "demo-district",
                "越秀区政协（演示）",
                Role::DistrictStaff,
                Scope::District {
                    district_id: yuexiu.district_id,
                },
            ),
            (
                "demo-street",
                "洪桥街道负责人（演示）",
                Role::StreetLead,
                Scope::Street {
                    district_id: yuexiu.district_id,
                    street_id: hongqiao.id,
                },
            ),
            (
                "demo-staff",
                "洪桥街工作室工作人员（演示）",
                Role::RoomStaff,
                Scope::Room {
                    district_id: room.district_id,
                    street_id: room.street_id,
                    room_id: room.id,
                },
            ),
            (
                "demo-member",
                "陈思远（演示委员）",
                Role::Member,
                Scope::Member {
                    member_id: member.id,
                    district_id: member.district_id,
                },
            ),
            (
                "demo-dept",
                "洪桥街道公共服务办公室（演示）",
                Role::FunctionalDepartment,
                Scope::Department {
                    district_id: street_office.district_id,
                    street_id: street_office.street_id,
                    department_id: street_office.id,
                },
            ),
            (
                "demo-petition",
                "越秀区信访局（演示）",
                Role::PetitionDepartment,
                Scope::Department {
                    district_id: petition.district_id,
                    street_id: None,
                    department_id: petition.id,
                },
            ),
            (
                "demo-other-district",
                "海珠区政协（演示）",
                Role::DistrictStaff,
                Scope::District {
                    district_id: haizhu.district_id,
                },
            ),
        ];
        // Conveners (R7): 越秀区 has both; 海珠区 has only its chair, so the staffing report shows a gap.
        for (district, title, name) in [
            (yuexiu.district_id, ConvenerTitle::CppccChair, "李国明"),
            (yuexiu.district_id, ConvenerTitle::UfwdHead, "张慧芳"),
            (haizhu.district_id, ConvenerTitle::CppccChair, "王建华"),
        ] {
            store.add_convener(&who, district, title, name, now).await?;
        }
        let mut printed = Vec::new();
        for (username, display_name, role, scope) in accounts {
            let new = NewAccount {
                username: username.to_owned(),
                display_name: display_name.to_owned(),
                password_hash: hash_password(DEMO_PASSWORD.to_owned()).await?,
                role,
                scope,
                must_change_password: false,
            };
            let account = store
                .create_account(&who, &new, now)
                .await
                .map_err(account_error)?;
            printed.push(DemoAccount {
                username: account.username,
                role: role.label_zh(),
                scope: account.scope_name,
            });
        }
        self.demo_annual_summaries().await?;
        self.demo_rules().await?;
        store.put_setting(DEMO_LOADED_AT, &now.to_rfc3339()).await?;
        Ok(DemoOutcome::Loaded { accounts: printed })
    }
}

/// The demo's members beyond the demo account's own: a roster in the import format.
const DEMO_MEMBERS: &str = include_str!("../../../data/demo/members.csv");

impl App {
    /// This year's reception sessions of every demo room: the past ones held with their notice posted on
    /// time, except the last past one of 海珠区流动委员工作室, posted a day late; the coming ones planned.
    /// Two members are on duty at each, in turn; the exempt members of the demo are never on duty, so
    /// the duty list shows an exempt member below 2 who is not flagged.
    async fn load_demo_sessions(&self, who: &Who, rooms: &[Room]) -> Result<(), AppError> {
        let today = self.clock().today();
        let year = today.year();
        let exempt = self.demo_exempt_members().await?;
        let mut sessions = Vec::new();
        for room in rooms {
            let days = self.room_reception_days(room.id, year).await?.days;
            let serving: Vec<i64> = self
                .store()
                .room_members(room.id)
                .await?
                .into_iter()
                .map(|m| m.id)
                .filter(|id| !exempt.contains(id))
                .collect();
            let last_past = days.days.iter().rev().find(|d| d.date < today).map(|d| d.date);
            for (index, day) in days.days.iter().enumerate() {
                let members: Vec<i64> = if serving.is_empty() {
                    Vec::new()
                } else {
                    let mut pair = vec![
                        serving[(2 * index) % serving.len()],
                        serving[(2 * index + 1) % serving.len()],
                    ];
                    pair.dedup();
                    pair
                };
                let past = day.date < today;
                let late = room.kind == RoomKind::Mobile
                    && room.district_name == "海珠区"
                    && Some(day.date) == last_past;
                let posted_on = if late {
                    day.notice_by + Days::new(1)
                } else {
                    day.notice_by - Days::new(1)
                };
                sessions.push(NewSession {
                    room_id: room.id,
                    district_id: room.district_id,
                    date: day.date,
                    nominal_date: day.nominal_date,
                    hours: SessionHours::default_morning(),
                    place: room.address.clone(),
                    notice_due: day.notice_by,
                    member_ids: members.clone(),
                    status: if past {
                        SessionStatus::Held
                    } else {
                        SessionStatus::Planned
                    },
                    notice_posted: (past || posted_on <= today).then(|| (posted_on, "社区公告栏".to_owned())),
                });
            }
        }
        self.store()
            .create_sessions(who, &sessions, self.clock().now())
            .await?;
        Ok(())
    }

    async fn demo_exempt_members(&self) -> Result<std::collections::HashSet<i64>, AppError> {
        Ok(self
            .store()
            .members_in_scope(&Scope::City)
            .await?
            .into_iter()
            .filter(MemberRecord::exempt)
            .map(|m| m.id)
            .collect())
    }

    /// A year of community activities besides the reception days (R10): in each room a grassroots
    /// research in April, a policy talk in June and a residents' consultation in October, each with
    /// three of its members in turn; 越秀区's own kind (“有事好商量”协商议事) once in 洪桥; and a legal
    /// consultation the demo member reported, awaiting the staff's confirmation. Some members stay
    /// below 2 (those serving in no room, and some in large rooms).
    async fn load_demo_activities(&self, who: &Who, rooms: &[Room]) -> Result<(), AppError> {
        use domain::activity::{ActivityKind, ActivityStatus};
        use store::activities::NewActivity;
        let year = self.clock().today().year();
        let now = self.clock().now();
        let exempt = self.demo_exempt_members().await?;
        let date = |month: u32, day: u32| {
            chrono::NaiveDate::from_ymd_opt(year, month, day)
                .ok_or_else(|| AppError::Internal("demo date".into()))
        };
        let plan = [
            (
                ActivityKind::GrassrootsResearch,
                date(4, 22)?,
                "走访辖区老旧小区，了解加装电梯和停车难问题，收集居民意见 12 条。",
                35,
            ),
            (
                ActivityKind::PolicyPromotion,
                date(6, 18)?,
                "宣讲城市更新和老年人助餐政策，现场解答居民提问。",
                60,
            ),
            (
                ActivityKind::ResidentsConsultation,
                date(10, 21)?,
                "与居民、物业和社区共同协商社区微改造方案，形成三项共识。",
                28,
            ),
        ];
        let yuexiu = rooms
            .first()
            .ok_or_else(|| AppError::Internal("demo rooms missing".into()))?;
        let local = self
            .store()
            .create_local_kind(who, yuexiu.district_id, "“有事好商量”协商议事", now)
            .await?;
        let mut activities = Vec::new();
        for room in rooms {
            let serving: Vec<i64> = self
                .store()
                .room_members(room.id)
                .await?
                .into_iter()
                .map(|m| m.id)
                .filter(|id| !exempt.contains(id))
                .collect();
            if serving.is_empty() {
                continue;
            }
            for (index, (kind, held_on, summary, reached)) in plan.iter().enumerate() {
                let mut members: Vec<i64> =
                    (0..3).map(|k| serving[(3 * index + k) % serving.len()]).collect();
                members.sort_unstable();
                members.dedup();
                activities.push(NewActivity {
                    room_id: room.id,
                    district_id: room.district_id,
                    street_id: room.street_id,
                    kind: *kind,
                    local_kind_id: None,
                    held_on: *held_on,
                    hours: Some(SessionHours::default_morning()),
                    place: room.address.clone(),
                    summary: (*summary).to_owned(),
                    residents_reached: Some(*reached),
                    status: ActivityStatus::Confirmed,
                    member_ids: members,
                    client_key: None,
                });
            }
        }
        let hongqiao: Vec<i64> = self
            .store()
            .room_members(yuexiu.id)
            .await?
            .into_iter()
            .map(|m| m.id)
            .filter(|id| !exempt.contains(id))
            .take(4)
            .collect();
        activities.push(NewActivity {
            room_id: yuexiu.id,
            district_id: yuexiu.district_id,
            street_id: yuexiu.street_id,
            kind: ActivityKind::Local,
            local_kind_id: Some(local.id),
            held_on: date(8, 12)?,
            hours: None,
            place: "三眼井社区居委会议事厅".to_owned(),
            summary: "围绕社区菜市场周边交通秩序开展“有事好商量”协商，邀请交警、城管和商户代表参加。"
                .to_owned(),
            residents_reached: Some(40),
            status: ActivityStatus::Confirmed,
            member_ids: hongqiao,
            client_key: None,
        });
        for activity in &activities {
            self.store().create_activity(who, activity, now).await?;
        }
        Ok(())
    }

    /// The demo member's own report, waiting for the room's staff to confirm it.
    async fn load_demo_member_report(&self, member_id: i64, room: &Room) -> Result<(), AppError> {
        use domain::activity::{ActivityKind, ActivityStatus};
        let year = self.clock().today().year();
        let held_on = chrono::NaiveDate::from_ymd_opt(year, 11, 20)
            .ok_or_else(|| AppError::Internal("demo date".into()))?;
        let new = store::activities::NewActivity {
            room_id: room.id,
            district_id: room.district_id,
            street_id: room.street_id,
            kind: ActivityKind::LegalInfoConsultation,
            local_kind_id: None,
            held_on,
            hours: None,
            place: "三眼井社区长者饭堂".to_owned(),
            summary: "为社区长者讲解防范养老诈骗，解答遗嘱和赡养问题。".to_owned(),
            residents_reached: Some(25),
            status: ActivityStatus::Pending,
            member_ids: vec![member_id],
            client_key: None,
        };
        self.store()
            .create_activity(&Who::system("demo-member"), &new, self.clock().now())
            .await?;
        Ok(())
    }

    /// Loads `data/demo/members.csv` through the same checks and storage as a real roster import.
    async fn load_demo_members(&self, who: &Who, now: chrono::DateTime<chrono::Utc>) -> Result<(), AppError> {
        use std::collections::{HashMap, HashSet};
        let documents::xlsx::Sheet { headers, rows } = documents::csv_export::read_table(DEMO_MEMBERS)
            .map_err(|err| AppError::Internal(format!("demo roster: {err}")))?;
        let targets = self.store().roster_targets().await?;
        let districts: HashSet<String> = targets.districts.keys().cloned().collect();
        let rooms: HashSet<String> = targets.rooms.keys().cloned().collect();
        let context = domain::roster::RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let mut members = Vec::new();
        for (line, cells) in &rows {
            let by_header: HashMap<&str, String> = headers
                .iter()
                .map(String::as_str)
                .zip(cells.iter().cloned())
                .collect();
            let member = domain::roster::parse_row(*line, &by_header, &context)
                .map_err(|problems| AppError::Internal(format!("demo roster line {line}: {problems:?}")))?;
            members.push(member);
        }
        let import = store::roster::RosterImport {
            members: &members,
            targets: &targets,
            file_digest: "demo",
            dry_run: false,
        };
        self.store().apply_roster(who, &import, now, &|_| {}).await?;
        Ok(())
    }
}

/// One demo case: what the resident raised, and the steps it has gone through.
struct DemoCase {
    content: &'static str,
    name: &'static str,
    phone: Option<&'static str>,
    online: bool,
    steps: &'static [(domain::opinion::ActionKind, &'static str, &'static str)],
    rating: Option<(domain::opinion::Rating, &'static str)>,
}

impl App {
    /// Citizens' opinions at 洪桥 in every state of their routing (R13), with the steps that led there,
    /// through the same state machine as real cases.
    async fn load_demo_cases(
        &self,
        room: &Room,
        member_id: i64,
        street_department: i64,
        district_department: i64,
        petition: i64,
    ) -> Result<(), AppError> {
        use domain::opinion::{ActionKind as A, CaseState, Rating, Standing, next_state, working_days_for};
        let all = Standing {
            room_staff: true,
            street_lead: true,
            holding_department: true,
            member: true,
            resident: false,
        };
        let cases = [
            DemoCase {
                content: "三眼井社区 12 号楼前的路灯已经坏了两周，晚上老人出行不安全，希望尽快修复。",
                name: "李秀梅",
                phone: Some("13912345678"),
                online: true,
                steps: &[],
                rating: None,
            },
            DemoCase {
                content: "想了解长者饭堂的用餐补贴怎么申请。",
                name: "王伯",
                phone: None,
                online: false,
                steps: &[(
                    A::AnswerOnSpot,
                    "room_staff",
                    "委员现场说明：持长者卡到社区长者饭堂登记即可享受补贴，并留下社区服务电话。",
                )],
                rating: None,
            },
            DemoCase {
                content: "小区内共享单车乱停放，堵塞消防通道。",
                name: "赵丽",
                phone: Some("13812340001"),
                online: true,
                steps: &[(A::ReferToStreet, "room_staff", "")],
                rating: None,
            },
            DemoCase {
                content: "社区老年活动中心空调坏了，夏天无法使用。",
                name: "陈大文",
                phone: Some("13712340002"),
                online: false,
                steps: &[
                    (A::ReferToStreet, "room_staff", ""),
                    (
                        A::Instruct,
                        "street_lead",
                        "请公共服务办公室一周内核实维修，并回复居民。",
                    ),
                ],
                rating: None,
            },
            DemoCase {
                content: "老旧小区加装电梯审批流程长，希望简化。",
                name: "黄先生",
                phone: Some("13612340003"),
                online: true,
                steps: &[
                    (A::ReferToStreet, "room_staff", ""),
                    (
                        A::ForwardToDistrict,
                        "street_lead",
                        "涉及审批流程，超出街道职权，转区住房和建设局。",
                    ),
                ],
                rating: None,
            },
            DemoCase {
                content: "反映物业公司多年未公开维修基金使用情况，已多次投诉无果。",
                name: "周女士",
                phone: Some("13512340004"),
                online: false,
                steps: &[(A::SendToPetition, "room_staff", "")],
                rating: None,
            },
            DemoCase {
                content: "拆迁补偿款迟迟未到位。",
                name: "吴先生",
                phone: Some("13412340005"),
                online: false,
                steps: &[
                    (A::SendToPetition, "room_staff", ""),
                    (
                        A::FeedbackToMember,
                        "petition_department",
                        "已约谈相关单位，补偿款将于下月底前发放，信访局持续跟踪。",
                    ),
                ],
                rating: None,
            },
            DemoCase {
                content: "垃圾分类投放点气味大，希望增加清运次数。",
                name: "刘阿姨",
                phone: Some("13312340006"),
                online: true,
                steps: &[
                    (A::ReferToStreet, "room_staff", ""),
                    (A::Instruct, "street_lead", "请公共服务办公室协调环卫加密清运。"),
                    (
                        A::RecordHandling,
                        "functional_department",
                        "已将清运改为每日两次，并对投放点加装除臭设施。",
                    ),
                ],
                rating: None,
            },
            DemoCase {
                content: "社区公园健身器材老化，存在安全隐患。",
                name: "孙先生",
                phone: Some("13212340007"),
                online: true,
                steps: &[
                    (A::ReferToStreet, "room_staff", ""),
                    (A::Instruct, "street_lead", "请公共服务办公室排查更换。"),
                    (
                        A::RecordHandling,
                        "functional_department",
                        "已更换 6 件器材，并张贴使用提示。",
                    ),
                    (A::Close, "room_staff", "器材已更换，电话回访居民。"),
                ],
                rating: Some((Rating::Satisfied, "")),
            },
            DemoCase {
                content: "夜间施工噪音扰民。",
                name: "郑女士",
                phone: Some("13112340008"),
                online: true,
                steps: &[
                    (A::ReferToStreet, "room_staff", ""),
                    (A::Instruct, "street_lead", "请公共服务办公室联系施工单位。"),
                    (
                        A::RecordHandling,
                        "functional_department",
                        "已要求施工单位 22 时后停工。",
                    ),
                    (A::Close, "room_staff", "已答复居民。"),
                ],
                rating: Some((Rating::Dissatisfied, "仍有施工单位在夜间作业，问题没有真正解决。")),
            },
            DemoCase {
                content: "与前雇主的劳动合同纠纷，要求赔偿。",
                name: "何先生",
                phone: Some("13012340009"),
                online: false,
                steps: &[(A::ScreenOut, "room_staff", "")],
                rating: None,
            },
            DemoCase {
                content: "多个社区反映老旧小区停车位严重不足。",
                name: "林先生",
                phone: Some("15012340010"),
                online: false,
                steps: &[(
                    A::DraftSocialReport,
                    "member",
                    "关于缓解越秀区老旧小区停车难的建议",
                )],
                rating: None,
            },
        ];
        let now = self.clock().now();
        let today = self.clock().today();
        // Visitors came to 洪桥's last reception day: their opinions were collected there.
        let reception_day = self
            .store()
            .activities_in_scope(
                &Scope::City,
                &store::activities::ActivityFilter {
                    room_id: Some(room.id),
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .find(|a| a.kind == domain::activity::ActivityKind::ReceptionDay)
            .map(|a| a.id);
        let rules = self
            .store()
            .rule_book()
            .await?
            .in_effect(today)
            .cloned()
            .unwrap_or_default();
        let calendar = self
            .store()
            .work_calendar(today.year()..=today.year() + 1)
            .await?;
        let due = |state: CaseState| {
            working_days_for(state, rules.triage_working_days, rules.department_working_days)
                .map(|days| calendar.add_working_days(today, days))
        };
        for demo in &cases {
            let new = store::opinions::NewCase {
                tracking_code: String::new(),
                room_id: room.id,
                district_id: room.district_id,
                street_id: room.street_id,
                channel: if demo.online { "online" } else { "visit" },
                content: demo.content.to_owned(),
                contact_name: demo.name.to_owned().into(),
                contact_phone: demo.phone.map(|p| p.to_owned().into()),
                community: Some("三眼井社区".to_owned()),
                anonymous_to_departments: false,
                member_id: (!demo.online).then_some(member_id),
                activity_id: if demo.online { None } else { reception_day },
                due_on: due(CaseState::Received),
            };
            let mut case = self.open_demo_case(new).await?;
            for (action, role, text) in demo.steps {
                let (to_state, route) = next_state(case.state, case.route, *action, all)
                    .map_err(|err| AppError::Internal(format!("demo case: {err}")))?;
                let holder = match action {
                    A::Instruct => Some(street_department),
                    A::ForwardToDistrict => Some(district_department),
                    A::SendToPetition | A::FeedbackToMember => Some(petition),
                    _ => None,
                };
                let (title, body) = match action {
                    A::DraftSocialReport | A::DraftProposal => (
                        Some((*text).to_owned()),
                        Some(
                            "多个社区居民集中反映停车难，建议挖潜共享车位、错时开放机关单位停车场。"
                                .to_owned(),
                        ),
                    ),
                    A::ScreenOut => (None, Some("属于诉讼事项，已告知向越秀区人民法院提出".to_owned())),
                    _ => (None, (!text.is_empty()).then(|| (*text).to_owned())),
                };
                let step = store::opinions::StepWrite {
                    action: *action,
                    actor_role: role,
                    title,
                    text: body,
                    to_state,
                    route,
                    holder,
                    due_on: due(to_state),
                    member_id: matches!(action, A::SendToPetition).then_some(member_id),
                    screened: (*action == A::ScreenOut).then(|| {
                        (
                            domain::opinion::Procedure::Litigation,
                            "越秀区人民法院".to_owned(),
                        )
                    }),
                };
                self.store()
                    .apply_case_step(&Who::system("demo"), &case, &step, now)
                    .await?;
                case = self
                    .store()
                    .case(case.id)
                    .await?
                    .ok_or_else(|| AppError::Internal("demo case vanished".into()))?;
            }
            if let Some((rating, comment)) = demo.rating {
                // As the resident does: a 不满意 goes to the street lead for review.
                let comment = (!comment.is_empty()).then_some(comment);
                self.rate_case(&case.tracking_code, rating.as_str(), comment, None)
                    .await?;
            }
        }
        Ok(())
    }

    /// Opinions of earlier months at 洪桥 and 华乐街, answered on the spot and closed: among them a
    /// concern heard in both rooms over the year (parking in old estates, X6).
    async fn load_demo_earlier_opinions(&self, rooms: &[Room]) -> Result<(), AppError> {
        use domain::opinion::{ActionKind as A, Standing, next_state};
        use rand::RngCore;
        let staff = Standing {
            room_staff: true,
            ..Standing::NONE
        };
        let earlier = [
            (
                0,
                263,
                "我们小区是老旧小区，停车位严重不足，晚上回家经常找不到地方停车。",
            ),
            (
                1,
                202,
                "老旧小区停车难，希望挖潜增加停车位，比如错时开放周边单位的停车场。",
            ),
            (0, 171, "社区长者饭堂的菜品能否多一些选择，适合老人口味。"),
            (1, 110, "小区停车位太少，车辆乱停堵塞消防通道，存在安全隐患。"),
            (0, 49, "停车位不足，老旧小区内车辆占用人行道，老人出行不便。"),
        ];
        for (room_index, days_ago, content) in earlier {
            let room = &rooms[room_index];
            // Days before now: with the tests' clock (30 November), 12 March to 12 October.
            let at = self.clock().now() - chrono::Duration::days(days_ago);
            let new = store::opinions::NewCase {
                tracking_code: domain::opinion::tracking_code(rand::rng().next_u64()),
                room_id: room.id,
                district_id: room.district_id,
                street_id: room.street_id,
                channel: "visit",
                content: content.to_owned(),
                contact_name: "（演示来访人）".to_owned().into(),
                contact_phone: None,
                community: None,
                anonymous_to_departments: false,
                member_id: None,
                activity_id: None,
                due_on: None,
            };
            let who = Who::system("demo");
            let id = self.store().create_case(&who, &new, at).await?;
            for (action, text) in [
                (A::AnswerOnSpot, "委员现场听取意见，说明已汇总上报，将推动解决。"),
                (A::Close, "已当场答复。"),
            ] {
                let case = self
                    .store()
                    .case(id)
                    .await?
                    .ok_or_else(|| AppError::Internal("demo case vanished".into()))?;
                let (to_state, route) = next_state(case.state, case.route, action, staff)
                    .map_err(|err| AppError::Internal(format!("demo case: {err}")))?;
                let step = store::opinions::StepWrite {
                    text: Some(text.to_owned()),
                    ..store::opinions::StepWrite::new(action, "room_staff", to_state, route)
                };
                self.store().apply_case_step(&who, &case, &step, at).await?;
            }
        }
        Ok(())
    }

    /// One resident in each of the other rooms over the year, answered and closed, so every room's visitor
    /// register (群众来访登记) has a line: an online submission in the online room, visitors elsewhere.
    async fn load_demo_other_visitors(&self, rooms: &[Room]) -> Result<(), AppError> {
        use domain::opinion::{ActionKind as A, Standing, next_state};
        use rand::RngCore;
        let staff = Standing {
            room_staff: true,
            ..Standing::NONE
        };
        let visitors = [
            (
                "北京路步行街周边公共厕所指引标识太少，外地游客经常找不到。",
                "周女士",
                "13712340011",
            ),
            (
                "江边步道夜间照明不足，老人晚上散步不安全，希望增设路灯。",
                "吴先生",
                "13612340012",
            ),
            (
                "学校门口上下学时段交通拥堵，希望加强疏导。",
                "冯女士",
                "13512340013",
            ),
            ("村道雨季积水严重，希望修缮排水沟。", "陈伯", "13412340014"),
        ];
        for ((content, name, phone), (index, room)) in visitors.into_iter().zip(rooms.iter().enumerate()) {
            let online = room.kind == RoomKind::Online;
            let days_ago = 40 + 30 * i64::try_from(index).unwrap_or(0);
            let at = self.clock().now() - chrono::Duration::days(days_ago);
            let new = store::opinions::NewCase {
                tracking_code: domain::opinion::tracking_code(rand::rng().next_u64()),
                room_id: room.id,
                district_id: room.district_id,
                street_id: room.street_id,
                channel: if online { "online" } else { "visit" },
                content: content.to_owned(),
                contact_name: name.to_owned().into(),
                contact_phone: Some(phone.to_owned().into()),
                community: None,
                anonymous_to_departments: false,
                member_id: None,
                activity_id: None,
                due_on: None,
            };
            let who = Who::system("demo");
            let id = self.store().create_case(&who, &new, at).await?;
            for (action, text) in [
                (A::AnswerOnSpot, "已向群众说明有关情况，并转告相关部门研究。"),
                (A::Close, "已答复群众。"),
            ] {
                let case = self
                    .store()
                    .case(id)
                    .await?
                    .ok_or_else(|| AppError::Internal("demo case vanished".into()))?;
                let (to_state, route) = next_state(case.state, case.route, action, staff)
                    .map_err(|err| AppError::Internal(format!("demo case: {err}")))?;
                let step = store::opinions::StepWrite {
                    text: Some(text.to_owned()),
                    ..store::opinions::StepWrite::new(action, "room_staff", to_state, route)
                };
                self.store().apply_case_step(&who, &case, &step, at).await?;
            }
        }
        Ok(())
    }

    async fn open_demo_case(
        &self,
        mut new: store::opinions::NewCase,
    ) -> Result<store::opinions::CaseRecord, AppError> {
        use rand::RngCore;
        new.tracking_code = domain::opinion::tracking_code(rand::rng().next_u64());
        let id = self
            .store()
            .create_case(&Who::system("demo"), &new, self.clock().now())
            .await?;
        self.store()
            .case(id)
            .await?
            .ok_or_else(|| AppError::Internal("demo case vanished".into()))
    }
}

impl App {
    /// This year's annual summaries (R14), through the use cases: 越秀区 submitted by its district
    /// staff, 海珠区 in draft, 荔湾区 returned by the city general office; the rest not started.
    async fn demo_annual_summaries(&self) -> Result<(), AppError> {
        let year = self.clock().today().year();
        let yuexiu = self.demo_account("demo-district").await?;
        self.save_annual_text(&yuexiu, "440104", year, DEMO_SUMMARY_TEXT)
            .await?;
        self.submit_annual_summary(&yuexiu, "440104", year).await?;
        let operator = Acting::Operator;
        self.save_annual_text(
            &operator,
            "440105",
            year,
            "二、主要工作\n全区各工作室按单月 15 日开展接待，正在整理各街道材料。\n",
        )
        .await?;
        self.save_annual_text(&operator, "440103", year, DEMO_SUMMARY_TEXT)
            .await?;
        self.submit_annual_summary(&operator, "440103", year).await?;
        self.return_annual_summary(
            &operator,
            "440103",
            year,
            "“存在问题”部分过于笼统，请结合接待日公告张贴情况具体说明后重新报送。",
        )
        .await?;
        Ok(())
    }
}

/// The demo's rules: `data/demo/rules.json`.
const DEMO_RULES: &str = include_str!("../../../data/demo/rules.json");

#[derive(serde::Deserialize)]
struct DemoRules {
    templates: Vec<DemoTemplate>,
    rooms: Vec<DemoRoomRules>,
}

#[derive(serde::Deserialize)]
struct DemoTemplate {
    district: String,
    key: String,
    versions: Vec<DemoRuleVersion>,
}

#[derive(serde::Deserialize)]
struct DemoRuleVersion {
    title: String,
    effective_from: chrono::NaiveDate,
    text: String,
}

impl DemoRuleVersion {
    fn input(&self) -> crate::room_rules::RuleInput {
        crate::room_rules::RuleInput {
            title: self.title.clone(),
            text: self.text.clone(),
            effective_from: self.effective_from,
        }
    }
}

#[derive(serde::Deserialize)]
struct DemoRoomRules {
    room: String,
    adopt: Vec<DemoAdoption>,
    own: Vec<DemoOwnRule>,
}

#[derive(serde::Deserialize)]
struct DemoAdoption {
    template: String,
    effective_from: chrono::NaiveDate,
}

#[derive(serde::Deserialize)]
struct DemoOwnRule {
    versions: Vec<DemoRuleVersion>,
}

impl App {
    async fn demo_account(&self, username: &str) -> Result<Acting, AppError> {
        let credentials = self
            .store()
            .credentials(username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("{username} missing")))?;
        Ok(Acting::Account(credentials.account.actor()))
    }

    /// 越秀区's templates published by its district staff, 洪桥街's room adopting two (one of which the
    /// district revised since, so the room is offered the new version) and keeping one of its own in two
    /// versions, 华乐街's adopting the third; all through the use cases.
    async fn demo_rules(&self) -> Result<(), AppError> {
        let data: DemoRules = serde_json::from_str(DEMO_RULES)
            .map_err(|err| AppError::Internal(format!("data/demo/rules.json: {err}")))?;
        let district = self.demo_account("demo-district").await?;
        let staff = self.demo_account("demo-staff").await?;
        let mut published = std::collections::HashMap::new();
        for template in &data.templates {
            let first = template
                .versions
                .first()
                .ok_or_else(|| AppError::Internal(format!("demo template {} is empty", template.key)))?;
            let id = self
                .publish_rule_template(&district, &template.district, &first.input())
                .await?;
            published.insert(template.key.as_str(), id);
        }
        let rooms = self.store().rooms_in_scope(&Scope::City).await?;
        for room_rules in &data.rooms {
            let room = rooms
                .iter()
                .find(|r| r.name == room_rules.room)
                .ok_or_else(|| AppError::Internal(format!("demo room {} missing", room_rules.room)))?;
            let acting = if acting_may_keep_rules(&staff, room) {
                &staff
            } else {
                &district
            };
            for adoption in &room_rules.adopt {
                let template = published.get(adoption.template.as_str()).ok_or_else(|| {
                    AppError::Internal(format!("demo template {} missing", adoption.template))
                })?;
                self.adopt_rule_template(acting, room.id, *template, adoption.effective_from)
                    .await?;
            }
            for own in &room_rules.own {
                let mut versions = own.versions.iter();
                let Some(first) = versions.next() else { continue };
                let id = self.add_room_rule(acting, room.id, &first.input()).await?;
                for later in versions {
                    self.revise_room_rule(acting, room.id, id, &later.input(), None)
                        .await?;
                }
            }
        }
        for template in &data.templates {
            for later in template.versions.iter().skip(1) {
                self.revise_rule_template(
                    &district,
                    &template.district,
                    published[template.key.as_str()],
                    &later.input(),
                    None,
                )
                .await?;
            }
        }
        Ok(())
    }
}

fn acting_may_keep_rules(acting: &Acting, room: &Room) -> bool {
    acting.may(
        domain::authz::Action::KeepRoomRules,
        &crate::access::room_place(room),
    )
}

/// The district's own part of a demo summary, as a district office writes it.
const DEMO_SUMMARY_TEXT: &str = "二、主要工作
全区以委员工作室为平台，坚持单月 15 日委员接待日制度，组织委员开展基层调研、政策宣讲和居民协商，推动老旧小区停车难、加装电梯等群众关切问题的解决。
三、经验做法
一是接待日前通过社区公告栏和网上工作室公布接待委员和时间地点；二是群众意见登记后分类办理，结果及时反馈；三是委员履职情况按季度通报。
四、存在问题
个别工作室接待公告张贴不够及时，部分委员参加活动次数偏少。
五、下一年度工作计划
落实接待公告提前张贴要求，督促委员每年参加社区活动不少于规定次数，推动集中反映的问题形成提案和社情民意信息。
";
