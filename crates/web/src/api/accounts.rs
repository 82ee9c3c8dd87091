//! `/api/v1/accounts`: account administration within the caller's scope.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::Account;
use app::accounts::NewAccountInput;

use crate::AppState;
use crate::api::auth::MeJson;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(get_account))
        .routes(routes!(disable_account))
        .routes(routes!(enable_account))
        .routes(routes!(reset_password))
}

#[derive(Serialize, ToSchema)]
pub struct AccountJson {
    #[serde(flatten)]
    me: MeJson,
    disabled: bool,
    created_at: String,
}

impl From<&Account> for AccountJson {
    fn from(account: &Account) -> Self {
        Self {
            me: account.into(),
            disabled: account.disabled,
            created_at: account.created_at.to_rfc3339(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IssuedJson {
    account: AccountJson,
    /// A one-time password to hand to the person; they must change it at first sign-in.
    initial_password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewAccountJson {
    #[schema(example = "hongqiao-staff")]
    username: String,
    #[schema(example = "李华")]
    display_name: String,
    #[schema(example = "room_staff")]
    role: String,
    /// District (6 digits) or town/street (9 digits) code, for roles that work at one.
    division_code: Option<String>,
    room_id: Option<i64>,
    department_id: Option<i64>,
    member_id: Option<i64>,
}

/// Accounts the caller administers: all for the city general office, the district's own for district
/// staff; 403 for everyone else.
#[utoipa::path(
    get, path = "/api/v1/accounts", tag = "accounts",
    responses(
        (status = 200, body = Vec<AccountJson>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
async fn list_accounts(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<ApiJson<Vec<AccountJson>>, ApiError> {
    let accounts = state.app.list_accounts(&caller.acting()).await?;
    Ok(ApiJson(accounts.iter().map(AccountJson::from).collect()))
}

/// Creates an account in the caller's scope with a one-time password.
#[utoipa::path(
    post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountJson,
    responses(
        (status = 201, body = IssuedJson),
        (status = 403, description = "Outside the caller's scope, or a role the caller may not grant", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn create_account(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(input): ApiJson<NewAccountJson>,
) -> Result<Response, ApiError> {
    let input = NewAccountInput {
        username: input.username,
        display_name: input.display_name,
        role: input.role,
        division_code: input.division_code,
        room_id: input.room_id,
        department_id: input.department_id,
        member_id: input.member_id,
    };
    let issued = state.app.create_account(&caller.acting(), &input).await?;
    let body = IssuedJson {
        account: (&issued.account).into(),
        initial_password: issued.initial_password,
    };
    Ok((StatusCode::CREATED, ApiJson(body)).into_response())
}

/// One account; 403 when it is outside the caller's scope (or does not exist, for anyone but the city).
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = AccountJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_account(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<AccountJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.account_for(&caller.acting(), id).await?).into(),
    ))
}

/// Disables an account and ends its sessions.
#[utoipa::path(
    post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = AccountJson), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody))
)]
async fn disable_account(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<AccountJson>, ApiError> {
    Ok(ApiJson(
        (&state.app.set_account_disabled(&caller.acting(), id, true).await?).into(),
    ))
}

/// Enables a disabled account again.
#[utoipa::path(
    post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = AccountJson), (status = 403, body = ErrorBody))
)]
async fn enable_account(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<AccountJson>, ApiError> {
    Ok(ApiJson(
        (&state
            .app
            .set_account_disabled(&caller.acting(), id, false)
            .await?)
            .into(),
    ))
}

/// Gives the account a new one-time password and ends its sessions.
#[utoipa::path(
    post, path = "/api/v1/accounts/{id}/reset-password", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = IssuedJson), (status = 403, body = ErrorBody))
)]
async fn reset_password(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<IssuedJson>, ApiError> {
    let issued = state.app.reset_password(&caller.acting(), id).await?;
    Ok(ApiJson(IssuedJson {
        account: (&issued.account).into(),
        initial_password: issued.initial_password,
    }))
}
