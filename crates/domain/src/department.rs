//! Departments that handle routed cases (R13): functional departments (职能部门) of a town/street or
//! district, and petition departments (信访部门).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    Functional,
    Petition,
}

impl DepartmentKind {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 2] = [Self::Functional, Self::Petition];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Functional => "functional",
            Self::Petition => "petition",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Whether a department belongs to a town/street or to a district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentLevel {
    Street,
    District,
}

impl DepartmentLevel {
    /// Every value, in the order shown to users.
    pub const ALL: [Self; 2] = [Self::Street, Self::District];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Street => "street",
            Self::District => "district",
        }
    }
}
