//! The calendar administration page (R9, R17): official holiday arrangements and rule versions (city
//! general office), a district's own reception day and blocked dates (district staff and the city), and a
//! preview of the year's reception days with their reasons.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;

use app::AppError;
use app::calendar::{ArrangementSummary, DistrictCalendar, DistrictRef, StoredRuleSet};
use domain::calendar::{RuleSet, Year};
use domain::member::MemberLevel;

use super::rooms::{ScheduleRow, schedule_rows};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, PagePath, check_upload_csrf};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "rooms/calendar.html")]
pub(super) struct CalendarPage {
    page: PageContext,
    year: i32,
    edits_rules: bool,
    arrangements: Vec<ArrangementSummary>,
    rules: Vec<StoredRuleSet>,
    districts: Vec<DistrictRef>,
    district: DistrictCalendar,
    preview: Vec<ScheduleRow>,
    provisional: bool,
    /// The first date a change may take effect (tomorrow), for the date inputs.
    earliest: String,
    message: String,
    error: String,
}

impl CalendarPage {
    fn level_labels(rules: &RuleSet) -> String {
        rules
            .point_levels
            .iter()
            .map(|l| l.label_zh())
            .collect::<Vec<_>>()
            .join("、")
    }

    fn months_label(rules: &RuleSet) -> String {
        if rules.reception_months == [1, 3, 5, 7, 9, 11] {
            "单月".to_owned()
        } else if rules.reception_months.len() == 12 {
            "每月".to_owned()
        } else {
            rules
                .reception_months
                .iter()
                .map(|m| format!("{m}月"))
                .collect::<Vec<_>>()
                .join("、")
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct CalendarQuery {
    district: Option<String>,
    year: Option<String>,
}

struct Outcome {
    message: String,
    error: String,
}

async fn render(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    district: Option<&str>,
    year: Option<i32>,
    outcome: Outcome,
) -> Result<CalendarPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let acting = caller.acting();
    let districts = state.app.calendar_districts(&acting).await.map_err(fail)?;
    let today = state.app.clock().today();
    let year = year.unwrap_or_else(|| today.year());
    let chosen = district
        .and_then(|wanted| districts.iter().find(|d| d.code == wanted || d.name == wanted))
        .or_else(|| districts.first())
        .map(|d| d.code.clone())
        .unwrap_or_default();
    let calendar = state
        .app
        .district_calendar(&acting, &chosen, year)
        .await
        .map_err(fail)?;
    let preview = state
        .app
        .reception_days(Some(&chosen), None, false, year)
        .await
        .map_err(fail)?;
    Ok(CalendarPage {
        edits_rules: app::App::may_edit_rules(&acting),
        arrangements: state.app.arrangements().await.map_err(fail)?,
        rules: state.app.rule_sets().await.map_err(fail)?,
        districts,
        district: calendar,
        preview: schedule_rows(&preview, today),
        provisional: preview.provisional,
        earliest: (today + Days::new(1)).to_string(),
        year,
        page,
        message: outcome.message,
        error: outcome.error,
    })
}

pub(super) async fn calendar(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<CalendarQuery>,
) -> Result<CalendarPage, PageError> {
    let year = match query.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(raw) => Some(Year::number(raw).map_err(|err| PageError::new(page.clone(), err.into()))?),
        None => None,
    };
    render(
        &state,
        page,
        &caller,
        query.district.as_deref(),
        year,
        Outcome {
            message: String::new(),
            error: String::new(),
        },
    )
    .await
}

/// Renders the page after a form: the message on success, the error with 422 when the input was wrong.
async fn after_form(
    state: &AppState,
    page: PageContext,
    caller: &Caller,
    district: Option<&str>,
    result: Result<String, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(message) => Ok(render(
            state,
            page,
            caller,
            district,
            None,
            Outcome {
                message,
                error: String::new(),
            },
        )
        .await?
        .into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = render(
                state,
                page,
                caller,
                district,
                None,
                Outcome {
                    message: String::new(),
                    error: err.to_string(),
                },
            )
            .await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            field,
            format!("「{}」不是有效日期（格式 YYYY-MM-DD）", raw.trim()),
        )
    })
}

fn parse_number(field: &str, label: &str, raw: &str) -> Result<u32, AppError> {
    raw.trim()
        .parse::<u32>()
        .map_err(|_| AppError::invalid(field, format!("{label}应为整数")))
}

#[derive(Deserialize)]
pub(super) struct DistrictDayForm {
    #[serde(default)]
    district: String,
    #[serde(default)]
    day_of_month: String,
    #[serde(default)]
    effective_from: String,
}

pub(super) async fn add_district_day(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<DistrictDayForm>,
) -> Result<Response, PageError> {
    let result = async {
        let day = parse_number("day_of_month", "接待日", &form.day_of_month)?;
        let from = parse_date("effective_from", &form.effective_from)?;
        state
            .app
            .add_district_day(&caller.acting(), &form.district, day, from)
            .await?;
        Ok(format!("已设定：自 {from} 起每月 {day} 日为本区接待日。"))
    }
    .await;
    after_form(&state, page, &caller, Some(&form.district), result).await
}

#[derive(Deserialize)]
pub(super) struct BlockedForm {
    #[serde(default)]
    district: String,
    /// `city` to block the date for the whole city (city office), otherwise the district.
    #[serde(default)]
    scope: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    event: String,
}

pub(super) async fn add_blocked_date(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<BlockedForm>,
) -> Result<Response, PageError> {
    let result = async {
        let date = parse_date("date", &form.date)?;
        let district = (form.scope != "city").then_some(form.district.as_str());
        let blocked = state
            .app
            .add_blocked_date(&caller.acting(), district, date, &form.event)
            .await?;
        Ok(format!(
            "已登记重要活动日 {}（{}），当天的接待日顺延。",
            blocked.blocked.date, blocked.blocked.event
        ))
    }
    .await;
    after_form(&state, page, &caller, Some(&form.district), result).await
}

#[derive(Deserialize)]
pub(super) struct RemoveBlockedForm {
    #[serde(default)]
    district: String,
}

pub(super) async fn remove_blocked_date(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<RemoveBlockedForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .remove_blocked_date(&caller.acting(), id)
        .await
        .map(|()| "已删除该重要活动日。".to_owned());
    after_form(&state, page, &caller, Some(&form.district), result).await
}

#[derive(Deserialize)]
pub(super) struct RulesForm {
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    reception_day_of_month: String,
    /// `odd` or `every`.
    #[serde(default)]
    reception_months: String,
    #[serde(default)]
    notice_lead_days: String,
    #[serde(default)]
    min_yearly_activities: String,
    #[serde(default)]
    points_per_activity: String,
    #[serde(default)]
    point_levels: String,
    #[serde(default)]
    annual_summary_due: String,
    #[serde(default)]
    triage_working_days: String,
    #[serde(default)]
    department_working_days: String,
    #[serde(default)]
    opinion_retention_days: String,
}

fn rules_from(form: &RulesForm) -> Result<RuleSet, AppError> {
    let (month, day) =
        form.annual_summary_due.trim().split_once('-').ok_or_else(|| {
            AppError::invalid("annual_summary_due", "年度总结报送日期应写成 MM-DD，如 12-20")
        })?;
    let point_levels = form
        .point_levels
        .split([',', '，', ' '])
        .filter(|s| !s.is_empty())
        .map(|raw| {
            MemberLevel::parse(raw)
                .or_else(|| MemberLevel::parse_zh(raw))
                .ok_or_else(|| AppError::invalid("point_levels", format!("「{raw}」不是委员层级")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RuleSet {
        effective_from: parse_date("effective_from", &form.effective_from)?,
        reception_day_of_month: parse_number(
            "reception_day_of_month",
            "接待日",
            &form.reception_day_of_month,
        )?,
        reception_months: match form.reception_months.as_str() {
            "every" => (1..=12).collect(),
            _ => vec![1, 3, 5, 7, 9, 11],
        },
        notice_lead_days: parse_number("notice_lead_days", "公告提前天数", &form.notice_lead_days)?,
        min_yearly_activities: parse_number(
            "min_yearly_activities",
            "每年最少活动次数",
            &form.min_yearly_activities,
        )?,
        points_per_activity: parse_number("points_per_activity", "每次活动积分", &form.points_per_activity)?,
        point_levels,
        annual_summary_due_month: parse_number("annual_summary_due", "报送月份", month)?,
        annual_summary_due_day: parse_number("annual_summary_due", "报送日", day)?,
        triage_working_days: parse_number("triage_working_days", "分办时限", &form.triage_working_days)?,
        department_working_days: parse_number(
            "department_working_days",
            "部门办理时限",
            &form.department_working_days,
        )?,
        opinion_retention_days: match form.opinion_retention_days.trim() {
            "" => RuleSet::default().opinion_retention_days,
            raw => parse_number("opinion_retention_days", "个人信息保存期限", raw)?,
        },
    })
}

pub(super) async fn add_rule_set(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<RulesForm>,
) -> Result<Response, PageError> {
    let result = async {
        let rules = rules_from(&form)?;
        state.app.add_rule_set(&caller.acting(), &rules).await?;
        Ok(format!(
            "已新增自 {} 起施行的规则版本；此前的日子不受影响。",
            rules.effective_from
        ))
    }
    .await;
    after_form(&state, page, &caller, None, result).await
}

/// Receives an arrangement file (multipart: `csrf`, `file`).
pub(super) async fn import_arrangement(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mut multipart) = multipart else {
        let err = AppError::invalid("file", "请通过页面上的表单上传文件。");
        return after_form(&state, page, &caller, None, Err(err)).await;
    };
    let (mut csrf, mut file) = (String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => file = field.bytes().await.ok(),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                let err = AppError::invalid("file", "上传中断或文件过大，请重试。");
                return after_form(&state, page, &caller, None, Err(err)).await;
            }
        }
    }
    check_upload_csrf(&page, &caller, &csrf)?;
    let result = async {
        let bytes = file
            .filter(|f| !f.is_empty())
            .ok_or_else(|| AppError::invalid("file", "请选择要上传的节假日安排文件（.toml）"))?;
        let text =
            std::str::from_utf8(&bytes).map_err(|_| AppError::invalid("file", "文件不是 UTF-8 文本"))?;
        let (arrangement, outcome) = state.app.import_arrangement(&caller.acting(), text).await?;
        let what = match outcome {
            app::calendar::LoadOutcome::Added => "已载入",
            app::calendar::LoadOutcome::Replaced => "已替换为新文件",
            app::calendar::LoadOutcome::Unchanged => "与已载入的相同，未改动",
        };
        Ok(format!("{} 年节假日安排{what}。", arrangement.year))
    }
    .await;
    after_form(&state, page, &caller, None, result).await
}
