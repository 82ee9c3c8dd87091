//! Administration pages: accounts (city and district staff, within their scope) and the audit trail
//! (city general office).

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::accounts::{IssuedPassword, NewAccountInput};
use app::{Account, AppError, AuditQuery, ChainReport, Department, Room};
use domain::authz::Role;

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, EXPIRED_PAGE, NoFields, PagePath, check_upload_csrf};
use crate::layout::PageContext;

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct AccountForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub division_code: String,
    #[serde(default)]
    pub room_id: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub member_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
pub(super) struct AccountsPage {
    page: PageContext,
    scope_name: String,
    accounts: Vec<Account>,
    rooms: Vec<Room>,
    departments: Vec<Department>,
    roles: Vec<(&'static str, &'static str)>,
    form: AccountForm,
    issued: Option<IssuedPassword>,
    error: String,
}

/// Roles the form offers, as the use case decides them.
fn roles_for(acting: &app::access::Acting) -> Vec<(&'static str, &'static str)> {
    app::App::roles_offered(acting)
        .into_iter()
        .map(|role| (role.as_str(), role.label_zh()))
        .collect()
}

async fn accounts_page(
    state: &AppState,
    page: PageContext,
    caller: &crate::auth::Caller,
    form: AccountForm,
    issued: Option<IssuedPassword>,
    error: String,
) -> Result<AccountsPage, PageError> {
    let acting = caller.acting();
    let fail = |err| PageError::new(page.clone(), err);
    let accounts = state.app.list_accounts(&acting).await.map_err(fail)?;
    let rooms = state.app.rooms(&acting).await.map_err(fail)?;
    let departments = state.app.departments(&acting).await.map_err(fail)?;
    Ok(AccountsPage {
        scope_name: caller.auth.account.scope_name.clone(),
        roles: roles_for(&caller.acting()),
        page,
        accounts,
        rooms,
        departments,
        form,
        issued,
        error,
    })
}

pub(super) async fn accounts(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<AccountsPage, PageError> {
    let form = AccountForm {
        role: Role::RoomStaff.as_str().to_owned(),
        ..AccountForm::default()
    };
    accounts_page(&state, page, &caller, form, None, String::new()).await
}

fn optional_id(field: &str, raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, "编号应为数字"))
}

pub(super) async fn create_account(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<Response, PageError> {
    let parsed = (|| {
        Ok::<_, AppError>(NewAccountInput {
            username: form.username.clone(),
            display_name: form.display_name.clone(),
            role: form.role.clone(),
            division_code: Some(form.division_code.clone()),
            room_id: optional_id("room_id", &form.room_id)?,
            department_id: optional_id("department_id", &form.department_id)?,
            member_id: optional_id("member_id", &form.member_id)?,
        })
    })();
    let result = match parsed {
        Ok(input) => state.app.create_account(&caller.acting(), &input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(issued) => {
            let fresh = AccountForm {
                role: form.role.clone(),
                ..AccountForm::default()
            };
            Ok((
                StatusCode::CREATED,
                accounts_page(&state, page, &caller, fresh, Some(issued), String::new()).await?,
            )
                .into_response())
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let body = accounts_page(&state, page, &caller, form, None, err.to_string()).await?;
            Ok(form_again(&err, body))
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub(super) struct AccountPage {
    page: PageContext,
    account: Account,
    created_at: String,
    issued: Option<String>,
    message: String,
}

fn account_page(page: PageContext, account: Account, issued: Option<String>, message: &str) -> AccountPage {
    let created_at = account
        .created_at
        .with_timezone(&app::clock::beijing())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    AccountPage {
        page,
        account,
        created_at,
        issued,
        message: message.to_owned(),
    }
}

pub(super) async fn account(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
) -> Result<AccountPage, PageError> {
    let account = state
        .app
        .account_for(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(account_page(page, account, None, ""))
}

pub(super) async fn account_action(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath((id, action)): PagePath<(i64, String)>,
    _: CsrfForm<NoFields>,
) -> Result<AccountPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let acting = caller.acting();
    match action.as_str() {
        "disable" => {
            let account = state
                .app
                .set_account_disabled(&acting, id, true)
                .await
                .map_err(fail)?;
            Ok(account_page(
                page,
                account,
                None,
                "账号已停用，其登录已全部失效。",
            ))
        }
        "enable" => {
            let account = state
                .app
                .set_account_disabled(&acting, id, false)
                .await
                .map_err(fail)?;
            Ok(account_page(page, account, None, "账号已重新启用。"))
        }
        "reset-password" => {
            let issued = state.app.reset_password(&acting, id).await.map_err(fail)?;
            Ok(account_page(
                page,
                issued.account,
                Some(issued.initial_password),
                "",
            ))
        }
        _ => Err(fail(AppError::NotFound("没有这个操作".into()))),
    }
}

/// One audit row as the page shows it.
pub(super) struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub(super) struct AuditPage {
    page: PageContext,
    rows: Vec<AuditRow>,
    report: Option<ChainReport>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct AuditParams {
    before_id: Option<i64>,
    verify: Option<String>,
}

const AUDIT_PAGE_SIZE: u64 = 100;

pub(super) async fn audit(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    params: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<AuditPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let Query(params) = params.map_err(|_| fail(AppError::invalid("before_id", "分页参数有误")))?;
    let acting = caller.acting();
    let query = AuditQuery {
        before_id: params.before_id,
        limit: AUDIT_PAGE_SIZE,
        ..AuditQuery::default()
    };
    let entries = state.app.audit_entries(&acting, &query).await.map_err(fail)?;
    let report = if params.verify.is_some() {
        Some(state.app.verify_audit(&acting).await.map_err(fail)?)
    } else {
        None
    };
    let older = (entries.len() as u64 == AUDIT_PAGE_SIZE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let json = |value: Option<serde_json::Value>| value.map(|v| v.to_string()).unwrap_or_default();
    let rows = entries
        .into_iter()
        .map(|entry| AuditRow {
            id: entry.id,
            at: entry
                .at
                .with_timezone(&app::clock::beijing())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before: json(entry.before),
            after: json(entry.after),
        })
        .collect();
    Ok(AuditPage {
        page,
        rows,
        report,
        older,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub(super) struct ImportPage {
    page: PageContext,
    report: Option<app::roster::ImportReport>,
    error: String,
}

pub(super) async fn members_import_form(
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<ImportPage, PageError> {
    let acting = caller.acting();
    if !app::App::may_import_members(&acting) {
        return Err(PageError::new(page, app::access::forbidden()));
    }
    Ok(ImportPage {
        page,
        report: None,
        error: String::new(),
    })
}

/// Receives the uploaded roster (multipart: `csrf`, `file`, optional `dry_run`).
pub(super) async fn members_import(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let refuse = |page: PageContext, status: StatusCode, error: String| {
        (
            status,
            ImportPage {
                page,
                report: None,
                error,
            },
        )
            .into_response()
    };
    let Ok(mut multipart) = multipart else {
        return refuse(
            page,
            StatusCode::BAD_REQUEST,
            "请通过页面上的表单上传文件。".into(),
        );
    };
    let (mut csrf, mut file, mut dry_run) = (String::new(), None, false);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("dry_run") => dry_run = true,
                Some("file") => match field.bytes().await {
                    Ok(bytes) => file = Some(bytes),
                    Err(_) => {
                        return refuse(
                            page,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "文件过大：名册文件最大 10 MB。".into(),
                        );
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                return refuse(
                    page,
                    StatusCode::BAD_REQUEST,
                    "上传中断或文件过大，请重试。".into(),
                );
            }
        }
    }
    // The import page shows the refusal above its own form.
    if check_upload_csrf(&page, &caller, &csrf).is_err() {
        return refuse(page, StatusCode::FORBIDDEN, EXPIRED_PAGE.into());
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return refuse(
            page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "请选择要上传的名册文件。".into(),
        );
    };
    match state
        .app
        .import_members(&caller.acting(), &file, dry_run, &|_, _| {})
        .await
    {
        Ok(report) => {
            let status = if report.succeeded() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (
                status,
                ImportPage {
                    page,
                    report: Some(report),
                    error: String::new(),
                },
            )
                .into_response()
        }
        Err(err @ AppError::Invalid { .. }) => {
            refuse(page, StatusCode::UNPROCESSABLE_ENTITY, err.to_string())
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

/// The roster template as an .xlsx download.
pub(super) async fn members_template(page: PageContext, PageCaller(_caller): PageCaller) -> Response {
    match app::roster::roster_template() {
        Ok(bytes) => crate::download::attachment(
            crate::download::FileKind::Xlsx,
            "委员名册模板.xlsx",
            "roster-template.xlsx",
            bytes,
        ),
        Err(err) => PageError::new(page, err).into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staffing.html")]
pub(super) struct StaffingPage {
    page: PageContext,
    reports: Vec<app::staffing::StaffingReport>,
    message: String,
    error: String,
}

async fn staffing_page(
    state: &AppState,
    page: PageContext,
    caller: &crate::auth::Caller,
    message: String,
    error: String,
) -> Result<StaffingPage, PageError> {
    let reports = state
        .app
        .staffing(&caller.acting(), None)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(StaffingPage {
        page,
        reports,
        message,
        error,
    })
}

pub(super) async fn staffing(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<StaffingPage, PageError> {
    staffing_page(&state, page, &caller, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct ConvenerForm {
    #[serde(default)]
    district: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    name: String,
}

pub(super) async fn add_convener(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    CsrfForm(form): CsrfForm<ConvenerForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .add_convener(&caller.acting(), &form.district, &form.title, &form.name)
        .await
    {
        Ok(convener) => {
            let message = format!(
                "已登记召集人 {}（{}）。",
                convener.name,
                convener.title.label_zh()
            );
            Ok(staffing_page(&state, page, &caller, message, String::new())
                .await?
                .into_response())
        }
        Err(err @ AppError::Invalid { .. }) => {
            let body = staffing_page(&state, page, &caller, String::new(), err.to_string()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(err) => Err(PageError::new(page, err)),
    }
}

pub(super) async fn remove_convener(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    PagePath(id): PagePath<i64>,
    _: CsrfForm<NoFields>,
) -> Result<StaffingPage, PageError> {
    state
        .app
        .remove_convener(&caller.acting(), id)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    staffing_page(&state, page, &caller, "已移除召集人记录。".into(), String::new()).await
}
