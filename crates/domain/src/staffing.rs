//! Staffing (R7, 人员配备): each district has exactly 2 conveners (召集人) — the district CPPCC chair
//! and the head of the district United Front Work Department; each town/street has 1 lead (负责人);
//! each work room has 1 staff member (工作人员). The report names every gap and every excess.

use serde::Serialize;

/// The two convener posts of a district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConvenerTitle {
    /// 区政协主席
    CppccChair,
    /// 区委统战部部长
    UfwdHead,
}

impl ConvenerTitle {
    pub const ALL: [ConvenerTitle; 2] = [ConvenerTitle::CppccChair, ConvenerTitle::UfwdHead];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CppccChair => "cppcc_chair",
            Self::UfwdHead => "ufwd_head",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::CppccChair => "区政协主席",
            Self::UfwdHead => "区委统战部部长",
        }
    }
}

/// How many people hold a post at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub name: String,
    pub holders: usize,
}

/// One district's staffing as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictStaffing {
    pub district: String,
    /// Conveners by title.
    pub conveners: Vec<(ConvenerTitle, String)>,
    /// Each town/street and how many leads it has.
    pub streets: Vec<Post>,
    /// Each open work room and how many staff it has.
    pub rooms: Vec<Post>,
}

/// One gap or excess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    ConvenerMissing { title: ConvenerTitle },
    ConvenerExcess { title: ConvenerTitle, count: usize },
    StreetLeadMissing { street: String },
    StreetLeadExcess { street: String, count: usize },
    RoomStaffMissing { room: String },
    RoomStaffExcess { room: String, count: usize },
}

impl Finding {
    pub fn message_zh(&self) -> String {
        match self {
            Self::ConvenerMissing { title } => format!("缺少召集人：{}", title.label_zh()),
            Self::ConvenerExcess { title, count } => {
                format!("召集人“{}”登记了 {count} 人，应为 1 人", title.label_zh())
            }
            Self::StreetLeadMissing { street } => format!("{street}缺少负责人"),
            Self::StreetLeadExcess { street, count } => format!("{street}有 {count} 名负责人，应为 1 名"),
            Self::RoomStaffMissing { room } => format!("{room}缺少工作人员"),
            Self::RoomStaffExcess { room, count } => format!("{room}有 {count} 名工作人员，应为 1 名"),
        }
    }
}

/// Every gap and excess of a district against R7.
pub fn findings(staffing: &DistrictStaffing) -> Vec<Finding> {
    let mut found = Vec::new();
    for title in ConvenerTitle::ALL {
        match staffing.conveners.iter().filter(|(t, _)| *t == title).count() {
            0 => found.push(Finding::ConvenerMissing { title }),
            1 => {}
            count => found.push(Finding::ConvenerExcess { title, count }),
        }
    }
    for street in &staffing.streets {
        match street.holders {
            0 => found.push(Finding::StreetLeadMissing {
                street: street.name.clone(),
            }),
            1 => {}
            count => found.push(Finding::StreetLeadExcess {
                street: street.name.clone(),
                count,
            }),
        }
    }
    for room in &staffing.rooms {
        match room.holders {
            0 => found.push(Finding::RoomStaffMissing {
                room: room.name.clone(),
            }),
            1 => {}
            count => found.push(Finding::RoomStaffExcess {
                room: room.name.clone(),
                count,
            }),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(name: &str, holders: usize) -> Post {
        Post {
            id: 1,
            name: name.into(),
            holders,
        }
    }

    #[test]
    fn a_fully_staffed_district_has_no_findings() {
        let staffing = DistrictStaffing {
            district: "越秀区".into(),
            conveners: vec![
                (ConvenerTitle::CppccChair, "甲".into()),
                (ConvenerTitle::UfwdHead, "乙".into()),
            ],
            streets: vec![post("洪桥街道", 1)],
            rooms: vec![post("洪桥街政协委员工作室", 1)],
        };
        assert!(findings(&staffing).is_empty());
    }

    #[test]
    fn every_gap_and_excess_is_named() {
        let staffing = DistrictStaffing {
            district: "海珠区".into(),
            conveners: vec![
                (ConvenerTitle::CppccChair, "甲".into()),
                (ConvenerTitle::CppccChair, "丙".into()),
            ],
            streets: vec![post("赤岗街道", 0), post("新港街道", 2)],
            rooms: vec![post("海珠区流动委员工作室", 0), post("某工作室", 3)],
        };
        let found = findings(&staffing);
        assert_eq!(
            found,
            vec![
                Finding::ConvenerExcess {
                    title: ConvenerTitle::CppccChair,
                    count: 2
                },
                Finding::ConvenerMissing {
                    title: ConvenerTitle::UfwdHead
                },
                Finding::StreetLeadMissing {
                    street: "赤岗街道".into()
                },
                Finding::StreetLeadExcess {
                    street: "新港街道".into(),
                    count: 2
                },
                Finding::RoomStaffMissing {
                    room: "海珠区流动委员工作室".into()
                },
                Finding::RoomStaffExcess {
                    room: "某工作室".into(),
                    count: 3
                },
            ]
        );
        assert_eq!(found[1].message_zh(), "缺少召集人：区委统战部部长");
    }
}
