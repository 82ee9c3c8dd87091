//! Who may do what, where (权限与范围). Decided here, in one place: every use case asks [`can`], and
//! every list query is filtered by the actor's [`Scope`] in `store`, so a forgotten check fails closed.
//!
//! Scopes nest city ⊃ district ⊃ town/street ⊃ work room; a department sees only what is sent to it;
//! a member sees own records.

use serde::Serialize;

/// A role (角色) a signed-in account holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 市政协办公厅: sees everything, sets rules, receives summaries.
    CityOffice,
    /// 市/区政协工作部门: inspects and supervises work rooms (R15).
    WorkingDepartment,
    /// 区政协: organises its district.
    DistrictStaff,
    /// 镇（街）负责人: implements locally, gives the instruction (批示) that routes a case (R13).
    StreetLead,
    /// 工作室工作人员: keeps a room's ledgers and notices.
    RoomStaff,
    /// 政协委员
    Member,
    /// 职能部门: handles cases routed to it.
    FunctionalDepartment,
    /// 信访部门: handles petition matters and feeds back to the member.
    PetitionDepartment,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::CityOffice,
        Role::WorkingDepartment,
        Role::DistrictStaff,
        Role::StreetLead,
        Role::RoomStaff,
        Role::Member,
        Role::FunctionalDepartment,
        Role::PetitionDepartment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CityOffice => "city_office",
            Self::WorkingDepartment => "working_department",
            Self::DistrictStaff => "district_staff",
            Self::StreetLead => "street_lead",
            Self::RoomStaff => "room_staff",
            Self::Member => "member",
            Self::FunctionalDepartment => "functional_department",
            Self::PetitionDepartment => "petition_department",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::CityOffice => "市政协办公厅",
            Self::WorkingDepartment => "政协工作部门",
            Self::DistrictStaff => "区政协工作人员",
            Self::StreetLead => "镇（街）负责人",
            Self::RoomStaff => "工作室工作人员",
            Self::Member => "政协委员",
            Self::FunctionalDepartment => "职能部门",
            Self::PetitionDepartment => "信访部门",
        }
    }

    /// The scope level an account of this role works at. A working department works at city or
    /// district level, so it accepts both.
    pub fn accepts(self, level: ScopeLevel) -> bool {
        match self {
            Self::CityOffice => level == ScopeLevel::City,
            Self::WorkingDepartment => matches!(level, ScopeLevel::City | ScopeLevel::District),
            Self::DistrictStaff => level == ScopeLevel::District,
            Self::StreetLead => level == ScopeLevel::Street,
            Self::RoomStaff => level == ScopeLevel::Room,
            Self::Member => level == ScopeLevel::Member,
            Self::FunctionalDepartment | Self::PetitionDepartment => level == ScopeLevel::Department,
        }
    }
}

/// The level of a scope, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeLevel {
    City,
    District,
    Street,
    Room,
    Department,
    Member,
}

impl ScopeLevel {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 6] = [
        Self::City,
        Self::District,
        Self::Street,
        Self::Room,
        Self::Department,
        Self::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::District => "district",
            Self::Street => "street",
            Self::Room => "room",
            Self::Department => "department",
            Self::Member => "member",
        }
    }
}

/// Where a thing sits in the tree: the ids of its district, town/street and work room, as far as
/// they apply. Every scoped record carries its district so a filter never needs a join to find it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub district_id: Option<i64>,
    pub street_id: Option<i64>,
    pub room_id: Option<i64>,
}

impl Place {
    /// A district as a whole (its summary, its calendar).
    pub fn district(district_id: i64) -> Self {
        Self {
            district_id: Some(district_id),
            street_id: None,
            room_id: None,
        }
    }
}

/// The part of the organisation an account works in (工作范围).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    City,
    District {
        district_id: i64,
    },
    Street {
        district_id: i64,
        street_id: i64,
    },
    Room {
        district_id: i64,
        street_id: i64,
        room_id: i64,
    },
    /// A department at street level (`street_id` set) or district level.
    Department {
        district_id: i64,
        street_id: Option<i64>,
        department_id: i64,
    },
    /// A member sees own records; `district_id` is the district the member works in, if any.
    Member {
        member_id: i64,
        district_id: Option<i64>,
    },
}

impl Scope {
    pub fn level(&self) -> ScopeLevel {
        match self {
            Self::City => ScopeLevel::City,
            Self::District { .. } => ScopeLevel::District,
            Self::Street { .. } => ScopeLevel::Street,
            Self::Room { .. } => ScopeLevel::Room,
            Self::Department { .. } => ScopeLevel::Department,
            Self::Member { .. } => ScopeLevel::Member,
        }
    }

    /// Whether something at `place` lies inside this scope by the tree. Departments and members
    /// cover nothing by place: they see what is sent to them or is their own, which the use case
    /// decides with the record in hand.
    pub fn covers(&self, place: &Place) -> bool {
        match *self {
            Self::City => true,
            Self::District { district_id } => place.district_id == Some(district_id),
            Self::Street { street_id, .. } => place.street_id == Some(street_id),
            Self::Room { room_id, .. } => place.room_id == Some(room_id),
            Self::Department { .. } | Self::Member { .. } => false,
        }
    }

    /// The place this scope itself sits at.
    pub fn place(&self) -> Place {
        match *self {
            Self::City => Place::default(),
            Self::District { district_id } => Place {
                district_id: Some(district_id),
                ..Place::default()
            },
            Self::Street {
                district_id,
                street_id,
            } => Place {
                district_id: Some(district_id),
                street_id: Some(street_id),
                room_id: None,
            },
            Self::Room {
                district_id,
                street_id,
                room_id,
            } => Place {
                district_id: Some(district_id),
                street_id: Some(street_id),
                room_id: Some(room_id),
            },
            Self::Department {
                district_id,
                street_id,
                ..
            } => Place {
                district_id: Some(district_id),
                street_id,
                room_id: None,
            },
            Self::Member { district_id, .. } => Place {
                district_id,
                ..Place::default()
            },
        }
    }
}

/// A signed-in person acting: who, in which role, over what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i64,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
}

/// Something an actor may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the audit trail (审计日志).
    ViewAudit,
    /// List, create, disable, enable and reset accounts at a place.
    ManageAccounts,
    /// Give an account a role: only within what the actor may itself manage.
    GrantRole(Role),
    /// Add or rename towns/streets and communities at a place.
    ManageDivisions,
    /// Add, change or import members (委员) of a place.
    ManageMembers,
    /// See and keep the staffing report (R7) of a district.
    ManageStaffing,
    /// Open, change or close work rooms (R6) at a place: the city, or a district within its district.
    ManageRooms,
    /// Add a version of the rules (R17) or load an official holiday arrangement: the city general office.
    EditRules,
    /// Plan a room's reception sessions, adjust them and mark their notices posted (R9): the room's staff,
    /// its street lead, its district and the city.
    ManageSessions,
    /// Set a district's own reception day and block dates for important events (R9) at a place; a place
    /// without a district is the whole city.
    ManageCalendar,
    /// Record a room's community activities (R10) and confirm those its members report: the room's staff,
    /// its street lead, its district and the city.
    RecordActivities,
    /// Define a district's own activity kinds (本地区特色, R10): the district and the city.
    DefineActivityKinds,
    /// Write and submit a district's annual summary (年度工作总结, R14): that district's staff.
    WriteAnnualSummary,
    /// Receive or return the districts' annual summaries: the city general office.
    ReviewAnnualSummaries,
    /// Read a district's annual summary and its figures: that district and the city.
    ViewAnnualSummary,
    /// Read a room's ledgers (台账, R14) by place: the room's staff, its street lead, its district, the
    /// city, and the working departments that inspect rooms (R15). Members serving the room read them
    /// too, which `ledger::ledger_access` decides with the room's members in hand.
    ReadLedgers,
    /// Write a room's rules (工作室制度) and adopt its district's templates: the room's staff, its street
    /// lead, its district and the city.
    KeepRoomRules,
    /// Publish the templates of rules the rooms of a district adopt (区制度模板): the district and the city.
    PublishRuleTemplates,
}

/// Decides whether `actor` may do `action` on something at `target`.
pub fn can(actor: &Actor, action: Action, target: &Place) -> bool {
    match action {
        // The audit trail and the rules themselves belong to the city general office.
        Action::ViewAudit | Action::EditRules | Action::ReviewAnnualSummaries => {
            actor.role == Role::CityOffice
        }
        Action::WriteAnnualSummary => {
            actor.role == Role::DistrictStaff && target.district_id.is_some() && actor.scope.covers(target)
        }
        Action::ManageAccounts
        | Action::ManageDivisions
        | Action::ManageMembers
        | Action::ManageStaffing
        | Action::ManageRooms => match actor.role {
            Role::CityOffice => true,
            Role::DistrictStaff => actor.scope.covers(target),
            _ => false,
        },
        Action::ManageSessions | Action::RecordActivities | Action::KeepRoomRules => match actor.role {
            Role::CityOffice => true,
            Role::DistrictStaff | Role::StreetLead | Role::RoomStaff => {
                target.room_id.is_some() && actor.scope.covers(target)
            }
            _ => false,
        },
        // A district's own things (its calendar, its activity kinds, its annual summary to read).
        Action::ManageCalendar
        | Action::DefineActivityKinds
        | Action::ViewAnnualSummary
        | Action::PublishRuleTemplates => match actor.role {
            Role::CityOffice => true,
            Role::DistrictStaff => target.district_id.is_some() && actor.scope.covers(target),
            _ => false,
        },
        Action::ReadLedgers => match actor.role {
            Role::CityOffice => true,
            Role::WorkingDepartment | Role::DistrictStaff | Role::StreetLead | Role::RoomStaff => {
                target.room_id.is_some() && actor.scope.covers(target)
            }
            _ => false,
        },
        Action::GrantRole(role) => match actor.role {
            Role::CityOffice => true,
            // A district may staff its own district, but never create city-wide powers.
            Role::DistrictStaff => {
                role != Role::CityOffice && target.district_id.is_some() && actor.scope.covers(target)
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YUEXIU: i64 = 2;
    const HAIZHU: i64 = 3;
    const HONGQIAO: i64 = 20;
    const ROOM: i64 = 7;

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            account_id: 1,
            username: "x".into(),
            role,
            scope,
        }
    }

    fn in_yuexiu() -> Place {
        Place {
            district_id: Some(YUEXIU),
            street_id: Some(HONGQIAO),
            room_id: Some(ROOM),
        }
    }

    #[test]
    fn scopes_nest_city_district_street_room() {
        let place = in_yuexiu();
        assert!(Scope::City.covers(&place));
        assert!(Scope::District { district_id: YUEXIU }.covers(&place));
        assert!(!Scope::District { district_id: HAIZHU }.covers(&place));
        assert!(
            Scope::Street {
                district_id: YUEXIU,
                street_id: HONGQIAO
            }
            .covers(&place)
        );
        assert!(
            !Scope::Street {
                district_id: YUEXIU,
                street_id: HONGQIAO + 1
            }
            .covers(&place)
        );
        assert!(
            Scope::Room {
                district_id: YUEXIU,
                street_id: HONGQIAO,
                room_id: ROOM
            }
            .covers(&place)
        );
        assert!(
            !Scope::Room {
                district_id: YUEXIU,
                street_id: HONGQIAO,
                room_id: ROOM + 1
            }
            .covers(&place)
        );
    }

    #[test]
    fn departments_and_members_cover_nothing_by_place() {
        let place = in_yuexiu();
        let dept = Scope::Department {
            district_id: YUEXIU,
            street_id: Some(HONGQIAO),
            department_id: 1,
        };
        assert!(!dept.covers(&place));
        assert!(
            !Scope::Member {
                member_id: 1,
                district_id: Some(YUEXIU)
            }
            .covers(&place)
        );
    }

    #[test]
    fn only_the_city_office_reads_the_audit_trail() {
        for role in Role::ALL {
            let scope = if role == Role::CityOffice {
                Scope::City
            } else {
                Scope::District { district_id: YUEXIU }
            };
            assert_eq!(
                can(&actor(role, scope), Action::ViewAudit, &Place::default()),
                role == Role::CityOffice
            );
        }
    }

    #[test]
    fn district_staff_manage_accounts_only_in_their_district_and_never_grant_city_powers() {
        let staff = actor(Role::DistrictStaff, Scope::District { district_id: YUEXIU });
        assert!(can(&staff, Action::ManageAccounts, &in_yuexiu()));
        let haizhu = Place {
            district_id: Some(HAIZHU),
            ..Place::default()
        };
        assert!(!can(&staff, Action::ManageAccounts, &haizhu));
        assert!(
            !can(&staff, Action::ManageAccounts, &Place::default()),
            "a city-level account is out of reach"
        );
        assert!(can(&staff, Action::GrantRole(Role::RoomStaff), &in_yuexiu()));
        assert!(!can(&staff, Action::GrantRole(Role::CityOffice), &in_yuexiu()));
        let lead = actor(
            Role::StreetLead,
            Scope::Street {
                district_id: YUEXIU,
                street_id: HONGQIAO,
            },
        );
        assert!(!can(&lead, Action::ManageAccounts, &in_yuexiu()));
    }

    #[test]
    fn each_role_works_at_its_own_level() {
        assert!(Role::CityOffice.accepts(ScopeLevel::City));
        assert!(!Role::CityOffice.accepts(ScopeLevel::District));
        assert!(Role::WorkingDepartment.accepts(ScopeLevel::District));
        assert!(Role::RoomStaff.accepts(ScopeLevel::Room));
        assert!(Role::PetitionDepartment.accepts(ScopeLevel::Department));
        assert!(!Role::Member.accepts(ScopeLevel::Room));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
