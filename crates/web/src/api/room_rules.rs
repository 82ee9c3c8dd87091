//! Rooms' rules (工作室制度, R14) and districts' templates (区制度模板): read a room's rules with every
//! version, write one, revise it, adopt a template and follow its new versions; a district publishes
//! and revises templates.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::room_rules::{PublicRule, RoomRulesView, RuleInput, RuleVersionView, RuleView, TemplatesView};

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(room_rules, add_room_rule))
        .routes(routes!(adopt_template))
        .routes(routes!(revise_room_rule))
        .routes(routes!(follow_template))
        .routes(routes!(templates, publish_template))
        .routes(routes!(revise_template))
}

/// A rule in force as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct PublicRuleJson {
    title: String,
    text: String,
    effective_from: NaiveDate,
    version: i32,
}

impl From<&PublicRule> for PublicRuleJson {
    fn from(rule: &PublicRule) -> Self {
        Self {
            title: rule.title.clone(),
            text: rule.text.clone(),
            effective_from: rule.effective_from,
            version: rule.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RuleVersionJson {
    version: i32,
    title: String,
    text: String,
    effective_from: NaiveDate,
    /// `current` (现行), `upcoming` (待生效) or `superseded` (旧版本), as of today.
    standing: String,
    /// The template's version this one copies.
    from_template_version: Option<i32>,
    created_at: DateTime<Utc>,
    created_by: String,
}

impl From<&RuleVersionView> for RuleVersionJson {
    fn from(v: &RuleVersionView) -> Self {
        Self {
            version: v.version,
            title: v.title.clone(),
            text: v.text.clone(),
            effective_from: v.effective_from,
            standing: v.standing.as_str().to_owned(),
            from_template_version: v.from_template_version,
            created_at: v.created_at,
            created_by: v.created_by.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RuleJson {
    id: i64,
    /// The current version's title (or the first to come).
    title: String,
    /// The district template it was adopted from.
    template_id: Option<i64>,
    /// The template has a newer version than this rule copied: its number.
    template_update: Option<i32>,
    /// The version in force today.
    current_version: Option<i32>,
    versions: Vec<RuleVersionJson>,
}

impl From<&RuleView> for RuleJson {
    fn from(rule: &RuleView) -> Self {
        Self {
            id: rule.id,
            title: rule.title().to_owned(),
            template_id: rule.template_id,
            template_update: rule.template_update,
            current_version: rule.current().map(|v| v.version),
            versions: rule.versions.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomRulesJson {
    room_id: i64,
    room_name: String,
    rules: Vec<RuleJson>,
    /// The district's templates the room has not adopted (only for those who may adopt).
    templates_to_adopt: Vec<RuleJson>,
    /// Whether the caller may write, revise and adopt.
    may_write: bool,
}

impl From<&RoomRulesView> for RoomRulesJson {
    fn from(view: &RoomRulesView) -> Self {
        Self {
            room_id: view.room.id,
            room_name: view.room.name.clone(),
            rules: view.rules.iter().map(Into::into).collect(),
            templates_to_adopt: view.templates.iter().map(Into::into).collect(),
            may_write: view.may_write,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TemplateJson {
    #[serde(flatten)]
    rule: RuleJson,
    /// How many of the district's rooms adopted it.
    adopted_by_rooms: usize,
}

#[derive(Serialize, ToSchema)]
pub struct TemplatesJson {
    district_code: String,
    district_name: String,
    templates: Vec<TemplateJson>,
    may_publish: bool,
}

impl From<&TemplatesView> for TemplatesJson {
    fn from(view: &TemplatesView) -> Self {
        Self {
            district_code: view.district.code.clone(),
            district_name: view.district.name.clone(),
            templates: view
                .templates
                .iter()
                .map(|t| TemplateJson {
                    rule: t.into(),
                    adopted_by_rooms: view
                        .adoptions
                        .iter()
                        .find(|(id, _)| *id == t.id)
                        .map_or(0, |(_, n)| *n),
                })
                .collect(),
            may_publish: view.may_publish,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RuleVersionInputJson {
    #[schema(example = "委员接待群众制度", max_length = 60)]
    title: String,
    #[schema(example = "一、工作室每逢单月15日接待群众……", max_length = 20000)]
    text: String,
    /// The day it takes effect: after the previous version's, within a year from today.
    #[schema(example = "2027-01-01")]
    effective_from: NaiveDate,
    /// The version this revision starts from; a revision made meanwhile answers 409.
    based_on: Option<i32>,
}

impl RuleVersionInputJson {
    fn input(&self) -> RuleInput {
        RuleInput {
            title: self.title.clone(),
            text: self.text.clone(),
            effective_from: self.effective_from,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AdoptTemplateJson {
    template_id: i64,
    #[schema(example = "2027-01-01")]
    effective_from: NaiveDate,
}

#[derive(Deserialize, ToSchema)]
pub struct FollowTemplateJson {
    #[schema(example = "2027-01-01")]
    effective_from: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedRuleJson {
    id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct AddedVersionJson {
    version: i32,
}

/// A room's rules with every version (its staff, street lead, district, the city, inspecting
/// departments, and the members serving it).
#[utoipa::path(
    get, path = "/api/v1/rooms/{id}/rules", tag = "rules", params(("id" = i64, Path)),
    responses((status = 200, body = RoomRulesJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn room_rules(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<RoomRulesJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.room_rules(&caller.acting(), id).await?).into(),
    ))
}

/// Writes a rule of the room's own, its first version.
#[utoipa::path(
    post, path = "/api/v1/rooms/{id}/rules", tag = "rules", params(("id" = i64, Path)),
    request_body = RuleVersionInputJson,
    responses((status = 201, body = CreatedRuleJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn add_room_rule(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RuleVersionInputJson>,
) -> Result<(StatusCode, ApiJson<CreatedRuleJson>), ApiError> {
    let id = state
        .app
        .add_room_rule(&caller.acting(), id, &body.input())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedRuleJson { id })))
}

/// Adopts a template of the room's district: its text becomes the room's rule from `effective_from`.
#[utoipa::path(
    post, path = "/api/v1/rooms/{id}/rules/adopt", tag = "rules", params(("id" = i64, Path)),
    request_body = AdoptTemplateJson,
    responses((status = 201, body = CreatedRuleJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn adopt_template(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AdoptTemplateJson>,
) -> Result<(StatusCode, ApiJson<CreatedRuleJson>), ApiError> {
    let id = state
        .app
        .adopt_rule_template(&caller.acting(), id, body.template_id, body.effective_from)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedRuleJson { id })))
}

/// Revises a room's rule: a new version from `effective_from`; older versions stay readable.
#[utoipa::path(
    post, path = "/api/v1/rooms/{id}/rules/{rule_id}/versions", tag = "rules",
    params(("id" = i64, Path), ("rule_id" = i64, Path)), request_body = RuleVersionInputJson,
    responses((status = 201, body = AddedVersionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn revise_room_rule(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, rule_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<RuleVersionInputJson>,
) -> Result<(StatusCode, ApiJson<AddedVersionJson>), ApiError> {
    let version = state
        .app
        .revise_room_rule(&caller.acting(), id, rule_id, &body.input(), body.based_on)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(AddedVersionJson { version })))
}

/// An adopted rule takes its template's newest version from `effective_from`.
#[utoipa::path(
    post, path = "/api/v1/rooms/{id}/rules/{rule_id}/follow-template", tag = "rules",
    params(("id" = i64, Path), ("rule_id" = i64, Path)), request_body = FollowTemplateJson,
    responses((status = 201, body = AddedVersionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn follow_template(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, rule_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<FollowTemplateJson>,
) -> Result<(StatusCode, ApiJson<AddedVersionJson>), ApiError> {
    let version = state
        .app
        .follow_rule_template(&caller.acting(), id, rule_id, body.effective_from)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(AddedVersionJson { version })))
}

/// A district's templates of rules (the district, the city, and the district's street leads and rooms'
/// staff, who adopt them). `code` is the district's code or name.
#[utoipa::path(
    get, path = "/api/v1/districts/{code}/rule-templates", tag = "rules", params(("code" = String, Path)),
    responses((status = 200, body = TemplatesJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn templates(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(code): ApiPath<String>,
) -> Result<ApiJson<TemplatesJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.rule_templates(&caller.acting(), &code).await?).into(),
    ))
}

/// Publishes a template for the district's rooms (the district's staff, the city).
#[utoipa::path(
    post, path = "/api/v1/districts/{code}/rule-templates", tag = "rules", params(("code" = String, Path)),
    request_body = RuleVersionInputJson,
    responses((status = 201, body = CreatedRuleJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn publish_template(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<RuleVersionInputJson>,
) -> Result<(StatusCode, ApiJson<CreatedRuleJson>), ApiError> {
    let id = state
        .app
        .publish_rule_template(&caller.acting(), &code, &body.input())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedRuleJson { id })))
}

/// Revises a template: a new version; rooms that adopted it are offered to follow.
#[utoipa::path(
    post, path = "/api/v1/districts/{code}/rule-templates/{template_id}/versions", tag = "rules",
    params(("code" = String, Path), ("template_id" = i64, Path)), request_body = RuleVersionInputJson,
    responses((status = 201, body = AddedVersionJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn revise_template(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((code, template_id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<RuleVersionInputJson>,
) -> Result<(StatusCode, ApiJson<AddedVersionJson>), ApiError> {
    let version = state
        .app
        .revise_rule_template(&caller.acting(), &code, template_id, &body.input(), body.based_on)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(AddedVersionJson { version })))
}
