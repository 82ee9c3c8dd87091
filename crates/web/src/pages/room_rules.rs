//! Rules on pages (工作室制度, R14): a room's rules with every version, forms to write, revise, adopt a
//! district template and follow its new version; a district's templates with forms to publish and
//! revise. What the caller may do comes from `app`; a refused form is shown again with what was typed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use app::AppError;
use app::calendar::DistrictRef;
use app::room_rules::{RoomRulesView, RuleInput, TemplatesView};

use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{PageError, status_of};
use crate::extract::{CsrfForm, PagePath};
use crate::layout::PageContext;

/// What a refused form held, so it is shown again as typed; `target` names the form (`new`,
/// `revise-ID`, `adopt-ID`, `follow-ID`).
#[derive(Debug, Clone, Default)]
pub(super) struct Typed {
    target: String,
    title: String,
    text: String,
    effective_from: String,
}

impl Typed {
    fn is(&self, target: &str) -> bool {
        self.target == target
    }
}

/// The forms of both pages: `step` says which.
#[derive(Deserialize, Default)]
pub(super) struct RuleForm {
    /// Rooms: `add`, `adopt`, `revise`, `follow`; templates: `publish`, `revise`.
    #[serde(default)]
    step: String,
    #[serde(default)]
    rule_id: String,
    #[serde(default)]
    template_id: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    based_on: String,
}

fn parse_day(raw: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("effective_from", "请填写生效日期（年-月-日）"))
}

/// The default day for a new version: the day after the newest one if that is later than today, so
/// the default is always accepted.
fn next_day(today: &str, latest: NaiveDate) -> String {
    let today = parse_day(today).unwrap_or(latest);
    let after = latest.checked_add_days(Days::new(1)).unwrap_or(latest);
    after.max(today).to_string()
}

fn parse_id(field: &str, raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, "请选择要操作的制度"))
}

fn parse_based_on(raw: &str) -> Option<i32> {
    raw.trim().parse().ok()
}

impl RuleForm {
    fn input(&self) -> Result<RuleInput, AppError> {
        Ok(RuleInput {
            title: self.title.clone(),
            text: self.text.clone(),
            effective_from: parse_day(&self.effective_from)?,
        })
    }

    fn typed(&self) -> Typed {
        let id = match self.step.as_str() {
            "adopt" => self.template_id.trim(),
            "add" | "publish" => "",
            _ => self.rule_id.trim(),
        };
        let target = match self.step.as_str() {
            "add" | "publish" => "new".to_owned(),
            step => format!("{step}-{id}"),
        };
        Typed {
            target,
            title: self.title.clone(),
            text: self.text.clone(),
            effective_from: self.effective_from.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rooms/room_rules.html")]
pub(super) struct RoomRulesPage {
    page: PageContext,
    view: RoomRulesView,
    /// The earliest day a new rule can take effect, as the date fields' default.
    today: String,
    error: String,
    typed: Typed,
}

impl RoomRulesPage {
    /// The default day for a revision of `rule`: the day after its newest version if that is later than
    /// today, so the default is always accepted.
    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes a template's arguments by reference
    fn next_day(&self, latest: &NaiveDate) -> String {
        next_day(&self.today, *latest)
    }
}

async fn room_page(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    room_id: i64,
    error: String,
    typed: Typed,
) -> Result<RoomRulesPage, PageError> {
    let view = state
        .app
        .room_rules(&caller.acting(), room_id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(RoomRulesPage {
        today: state.app.clock().today().to_string(),
        page,
        view,
        error,
        typed,
    })
}

/// `/admin/rooms/{id}/rules`.
pub(super) async fn room_rules(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<RoomRulesPage, PageError> {
    room_page(&state, page, &caller, id, String::new(), Typed::default()).await
}

/// One form for the four steps on a room's rules.
pub(super) async fn room_rules_act(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<RuleForm>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let outcome = async {
        match form.step.as_str() {
            "add" => app.add_room_rule(&acting, id, &form.input()?).await.map(|_| ()),
            "adopt" => {
                let template_id = parse_id("template_id", &form.template_id)?;
                let day = parse_day(&form.effective_from)?;
                app.adopt_rule_template(&acting, id, template_id, day)
                    .await
                    .map(|_| ())
            }
            "revise" => {
                let rule_id = parse_id("rule_id", &form.rule_id)?;
                app.revise_room_rule(
                    &acting,
                    id,
                    rule_id,
                    &form.input()?,
                    parse_based_on(&form.based_on),
                )
                .await
                .map(|_| ())
            }
            "follow" => {
                let rule_id = parse_id("rule_id", &form.rule_id)?;
                let day = parse_day(&form.effective_from)?;
                app.follow_rule_template(&acting, id, rule_id, day)
                    .await
                    .map(|_| ())
            }
            _ => Err(AppError::invalid("step", "不认识的操作")),
        }
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to(&format!("/admin/rooms/{id}/rules")).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::NotFound(_))) => {
            let status = status_of(&err);
            match room_page(&state, page, &caller, id, err.to_string(), form.typed()).await {
                Ok(shown) => (status, shown).into_response(),
                Err(other) => other.into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rooms/rule_templates.html")]
pub(super) struct TemplatesPage {
    page: PageContext,
    districts: Vec<DistrictRef>,
    view: TemplatesView,
    today: String,
    error: String,
    typed: Typed,
}

impl TemplatesPage {
    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes a template's arguments by reference
    fn adopted(&self, template_id: &i64) -> usize {
        self.view
            .adoptions
            .iter()
            .find(|(id, _)| id == template_id)
            .map_or(0, |(_, n)| *n)
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes a template's arguments by reference
    fn next_day(&self, latest: &NaiveDate) -> String {
        next_day(&self.today, *latest)
    }
}

#[derive(Deserialize, Default)]
pub(super) struct DistrictQuery {
    district: Option<String>,
}

async fn templates_page(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    district: Option<&str>,
    error: String,
    typed: Typed,
) -> Result<TemplatesPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let acting = caller.acting();
    let districts = state.app.template_districts(&acting).await.map_err(fail)?;
    let chosen = match district.map(str::trim).filter(|d| !d.is_empty()) {
        Some(code) => code.to_owned(),
        None => districts
            .first()
            .map(|d| d.code.clone())
            .ok_or_else(|| fail(app::access::forbidden()))?,
    };
    let view = state.app.rule_templates(&acting, &chosen).await.map_err(fail)?;
    Ok(TemplatesPage {
        today: state.app.clock().today().to_string(),
        page,
        districts,
        view,
        error,
        typed,
    })
}

/// `/admin/rule-templates?district=CODE` (a district sees its own; the city chooses).
pub(super) async fn templates(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<DistrictQuery>,
) -> Result<TemplatesPage, PageError> {
    templates_page(
        &state,
        page,
        &caller,
        query.district.as_deref(),
        String::new(),
        Typed::default(),
    )
    .await
}

/// Publishing and revising templates.
pub(super) async fn templates_act(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<RuleForm>,
) -> Response {
    let acting = caller.acting();
    let app = &state.app;
    let district = form.district.trim().to_owned();
    let outcome = async {
        match form.step.as_str() {
            "publish" => app
                .publish_rule_template(&acting, &district, &form.input()?)
                .await
                .map(|_| ()),
            "revise" => {
                let template_id = parse_id("rule_id", &form.rule_id)?;
                app.revise_rule_template(
                    &acting,
                    &district,
                    template_id,
                    &form.input()?,
                    parse_based_on(&form.based_on),
                )
                .await
                .map(|_| ())
            }
            _ => Err(AppError::invalid("step", "不认识的操作")),
        }
    }
    .await;
    match outcome {
        // Back to the district's list; only a code goes into the address (a typed name might not be ASCII).
        Ok(()) if district.bytes().all(|b| b.is_ascii_digit()) => {
            Redirect::to(&format!("/admin/rule-templates?district={district}")).into_response()
        }
        Ok(()) => Redirect::to("/admin/rule-templates").into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::NotFound(_))) => {
            let status = status_of(&err);
            match templates_page(
                &state,
                page,
                &caller,
                Some(&district),
                err.to_string(),
                form.typed(),
            )
            .await
            {
                Ok(shown) => (status, shown).into_response(),
                Err(other) => other.into_response(),
            }
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
