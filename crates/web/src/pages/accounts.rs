//! Accounts (账号管理): the city and the districts create, reset and disable the accounts of their
//! scope.

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::accounts::{IssuedPassword, NewAccountInput};
use app::{Account, AppError, Department, Room};
use domain::authz::Role;

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::{PageError, form_again};
use crate::extract::{CsrfForm, NoFields, PagePath};
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
#[template(path = "office/accounts.html")]
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
#[template(path = "office/account.html")]
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
