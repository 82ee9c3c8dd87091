//! Browsing, searching and changing the organisation tree (R3).

use chrono::NaiveDate;
use domain::authz::{Action, Place};
use domain::org::{self, Division, DivisionCode, DivisionLevel};
use store::divisions::{DivisionDetail, DivisionMatch, NameChange, TreeError};

use crate::access::Acting;
use crate::{App, AppError};

/// Most search hits a page or API call returns.
pub const SEARCH_LIMIT: u64 = 50;
/// Longest search text accepted.
const MAX_QUERY_CHARS: usize = 40;
/// Longest note on a change.
const MAX_NOTE_CHARS: usize = 200;

/// A request to add a town/street or community, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewDivision {
    pub parent_code: String,
    pub code: String,
    pub name: String,
    /// Defaults to today.
    pub valid_from: Option<String>,
    pub note: Option<String>,
}

/// A request to rename a division, as typed.
#[derive(Debug, Clone, Default)]
pub struct Rename {
    pub code: String,
    pub name: String,
    /// Defaults to today.
    pub valid_from: Option<String>,
    pub note: Option<String>,
}

pub fn parse_code(field: &str, raw: &str) -> Result<DivisionCode, AppError> {
    DivisionCode::parse(raw).map_err(|err| AppError::invalid(field, err.to_string()))
}

impl App {
    /// The children of a division (without one: the districts of 广州市).
    pub async fn division_children(&self, parent: Option<&str>) -> Result<Vec<Division>, AppError> {
        let parent = parent.map(|raw| parse_code("parent", raw)).transpose()?;
        self.store()
            .division_children(parent.as_ref())
            .await?
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "区划 {} 不存在",
                    parent.map(String::from).unwrap_or_default()
                ))
            })
    }

    pub async fn division(&self, code: &str) -> Result<DivisionDetail, AppError> {
        let code = parse_code("code", code)?;
        self.store()
            .division(&code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("区划 {code} 不存在")))
    }

    /// Finds districts, towns/streets and communities by part of their name or the start of their code.
    pub async fn search_divisions(&self, query: &str) -> Result<Vec<DivisionMatch>, AppError> {
        let query = query.trim();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::invalid(
                "q",
                format!("搜索词过长：最多 {MAX_QUERY_CHARS} 个字"),
            ));
        }
        if query.chars().any(char::is_control) {
            return Err(AppError::invalid("q", "搜索词含有不可见的控制字符"));
        }
        Ok(self.store().search_divisions(query, SEARCH_LIMIT).await?)
    }

    /// Adds a town/street under a district or a community under a town/street (city office
    /// anywhere, district staff in their district).
    pub async fn add_division(&self, acting: &Acting, input: &NewDivision) -> Result<Division, AppError> {
        let parent = parse_code("parent_code", &input.parent_code)?;
        let code = parse_code("code", &input.code)?;
        self.require_division_rights(acting, &parent).await?;
        org::check_placement(&code, &parent).map_err(|err| AppError::invalid("code", err.to_string()))?;
        let name = org::parse_division_name(&input.name)
            .map_err(|err| AppError::invalid("name", format!("名称{err}")))?;
        let valid_from = self.parse_valid_from(input.valid_from.as_deref())?;
        let note = parse_note(input.note.as_deref())?;
        let change = NameChange {
            name: &name,
            valid_from,
            note: note.as_deref(),
        };
        self.store()
            .add_division(&acting.who(), &code, &parent, &change, self.clock().now())
            .await
            .map_err(tree_error)
    }

    /// Renames a division from a date, keeping every earlier name.
    pub async fn rename_division(&self, acting: &Acting, input: &Rename) -> Result<DivisionDetail, AppError> {
        let code = parse_code("code", &input.code)?;
        if code.level() == DivisionLevel::City {
            return Err(AppError::invalid("code", "不能更改广州市的名称"));
        }
        self.require_division_rights(acting, &code).await?;
        let name = org::parse_division_name(&input.name)
            .map_err(|err| AppError::invalid("name", format!("名称{err}")))?;
        let valid_from = self.parse_valid_from(input.valid_from.as_deref())?;
        let note = parse_note(input.note.as_deref())?;
        let change = NameChange {
            name: &name,
            valid_from,
            note: note.as_deref(),
        };
        self.store()
            .rename_division(&acting.who(), &code, &change, self.clock().now())
            .await
            .map_err(tree_error)
    }

    /// Whether the actor may rename `code` or add below it (a district's own staff, or the city).
    pub async fn may_manage_division(&self, acting: &Acting, code: &DivisionCode) -> Result<bool, AppError> {
        let place = match self.store().division_ids(code).await? {
            Some(ids) => Place {
                district_id: Some(ids.district_id),
                street_id: ids.street_id,
                room_id: None,
            },
            None => Place::default(),
        };
        Ok(acting.may(Action::ManageDivisions, &place))
    }

    async fn require_division_rights(&self, acting: &Acting, code: &DivisionCode) -> Result<(), AppError> {
        if self.may_manage_division(acting, code).await? {
            Ok(())
        } else {
            Err(crate::access::forbidden())
        }
    }

    fn parse_valid_from(&self, raw: Option<&str>) -> Result<NaiveDate, AppError> {
        match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
            None => Ok(self.clock().today()),
            Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                AppError::invalid("valid_from", format!("生效日期应写作 YYYY-MM-DD，收到“{raw}”"))
            }),
        }
    }
}

fn parse_note(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => domain::text::single_line(raw, MAX_NOTE_CHARS)
            .map(Some)
            .map_err(|err| AppError::invalid("note", format!("备注{err}"))),
    }
}

fn tree_error(err: TreeError) -> AppError {
    match err {
        TreeError::NotFound(code) => AppError::NotFound(format!("区划 {code} 不存在")),
        TreeError::CodeInUse(_) | TreeError::NameInUse { .. } => AppError::Conflict(err.to_string()),
        TreeError::Rename(rule) => AppError::invalid("valid_from", rule.to_string()),
        TreeError::Store(store) => store.into(),
    }
}
