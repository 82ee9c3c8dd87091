//! Rooms' rules (工作室制度, R14) and districts' templates (区制度模板): writing a rule, revising it in a
//! new version, adopting a template and following its later versions, and what is in force today.
//! Each view carries what the caller may do with it, so pages never decide.

use chrono::{DateTime, NaiveDate, Utc};
use domain::authz::{Action, Place, Scope};
use domain::room_rules::{self, RuleText, VersionStanding, standings};
use store::calendar::DistrictRef;
use store::room_rules::{NewRule, StoredRule, VersionAdded};
use store::units::Room;

use crate::access::{Acting, forbidden, not_visible, room_place};
use crate::{App, AppError};

/// A rule or template version as typed.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub title: String,
    pub text: String,
    pub effective_from: NaiveDate,
}

/// One version with where it stands today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersionView {
    pub version: i32,
    pub title: String,
    pub text: String,
    pub effective_from: NaiveDate,
    pub standing: VersionStanding,
    pub from_template_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A rule (or template) with all its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleView {
    pub id: i64,
    pub template_id: Option<i64>,
    pub versions: Vec<RuleVersionView>,
    /// The adopted template has a version newer than any this rule copied: its number.
    pub template_update: Option<i32>,
}

impl RuleView {
    /// The version in force today.
    pub fn current(&self) -> Option<&RuleVersionView> {
        self.versions
            .iter()
            .find(|v| v.standing == VersionStanding::Current)
    }

    /// The newest version (what a revision starts from).
    pub fn latest(&self) -> Option<&RuleVersionView> {
        self.versions.last()
    }

    /// The title to list it under: the current version's, else the first to come.
    pub fn title(&self) -> &str {
        self.current()
            .or(self.versions.first())
            .map_or("", |v| v.title.as_str())
    }
}

/// A room's rules as its staff and members see them.
#[derive(Debug, Clone)]
pub struct RoomRulesView {
    pub room: Room,
    pub rules: Vec<RuleView>,
    /// The district's templates this room has not adopted yet (offered when the caller may write).
    pub templates: Vec<RuleView>,
    /// Whether the caller may write, revise and adopt.
    pub may_write: bool,
}

/// A district's templates.
#[derive(Debug, Clone)]
pub struct TemplatesView {
    pub district: DistrictRef,
    pub templates: Vec<RuleView>,
    /// How many of the district's rooms have adopted each template, by template id.
    pub adoptions: Vec<(i64, usize)>,
    pub may_publish: bool,
}

/// A rule in force as the public room page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRule {
    pub title: String,
    pub text: String,
    pub effective_from: NaiveDate,
    pub version: i32,
}

fn view_of(rule: &StoredRule, today: NaiveDate, template: Option<&StoredRule>) -> RuleView {
    let marks = standings(&rule.versions, today);
    let copied = rule.versions.iter().filter_map(|v| v.from_template_version).max();
    let template_update = template
        .and_then(StoredRule::latest)
        .map(|t| t.version)
        .filter(|newest| copied.is_none_or(|copied| *newest > copied));
    RuleView {
        id: rule.id,
        template_id: rule.template_id,
        template_update,
        versions: rule
            .versions
            .iter()
            .zip(marks)
            .map(|(v, standing)| RuleVersionView {
                version: v.version,
                title: v.title.clone(),
                text: v.text.clone(),
                effective_from: v.effective_from,
                standing,
                from_template_version: v.from_template_version,
                created_at: v.created_at,
                created_by: v.created_by.clone(),
            })
            .collect(),
    }
}

fn checked(input: &RuleInput, latest: Option<NaiveDate>, today: NaiveDate) -> Result<RuleText, AppError> {
    room_rules::check_version(&input.title, &input.text, input.effective_from, latest, today)
        .map_err(|err| AppError::invalid(err.field, err.message))
}

fn stale() -> AppError {
    AppError::Conflict("这项制度刚有人修订过，请刷新页面，在最新版本上修订".into())
}

impl App {
    /// Whether the caller reads some district's templates (for the workbench's link).
    pub fn sees_rule_templates(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => {
                actor.scope == Scope::City
                    || actor
                        .scope
                        .place()
                        .district_id
                        .is_some_and(|district_id| room_rules::reads_templates(actor, district_id))
            }
        }
    }

    async fn rules_room(&self, acting: &Acting, room_id: i64) -> Result<Room, AppError> {
        let scope = acting.scope();
        self.store()
            .room(room_id)
            .await?
            .ok_or_else(|| not_visible(&scope, "工作室"))
    }

    /// A room's rules with every version, and the templates it may still adopt.
    pub async fn room_rules(&self, acting: &Acting, room_id: i64) -> Result<RoomRulesView, AppError> {
        let room = self.rules_room(acting, room_id).await?;
        // Whoever reads the room's ledgers reads its rules with their history.
        if self.ledger_view(acting, &room).await?.is_none() {
            return Err(forbidden());
        }
        let today = self.clock().today();
        let may_write = acting.may(Action::KeepRoomRules, &room_place(&room));
        let stored = self.store().room_rules(room.id).await?;
        let templates = self.store().rule_templates(room.district_id).await?;
        let rules = stored
            .iter()
            .map(|rule| {
                let template = rule
                    .template_id
                    .and_then(|id| templates.iter().find(|t| t.id == id));
                view_of(rule, today, template)
            })
            .collect();
        let offered = if may_write {
            templates
                .iter()
                .filter(|t| !stored.iter().any(|r| r.template_id == Some(t.id)))
                .filter(|t| !t.versions.is_empty())
                .map(|t| view_of(t, today, None))
                .collect()
        } else {
            Vec::new()
        };
        Ok(RoomRulesView {
            room,
            rules,
            templates: offered,
            may_write,
        })
    }

    /// The room's rules in force today, for the public (an open room only).
    pub async fn rules_in_force(&self, room_id: i64) -> Result<Vec<PublicRule>, AppError> {
        let today = self.clock().today();
        Ok(self
            .store()
            .room_rules(room_id)
            .await?
            .iter()
            .filter_map(|rule| {
                room_rules::in_force(&rule.versions, today).map(|index| {
                    let v = &rule.versions[index];
                    PublicRule {
                        title: v.title.clone(),
                        text: v.text.clone(),
                        effective_from: v.effective_from,
                        version: v.version,
                    }
                })
            })
            .collect())
    }

    async fn writable_room(&self, acting: &Acting, room_id: i64) -> Result<Room, AppError> {
        let room = self.rules_room(acting, room_id).await?;
        acting.require(Action::KeepRoomRules, &room_place(&room))?;
        Ok(room)
    }

    /// A room writes a rule of its own; answers the new rule's id.
    pub async fn add_room_rule(
        &self,
        acting: &Acting,
        room_id: i64,
        input: &RuleInput,
    ) -> Result<i64, AppError> {
        let room = self.writable_room(acting, room_id).await?;
        let first = checked(input, None, self.clock().today())?;
        let rule = NewRule {
            district_id: room.district_id,
            room_id: Some(room.id),
            template_id: None,
            first,
            from_template_version: None,
        };
        Ok(self
            .store()
            .add_rule(&acting.who(), &rule, self.clock().now())
            .await?)
    }

    /// A room adopts a template of its district: its current text (or its first, if none is in force
    /// yet) becomes the room's first version, in force from `effective_from`.
    pub async fn adopt_rule_template(
        &self,
        acting: &Acting,
        room_id: i64,
        template_id: i64,
        effective_from: NaiveDate,
    ) -> Result<i64, AppError> {
        let room = self.writable_room(acting, room_id).await?;
        let template = self
            .store()
            .rule_document(template_id)
            .await?
            .filter(|t| t.room_id.is_none() && t.district_id == room.district_id)
            .ok_or_else(|| AppError::invalid("template_id", "本区没有这个制度模板"))?;
        let source = template_text(&template, self.clock().today())?;
        let input = RuleInput {
            title: source.title.clone(),
            text: source.text.clone(),
            effective_from,
        };
        let first = checked(&input, None, self.clock().today())?;
        let rule = NewRule {
            district_id: room.district_id,
            room_id: Some(room.id),
            template_id: Some(template.id),
            first,
            from_template_version: Some(source.version),
        };
        match self
            .store()
            .add_rule(&acting.who(), &rule, self.clock().now())
            .await
        {
            Err(store::StoreError::Duplicate(_)) => Err(AppError::Conflict(format!(
                "本工作室已采用模板“{}”，如需更新请在该制度下“采用模板新版本”",
                source.title
            ))),
            other => Ok(other?),
        }
    }

    /// The room's rule `rule_id`, checked to belong to the room.
    async fn room_rule(&self, room: &Room, rule_id: i64) -> Result<StoredRule, AppError> {
        self.store()
            .rule_document(rule_id)
            .await?
            .filter(|rule| rule.room_id == Some(room.id))
            .ok_or_else(|| AppError::NotFound("本工作室没有这项制度".into()))
    }

    /// A new version of a room's rule. `based_on` is the version the writer started from (a page sends
    /// it; an API client may), so a revision made meanwhile is not silently overtaken.
    pub async fn revise_room_rule(
        &self,
        acting: &Acting,
        room_id: i64,
        rule_id: i64,
        input: &RuleInput,
        based_on: Option<i32>,
    ) -> Result<i32, AppError> {
        let room = self.writable_room(acting, room_id).await?;
        let rule = self.room_rule(&room, rule_id).await?;
        self.add_version(acting, &rule, input, based_on, None).await
    }

    /// A room's adopted rule takes the template's newest version, from `effective_from`.
    pub async fn follow_rule_template(
        &self,
        acting: &Acting,
        room_id: i64,
        rule_id: i64,
        effective_from: NaiveDate,
    ) -> Result<i32, AppError> {
        let room = self.writable_room(acting, room_id).await?;
        let rule = self.room_rule(&room, rule_id).await?;
        let template_id = rule
            .template_id
            .ok_or_else(|| AppError::Conflict("这项制度是本工作室自订的，不来自区模板".into()))?;
        let template =
            self.store().rule_document(template_id).await?.ok_or_else(|| {
                AppError::Internal(format!("template {template_id} of rule {rule_id} is gone"))
            })?;
        let newest = template
            .latest()
            .ok_or_else(|| AppError::Internal(format!("template {template_id} has no version")))?;
        let copied = rule.versions.iter().filter_map(|v| v.from_template_version).max();
        if copied.is_some_and(|copied| copied >= newest.version) {
            return Err(AppError::Conflict("已是模板的最新版本".into()));
        }
        let input = RuleInput {
            title: newest.title.clone(),
            text: newest.text.clone(),
            effective_from,
        };
        self.add_version(acting, &rule, &input, None, Some(newest.version))
            .await
    }

    async fn add_version(
        &self,
        acting: &Acting,
        rule: &StoredRule,
        input: &RuleInput,
        based_on: Option<i32>,
        from_template_version: Option<i32>,
    ) -> Result<i32, AppError> {
        let latest = rule
            .latest()
            .ok_or_else(|| AppError::Internal(format!("rule {} has no version", rule.id)))?;
        if based_on.is_some_and(|v| v != latest.version) {
            return Err(stale());
        }
        let version = checked(input, Some(latest.effective_from), self.clock().today())?;
        match self
            .store()
            .add_rule_version(
                &acting.who(),
                rule.id,
                latest.version,
                &version,
                from_template_version,
                self.clock().now(),
            )
            .await?
        {
            VersionAdded::Added { version } => Ok(version),
            VersionAdded::Stale => Err(stale()),
        }
    }

    /// A district for templates, by name or code; 404/403 as for any district outside the scope.
    async fn templates_district(&self, acting: &Acting, district: &str) -> Result<DistrictRef, AppError> {
        let scope = acting.scope();
        let district = self
            .store()
            .district_named(district)
            .await?
            .ok_or_else(|| not_visible(&scope, "区"))?;
        let reads = match acting {
            Acting::Operator => true,
            Acting::Account(actor) => room_rules::reads_templates(actor, district.id),
        };
        if !reads {
            return Err(forbidden());
        }
        Ok(district)
    }

    /// A district's templates with how many of its rooms adopted each.
    pub async fn rule_templates(&self, acting: &Acting, district: &str) -> Result<TemplatesView, AppError> {
        let district = self.templates_district(acting, district).await?;
        let today = self.clock().today();
        let stored = self.store().rule_templates(district.id).await?;
        let room_ids: Vec<i64> = self
            .store()
            .rooms_in_scope(&Scope::District {
                district_id: district.id,
            })
            .await?
            .iter()
            .map(|r| r.id)
            .collect();
        let adopted = self.store().rules_of_rooms(&room_ids).await?;
        let adoptions = stored
            .iter()
            .map(|t| {
                (
                    t.id,
                    adopted.iter().filter(|r| r.template_id == Some(t.id)).count(),
                )
            })
            .collect();
        Ok(TemplatesView {
            may_publish: acting.may(Action::PublishRuleTemplates, &Place::district(district.id)),
            templates: stored.iter().map(|t| view_of(t, today, None)).collect(),
            adoptions,
            district,
        })
    }

    /// The districts whose templates the caller may publish (the city: all; a district: its own).
    pub async fn template_districts(&self, acting: &Acting) -> Result<Vec<DistrictRef>, AppError> {
        Ok(self
            .store()
            .districts()
            .await?
            .into_iter()
            .filter(|d| match acting {
                Acting::Operator => true,
                Acting::Account(actor) => room_rules::reads_templates(actor, d.id),
            })
            .collect())
    }

    /// A district publishes a template; answers its id.
    pub async fn publish_rule_template(
        &self,
        acting: &Acting,
        district: &str,
        input: &RuleInput,
    ) -> Result<i64, AppError> {
        let district = self.templates_district(acting, district).await?;
        acting.require(Action::PublishRuleTemplates, &Place::district(district.id))?;
        let first = checked(input, None, self.clock().today())?;
        let rule = NewRule {
            district_id: district.id,
            room_id: None,
            template_id: None,
            first,
            from_template_version: None,
        };
        Ok(self
            .store()
            .add_rule(&acting.who(), &rule, self.clock().now())
            .await?)
    }

    /// A new version of a district's template (rooms that adopted it are offered to follow).
    pub async fn revise_rule_template(
        &self,
        acting: &Acting,
        district: &str,
        template_id: i64,
        input: &RuleInput,
        based_on: Option<i32>,
    ) -> Result<i32, AppError> {
        let district = self.templates_district(acting, district).await?;
        acting.require(Action::PublishRuleTemplates, &Place::district(district.id))?;
        let template = self
            .store()
            .rule_document(template_id)
            .await?
            .filter(|t| t.room_id.is_none() && t.district_id == district.id)
            .ok_or_else(|| AppError::NotFound("本区没有这个制度模板".into()))?;
        self.add_version(acting, &template, input, based_on, None).await
    }
}

/// The template version a room adopts: the one in force, or the first to come.
fn template_text(
    template: &StoredRule,
    today: NaiveDate,
) -> Result<&store::room_rules::StoredRuleVersion, AppError> {
    room_rules::in_force(&template.versions, today)
        .map(|index| &template.versions[index])
        .or(template.versions.first())
        .ok_or_else(|| AppError::Internal(format!("template {} has no version", template.id)))
}
