//! The demo data set (`--demo`, `workroom demo`): loaded only into a database that holds no user data.
//! Real Guangzhou places (越秀区洪桥街道, 海珠区); people and rooms are invented. The demo accounts of
//! shared/CONTRACT.md exist only here, all with the password [`DEMO_PASSWORD`].

mod cases;
mod funding;
mod inspections;
mod proposals;
mod support;

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
        let district_office = store
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
            (
                "demo-district-dept",
                "越秀区住房和建设局（演示）",
                Role::FunctionalDepartment,
                Scope::Department {
                    district_id: district_office.district_id,
                    street_id: None,
                    department_id: district_office.id,
                },
            ),
            (
                "demo-inspector",
                "市政协委员工作室督导组（演示）",
                Role::WorkingDepartment,
                Scope::City,
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
        // The accounts exist before the opinions: each step is taken by the account whose work it is.
        self.load_demo_cases(&created_rooms).await?;
        // Inspections and funding before the summaries, whose submitted versions freeze their figures.
        self.demo_rules().await?;
        self.demo_inspections().await?;
        self.demo_funding().await?;
        self.demo_support_requests().await?;
        self.demo_proposals().await?;
        self.demo_annual_summaries().await?;
        // What the day's scan would raise: late steps, notices to post, summaries due.
        self.send_reminders().await?;
        store.put_setting(DEMO_LOADED_AT, &now.to_rfc3339()).await?;
        Ok(DemoOutcome::Loaded { accounts: printed })
    }
}

/// The demo's members beyond the demo account's own: a roster in the import format.
const DEMO_MEMBERS: &str = include_str!("../../../../data/demo/members.csv");

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
const DEMO_RULES: &str = include_str!("../../../../data/demo/rules.json");

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
