//! A work room's ledgers (台账, R14): which ledgers there are, who may read them and how much of a
//! resident's contact they show, the rows each holds and the columns an office keeps them in. Every row
//! is derived from records (sessions, activities, cases, members); nothing on a ledger is typed (X11).

use chrono::NaiveDate;
use serde::Serialize;

use crate::activity::YearlyDuty;
use crate::authz::{Action, Actor, Place, Role, can};
use crate::member::MobileNumber;
use crate::opinion::mask_name;

/// The ledgers a room keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// 工作台账: every reception session and every other activity, in date order.
    Work,
    /// 活动台账: every confirmed activity.
    Activities,
    /// 群众来访登记: every visitor and online submission, one line a case.
    Visitors,
    /// 委员进社区履职登记: each member serving the room with the year's count and points.
    Members,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 4] = [Self::Work, Self::Activities, Self::Visitors, Self::Members];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Work => "work",
            Self::Activities => "activities",
            Self::Visitors => "visitors",
            Self::Members => "members",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Work => "工作台账",
            Self::Activities => "活动台账",
            Self::Visitors => "群众来访登记",
            Self::Members => "委员进社区履职登记",
        }
    }

    /// What a ledger of this kind records, in a sentence for the page.
    pub fn description_zh(self) -> &'static str {
        match self {
            Self::Work => {
                "每次接待日（规定日、安排日、实际接待日、时间、地点、接待委员、公告张贴、接待群众和收集意见）和其他活动，按日期排列"
            }
            Self::Activities => "每次已确认的活动：类型、参加委员、服务群众人数、活动内容和照片数",
            Self::Visitors => {
                "每位来访群众和每条网上意见，一件一行：日期、渠道、联系人、事项、办理路径、状态、办结日期和评价"
            }
            Self::Members => "在本工作室履职的每位委员：本年活动次数、对照最低次数（免于要求的注明）和积分",
        }
    }

    /// The message for a kind that does not exist.
    pub fn unknown_message(raw: &str) -> String {
        format!(
            "没有「{}」这种台账：应为 {}",
            raw.trim(),
            Self::ALL.map(Self::as_str).join("、")
        )
    }
}

/// How much of a resident's contact a ledger reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactView {
    /// Name, phone and community in full: the room's side (its staff, street lead, district, city).
    Full,
    /// Family name and a masked phone: those who inspect the room (政协工作部门).
    Masked,
    /// Nothing of the resident: members serving the room.
    Withheld,
}

/// Whether `actor` may read the ledgers of a room at `room`, and how much of residents' contacts they
/// show; `serves_room` says whether the actor is a member serving in that room. Departments never read
/// them; members read those of the rooms they serve, without residents' contacts.
pub fn ledger_access(actor: &Actor, room: &Place, serves_room: bool) -> Option<ContactView> {
    if !can(actor, Action::ReadLedgers, room) {
        return (actor.role == Role::Member && serves_room).then_some(ContactView::Withheld);
    }
    Some(if actor.role == Role::WorkingDepartment {
        ContactView::Masked
    } else {
        ContactView::Full
    })
}

/// What an anonymised resident's name reads (the retention job's mark), kept as it is.
const ANONYMISED_PREFIX: char = '（';

/// A resident's name and phone as a reader with `view` sees them. A resident who asked to stay anonymous
/// towards departments is withheld from anyone who is not the room's side.
pub fn present_contact(
    view: ContactView,
    name: &str,
    phone: Option<&str>,
    anonymous_to_departments: bool,
) -> (String, Option<String>) {
    match view {
        ContactView::Full => (name.to_owned(), phone.map(str::to_owned)),
        ContactView::Masked if !anonymous_to_departments => {
            let name = if name.starts_with(ANONYMISED_PREFIX) {
                name.to_owned()
            } else {
                mask_name(name)
            };
            (name, phone.and_then(MobileNumber::parse).map(|p| p.masked()))
        }
        ContactView::Masked | ContactView::Withheld => ("（不显示）".to_owned(), None),
    }
}

/// One cell of a ledger as an office's spreadsheet holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Blank,
}

fn text(value: &str) -> Cell {
    Cell::Text(value.to_owned())
}

fn date(value: Option<NaiveDate>) -> Cell {
    value.map_or(Cell::Blank, Cell::Date)
}

fn count(value: Option<u32>) -> Cell {
    value.map_or(Cell::Blank, |n| Cell::Number(f64::from(n)))
}

fn optional(value: Option<&str>) -> Cell {
    value.map_or(Cell::Blank, text)
}

fn yes_no(value: bool) -> Cell {
    text(if value { "是" } else { "否" })
}

fn hours(starts: Option<&str>, ends: Option<&str>) -> Cell {
    match (starts, ends) {
        (Some(s), Some(e)) => Cell::Text(format!("{s}–{e}")),
        _ => Cell::Blank,
    }
}

/// Whether a line of the work ledger is a reception session or another activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkEntry {
    ReceptionSession,
    Activity,
}

/// A line of the work ledger (工作台账).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkRow {
    pub entry: WorkEntry,
    /// The reception session or the activity.
    pub id: i64,
    /// The day it is ordered by: the session's day, or the activity's.
    pub date: NaiveDate,
    /// The kind as people read it (委员接待日 for a session).
    pub kind_label: String,
    /// A session's day by the rule (规定接待日, e.g. the 15th).
    pub nominal_on: Option<NaiveDate>,
    /// A session's day as planned (安排接待日: after 顺延 and any adjustment).
    pub planned_on: Option<NaiveDate>,
    /// The day it took place: a held session's day, or the activity's.
    pub held_on: Option<NaiveDate>,
    /// 待接待 / 已接待 / 已取消 for a session; 已确认 for an activity.
    pub status_label: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    /// Members on duty (a session) or taking part (an activity), by name.
    pub members: Vec<String>,
    pub notice_due: Option<NaiveDate>,
    pub notice_posted_on: Option<NaiveDate>,
    pub notice_posted_where: Option<String>,
    /// 待张贴 / 已按时张贴 / 张贴晚于规定 / 逾期未张贴, for a session.
    pub notice_label: Option<String>,
    /// Residents received or reached (as recorded on the activity a held session is).
    pub residents_reached: Option<u32>,
    /// Citizens' opinions registered as collected there.
    pub opinions_taken: u32,
}

impl WorkRow {
    pub const HEADERS: [&'static str; 15] = [
        "日期",
        "类别",
        "规定接待日",
        "安排接待日",
        "实际接待日",
        "状态",
        "时间",
        "地点",
        "接待（参加）委员",
        "公告应张贴日",
        "公告张贴日",
        "公告张贴地点",
        "公告情况",
        "接待群众人数",
        "收集意见数",
    ];

    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Date(self.date),
            text(&self.kind_label),
            date(self.nominal_on),
            date(self.planned_on),
            date(self.held_on),
            text(&self.status_label),
            hours(self.starts_at.as_deref(), self.ends_at.as_deref()),
            text(&self.place),
            text(&self.members.join("、")),
            date(self.notice_due),
            date(self.notice_posted_on),
            optional(self.notice_posted_where.as_deref()),
            optional(self.notice_label.as_deref()),
            count(self.residents_reached),
            Cell::Number(f64::from(self.opinions_taken)),
        ]
    }
}

/// Orders the work ledger: by date, a session before an activity of the same day, then by id.
pub fn sort_work(rows: &mut [WorkRow]) {
    rows.sort_by_key(|r| (r.date, r.entry != WorkEntry::ReceptionSession, r.id));
}

/// A line of the activity ledger (活动台账).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityRow {
    pub activity_id: i64,
    pub date: NaiveDate,
    /// A code of shared/CONTRACT.md (`reception_day`, …, `local`).
    pub kind: String,
    pub kind_label: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    pub members: Vec<String>,
    pub residents_reached: Option<u32>,
    pub summary: String,
    pub photo_count: u32,
    pub opinions_collected: u32,
}

impl ActivityRow {
    pub const HEADERS: [&'static str; 10] = [
        "日期",
        "活动类型",
        "时间",
        "地点",
        "参加委员",
        "委员人数",
        "服务群众人数",
        "活动内容",
        "照片数",
        "收集意见数",
    ];

    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Date(self.date),
            text(&self.kind_label),
            hours(self.starts_at.as_deref(), self.ends_at.as_deref()),
            text(&self.place),
            text(&self.members.join("、")),
            Cell::Number(f64::from(u32::try_from(self.members.len()).unwrap_or(u32::MAX))),
            count(self.residents_reached),
            text(&self.summary),
            Cell::Number(f64::from(self.photo_count)),
            Cell::Number(f64::from(self.opinions_collected)),
        ]
    }
}

/// A line of the visitor register (群众来访登记): one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitorRow {
    pub case_id: i64,
    /// The day it was received (Beijing time).
    pub received_on: NaiveDate,
    /// `visit` (registered at the room) or `online` (网上工作室).
    pub channel: String,
    pub channel_label: String,
    /// As the reader may see it (see [`present_contact`]).
    pub contact_name: String,
    pub contact_phone: Option<String>,
    /// Only for readers who see contacts in full.
    pub community: Option<String>,
    /// What the resident raised.
    pub matter: String,
    /// The member responsible.
    pub member: Option<String>,
    /// A code of [`crate::opinion::Route`], once routed.
    pub route: Option<String>,
    pub route_label: Option<String>,
    /// A code of [`crate::opinion::CaseState`].
    pub state: String,
    pub state_label: String,
    pub closed_on: Option<NaiveDate>,
    /// A code of [`crate::opinion::Rating`].
    pub rating: Option<String>,
    pub rating_label: Option<String>,
}

impl VisitorRow {
    pub const HEADERS: [&'static str; 12] = [
        "日期",
        "渠道",
        "联系人",
        "联系电话",
        "所在社区",
        "反映事项",
        "接待委员",
        "办理路径",
        "办理状态",
        "办结日期",
        "群众评价",
        "案件编号",
    ];

    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Date(self.received_on),
            text(&self.channel_label),
            text(&self.contact_name),
            optional(self.contact_phone.as_deref()),
            optional(self.community.as_deref()),
            text(&self.matter),
            optional(self.member.as_deref()),
            optional(self.route_label.as_deref()),
            text(&self.state_label),
            date(self.closed_on),
            optional(self.rating_label.as_deref()),
            // An identifier, not a figure: kept as text so nobody sums it.
            Cell::Text(self.case_id.to_string()),
        ]
    }
}

/// The channel a case came by, as people read it.
pub fn channel_label(channel: &str) -> Option<&'static str> {
    match channel {
        "visit" => Some("来访"),
        "online" => Some("网上"),
        _ => None,
    }
}

/// Who a member serving the room is, as the members' register names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServingMember {
    pub member_id: i64,
    pub name: String,
    pub level_label: String,
    pub sector: Option<String>,
    pub term: Option<String>,
}

/// A line of the members' register (委员进社区履职登记).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberRow {
    pub member_id: i64,
    pub name: String,
    pub level_label: String,
    pub sector: Option<String>,
    pub term: Option<String>,
    /// Confirmed activities of the year in this room.
    pub activities_in_room: u32,
    /// Confirmed activities of the year in all rooms: what counts against the minimum.
    pub activity_count: u32,
    pub minimum: u32,
    pub exempt: bool,
    pub below_minimum: bool,
    pub remaining: u32,
    pub points: u32,
}

impl MemberRow {
    pub const HEADERS: [&'static str; 11] = [
        "姓名",
        "委员层级",
        "界别",
        "届别",
        "本室活动次数",
        "全年活动次数",
        "最低次数",
        "免于最低次数",
        "未达最低次数",
        "尚差次数",
        "专题协商积分",
    ];

    /// A member's line from the year's standing: the flags follow from the duty, never typed.
    pub fn new(member: ServingMember, activities_in_room: u32, duty: YearlyDuty, points: u32) -> Self {
        Self {
            member_id: member.member_id,
            name: member.name,
            level_label: member.level_label,
            sector: member.sector,
            term: member.term,
            activities_in_room,
            activity_count: duty.count,
            minimum: duty.minimum,
            exempt: duty.exempt,
            below_minimum: duty.below_minimum(),
            remaining: duty.remaining(),
            points,
        }
    }

    pub fn cells(&self) -> Vec<Cell> {
        vec![
            text(&self.name),
            text(&self.level_label),
            optional(self.sector.as_deref()),
            optional(self.term.as_deref()),
            Cell::Number(f64::from(self.activities_in_room)),
            Cell::Number(f64::from(self.activity_count)),
            Cell::Number(f64::from(self.minimum)),
            yes_no(self.exempt),
            yes_no(self.below_minimum),
            Cell::Number(f64::from(self.remaining)),
            Cell::Number(f64::from(self.points)),
        ]
    }
}

/// The rows of one ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LedgerRows {
    Work(Vec<WorkRow>),
    Activities(Vec<ActivityRow>),
    Visitors(Vec<VisitorRow>),
    Members(Vec<MemberRow>),
}

impl LedgerRows {
    pub fn kind(&self) -> LedgerKind {
        match self {
            Self::Work(_) => LedgerKind::Work,
            Self::Activities(_) => LedgerKind::Activities,
            Self::Visitors(_) => LedgerKind::Visitors,
            Self::Members(_) => LedgerKind::Members,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::Work(rows) => rows.len(),
            Self::Activities(rows) => rows.len(),
            Self::Visitors(rows) => rows.len(),
            Self::Members(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn headers(&self) -> &'static [&'static str] {
        match self {
            Self::Work(_) => &WorkRow::HEADERS,
            Self::Activities(_) => &ActivityRow::HEADERS,
            Self::Visitors(_) => &VisitorRow::HEADERS,
            Self::Members(_) => &MemberRow::HEADERS,
        }
    }

    /// Every row as the spreadsheet's cells, in the order of [`Self::headers`].
    pub fn cells(&self) -> Vec<Vec<Cell>> {
        match self {
            Self::Work(rows) => rows.iter().map(WorkRow::cells).collect(),
            Self::Activities(rows) => rows.iter().map(ActivityRow::cells).collect(),
            Self::Visitors(rows) => rows.iter().map(VisitorRow::cells).collect(),
            Self::Members(rows) => rows.iter().map(MemberRow::cells).collect(),
        }
    }
}

/// The title row of a ledger: 「洪桥街政协委员工作室 2026 年工作台账」.
pub fn ledger_title(room_name: &str, year: i32, kind: LedgerKind) -> String {
    format!("{room_name} {year} 年{}", kind.label_zh())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;

    const YUEXIU: i64 = 2;
    const HONGQIAO: i64 = 20;
    const ROOM: i64 = 7;

    fn room() -> Place {
        Place {
            district_id: Some(YUEXIU),
            street_id: Some(HONGQIAO),
            room_id: Some(ROOM),
        }
    }

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            account_id: 1,
            username: "x".into(),
            role,
            scope,
        }
    }

    #[test]
    fn kinds_read_back_from_their_codes_and_unknown_ones_are_named() {
        for kind in LedgerKind::ALL {
            assert_eq!(LedgerKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(LedgerKind::parse("rules"), None);
        assert!(LedgerKind::unknown_message("rules").contains("「rules」"));
    }

    #[test]
    fn the_rooms_side_reads_ledgers_with_contacts_and_departments_do_not_read_them() {
        let staff = actor(
            Role::RoomStaff,
            Scope::Room {
                district_id: YUEXIU,
                street_id: HONGQIAO,
                room_id: ROOM,
            },
        );
        assert_eq!(ledger_access(&staff, &room(), false), Some(ContactView::Full));
        let other_room = actor(
            Role::RoomStaff,
            Scope::Room {
                district_id: YUEXIU,
                street_id: HONGQIAO,
                room_id: ROOM + 1,
            },
        );
        assert_eq!(ledger_access(&other_room, &room(), false), None);
        let district = actor(Role::DistrictStaff, Scope::District { district_id: YUEXIU });
        assert_eq!(ledger_access(&district, &room(), false), Some(ContactView::Full));
        let other_district = actor(
            Role::DistrictStaff,
            Scope::District {
                district_id: YUEXIU + 1,
            },
        );
        assert_eq!(ledger_access(&other_district, &room(), false), None);
        let inspector = actor(Role::WorkingDepartment, Scope::City);
        assert_eq!(
            ledger_access(&inspector, &room(), false),
            Some(ContactView::Masked)
        );
        for role in [Role::FunctionalDepartment, Role::PetitionDepartment] {
            let dept = actor(
                role,
                Scope::Department {
                    district_id: YUEXIU,
                    street_id: Some(HONGQIAO),
                    department_id: 1,
                },
            );
            assert_eq!(ledger_access(&dept, &room(), true), None);
        }
    }

    #[test]
    fn members_read_the_ledgers_of_rooms_they_serve_without_contacts() {
        let member = actor(
            Role::Member,
            Scope::Member {
                member_id: 1,
                district_id: Some(YUEXIU),
            },
        );
        assert_eq!(ledger_access(&member, &room(), true), Some(ContactView::Withheld));
        assert_eq!(ledger_access(&member, &room(), false), None);
        assert_eq!(
            present_contact(ContactView::Withheld, "王伟", Some("13800138000"), false),
            ("（不显示）".to_owned(), None)
        );
    }

    #[test]
    fn contacts_are_masked_for_inspectors_and_withheld_when_the_resident_asked() {
        assert_eq!(
            present_contact(ContactView::Full, "王伟", Some("13800138000"), true),
            ("王伟".to_owned(), Some("13800138000".to_owned()))
        );
        assert_eq!(
            present_contact(ContactView::Masked, "王伟", Some("13800138000"), false),
            ("王*".to_owned(), Some("138****8000".to_owned()))
        );
        assert_eq!(
            present_contact(ContactView::Masked, "（已匿名）", None, false).0,
            "（已匿名）"
        );
        assert_eq!(
            present_contact(ContactView::Masked, "王伟", Some("13800138000"), true),
            ("（不显示）".to_owned(), None)
        );
    }

    fn work(entry: WorkEntry, id: i64, day: &str) -> WorkRow {
        WorkRow {
            entry,
            id,
            date: day.parse().unwrap(),
            kind_label: String::new(),
            nominal_on: None,
            planned_on: None,
            held_on: None,
            status_label: String::new(),
            starts_at: None,
            ends_at: None,
            place: String::new(),
            members: Vec::new(),
            notice_due: None,
            notice_posted_on: None,
            notice_posted_where: None,
            notice_label: None,
            residents_reached: None,
            opinions_taken: 0,
        }
    }

    #[test]
    fn the_work_ledger_is_in_date_order_with_the_session_first_on_a_shared_day() {
        let mut rows = vec![
            work(WorkEntry::Activity, 9, "2026-05-15"),
            work(WorkEntry::ReceptionSession, 3, "2026-05-15"),
            work(WorkEntry::Activity, 1, "2026-04-22"),
        ];
        sort_work(&mut rows);
        let order: Vec<i64> = rows.iter().map(|r| r.id).collect();
        assert_eq!(order, [1, 3, 9]);
        assert_eq!(rows[0].cells().len(), WorkRow::HEADERS.len());
    }

    #[test]
    fn a_members_flags_follow_from_the_count() {
        let duty = YearlyDuty {
            count: 1,
            minimum: 2,
            exempt: false,
        };
        let member = ServingMember {
            member_id: 1,
            name: "陈思远".into(),
            level_label: "市政协委员".into(),
            sector: None,
            term: None,
        };
        let row = MemberRow::new(member.clone(), 1, duty, 10);
        assert!(row.below_minimum);
        assert_eq!(row.remaining, 1);
        let exempt = MemberRow::new(member, 0, YearlyDuty { exempt: true, ..duty }, 0);
        assert!(!exempt.below_minimum);
        assert_eq!(exempt.cells()[7], Cell::Text("是".into()));
        assert_eq!(exempt.cells().len(), MemberRow::HEADERS.len());
    }
}
