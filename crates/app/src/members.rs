//! Members' records (委员, R5): the list in the caller's scope, one record, and changes by those who keep
//! the roster — district staff for their district's members, the city office for all. A member who
//! ceases (不再担任) keeps the record with the date; they leave the public lists.

use chrono::NaiveDate;
use domain::authz::{Action, Place};
use domain::member::MobileNumber;
use store::members::MemberEdit;
pub use store::members::MemberRecord;

use crate::access::{Acting, not_visible};
use crate::{App, AppError};

/// A change to a member; `None` keeps the value. An empty string clears a text field.
#[derive(Debug, Clone, Default)]
pub struct MemberChange {
    pub sector: Option<String>,
    pub employer: Option<String>,
    pub position: Option<String>,
    /// 届别, e.g. 第十四届.
    pub term: Option<String>,
    pub mobile: Option<String>,
    pub resides_hk_macao: Option<bool>,
    /// `serving` or `ceased`.
    pub status: Option<String>,
    /// The day a ceasing member ceased (default today).
    pub ceased_on: Option<NaiveDate>,
}

fn member_place(record: &MemberRecord) -> Place {
    Place {
        district_id: record.district_id,
        ..Place::default()
    }
}

pub(crate) fn optional_text(
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
) -> Result<Option<String>, AppError> {
    let trimmed = raw.trim();
    if domain::text::blank(trimmed) {
        return Ok(None);
    }
    domain::text::single_line(trimmed, max)
        .map(Some)
        .map_err(|err| AppError::invalid(field, format!("{label}{err}")))
}

impl App {
    /// Members in the caller's scope.
    pub async fn members(&self, acting: &Acting) -> Result<Vec<MemberRecord>, AppError> {
        Ok(self.store().members_in_scope(&acting.scope()).await?)
    }

    /// Whether a member has a photo on file (the photo itself is public, R8).
    pub async fn member_has_photo(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.store().member_photo_etags(&[id]).await?.contains_key(&id))
    }

    /// One member in the caller's scope, and whether the caller may change the record.
    pub async fn member_record(&self, acting: &Acting, id: i64) -> Result<(MemberRecord, bool), AppError> {
        let scope = acting.scope();
        let visible = self.members(acting).await?.into_iter().find(|m| m.id == id);
        let record = if let Some(record) = visible {
            record
        } else {
            let record = self
                .store()
                .member_record(id)
                .await?
                .ok_or_else(|| not_visible(&scope, "委员"))?;
            // Managers of the member's district may open a record even when no list shows it.
            acting.require(Action::ManageMembers, &member_place(&record))?;
            record
        };
        let manages = acting.may(Action::ManageMembers, &member_place(&record));
        Ok((record, manages))
    }

    /// Changes a member's record (sector, employer, position, mobile, residence) or status.
    pub async fn update_member(
        &self,
        acting: &Acting,
        id: i64,
        change: &MemberChange,
    ) -> Result<MemberRecord, AppError> {
        let scope = acting.scope();
        let before = self
            .store()
            .member_record(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "委员"))?;
        acting.require(Action::ManageMembers, &member_place(&before))?;
        let text =
            |value: &Option<String>, current: &Option<String>, field: &str, label: &str, max: usize| {
                match value {
                    Some(raw) => optional_text(field, label, raw, max),
                    None => Ok(current.clone()),
                }
            };
        let mobile = match &change.mobile {
            Some(raw) if raw.trim().is_empty() => None,
            Some(raw) => Some(MobileNumber::parse(raw).ok_or_else(|| {
                AppError::invalid("mobile", "手机号码应为 11 位大陆手机号，如 13800138000")
            })?),
            None => before.mobile.clone(),
        };
        let today = self.clock().today();
        let ceased_on = match change.status.as_deref().map(str::trim) {
            Some("serving") => None,
            Some("ceased") => {
                let on = change.ceased_on.or(before.ceased_on).unwrap_or(today);
                if on > today {
                    return Err(AppError::invalid("ceased_on", "离任日期不能晚于今天"));
                }
                Some(on)
            }
            Some(other) => {
                return Err(AppError::invalid(
                    "status",
                    format!("状态「{other}」无效：应为 serving（在任）或 ceased（不再担任）"),
                ));
            }
            None => before.ceased_on,
        };
        let edit = MemberEdit {
            sector: text(&change.sector, &before.sector, "sector", "界别", 40)?,
            employer: text(&change.employer, &before.employer, "employer", "工作单位", 100)?,
            position: text(&change.position, &before.position, "position", "职务", 60)?,
            term: text(&change.term, &before.term, "term", "届别", 20)?,
            mobile,
            resides_hk_macao: change.resides_hk_macao.unwrap_or(before.resides_hk_macao),
            ceased_on,
        };
        self.store()
            .update_member(&acting.who(), &before, &edit, self.clock().now())
            .await?;
        Ok(self.member_record(acting, id).await?.0)
    }
}

impl App {
    /// Takes a member's photo: decoded and re-encoded off the async threads (metadata stripped, scaled),
    /// then stored. Returns its ETag.
    pub async fn upload_member_photo(
        &self,
        acting: &Acting,
        id: i64,
        bytes: Vec<u8>,
    ) -> Result<String, AppError> {
        let scope = acting.scope();
        let member = self
            .store()
            .member_record(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "委员"))?;
        acting.require(Action::ManageMembers, &member_place(&member))?;
        let photo = crate::gate::normalised_photo(bytes, documents::photo::normalise).await?;
        self.store()
            .put_member_photo(
                &acting.who(),
                &member,
                photo.jpeg,
                (photo.width, photo.height),
                &photo.etag,
                self.clock().now(),
            )
            .await?;
        Ok(photo.etag)
    }

    pub async fn remove_member_photo(&self, acting: &Acting, id: i64) -> Result<(), AppError> {
        let scope = acting.scope();
        let member = self
            .store()
            .member_record(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "委员"))?;
        acting.require(Action::ManageMembers, &member_place(&member))?;
        Ok(self
            .store()
            .remove_member_photo(&acting.who(), &member, self.clock().now())
            .await?)
    }

    /// A photo as R8 publishes it: of a serving member of an open room; 404 otherwise.
    pub async fn public_member_photo(&self, id: i64) -> Result<store::members::PhotoFile, AppError> {
        let missing = || AppError::NotFound("没有这张照片".into());
        let member = self.store().member_record(id).await?.ok_or_else(missing)?;
        if member.ceased_on.is_some() {
            return Err(missing());
        }
        let mut published = false;
        for (room_id, _) in &member.rooms {
            if self.store().room(*room_id).await?.is_some_and(|r| r.open) {
                published = true;
                break;
            }
        }
        if !published {
            return Err(missing());
        }
        self.store().member_photo(id).await?.ok_or_else(missing)
    }
}
