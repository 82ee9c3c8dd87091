//! `/api/v1/auth/*` and `/api/v1/me`: signing in and out, who am I, changing one's password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::{Account, LoginKind};

use crate::AppState;
use crate::auth::{ApiCaller, cleared_session_cookie, session_cookie};
use crate::client::ClientAddr;
use crate::error::{ApiError, ApiJson, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "demo-city", min_length = 1, max_length = 64)]
    username: String,
    #[schema(example = "workroom-demo", min_length = 1, max_length = 256)]
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; the same session is also set as a cookie.
    token: String,
    /// Send as `X-CSRF-Token` on state-changing calls that rely on the cookie instead of the token.
    csrf_token: String,
    /// When the token stops working (RFC 3339).
    expires_at: String,
    #[serde(flatten)]
    me: MeJson,
}

/// The scope an account works in.
#[derive(Serialize, ToSchema)]
pub struct ScopeJson {
    /// `city`, `district`, `street`, `room`, `department` or `member`.
    #[schema(example = "district")]
    level: String,
    #[schema(example = "越秀区")]
    name: String,
}

/// The signed-in account.
#[derive(Serialize, ToSchema)]
pub struct MeJson {
    id: i64,
    username: String,
    display_name: String,
    /// city_office, working_department, district_staff, street_lead, room_staff, member,
    /// functional_department or petition_department.
    role: String,
    scope: ScopeJson,
    /// True until the account replaces its initial password; until then other calls answer 403.
    must_change_password: bool,
}

impl From<&Account> for MeJson {
    fn from(account: &Account) -> Self {
        Self {
            id: account.id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            role: account.role.as_str().to_owned(),
            scope: ScopeJson {
                level: account.scope.level().as_str().to_owned(),
                name: account.scope_name.clone(),
            },
            must_change_password: account.must_change_password,
        }
    }
}

/// Signs in. Repeated failures for a username (5 in 15 minutes) or from one address (20) answer 429
/// with `Retry-After`.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; a session cookie is set too", body = LoginResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 403, description = "The account is disabled", body = ErrorBody),
        (status = 429, description = "Too many failures; see Retry-After", body = ErrorBody),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    jar: CookieJar,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let outcome = state
        .app
        .login(
            &request.username,
            &request.password,
            Some(client),
            LoginKind::Bearer,
        )
        .await?;
    let body = LoginResponse {
        token: outcome.token.clone(),
        csrf_token: outcome.session.csrf_token.clone().unwrap_or_default(),
        expires_at: outcome.session.expires_at.to_rfc3339(),
        me: (&outcome.account).into(),
    };
    let jar = jar.add(session_cookie(outcome.token, state.secure_cookies));
    Ok((jar, ApiJson(body)).into_response())
}

/// Ends the session or token used for this call.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), (status = 401, description = "Not signed in", body = ErrorBody))
)]
async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiCaller(caller): ApiCaller,
) -> Result<Response, ApiError> {
    state.app.logout(&caller.auth).await?;
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(cleared_session_cookie(state.secure_cookies)),
    )
        .into_response())
}

/// The signed-in account, its role and scope.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, description = "The caller", body = MeJson), (status = 401, description = "Not signed in", body = ErrorBody))
)]
async fn me(ApiCaller(caller): ApiCaller) -> ApiJson<MeJson> {
    ApiJson((&caller.auth.account).into())
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    current_password: String,
    /// At least 10 characters, not the username.
    new_password: String,
}

/// Changes the caller's password; every other session of the account ends.
#[utoipa::path(
    post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed", body = MeJson),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Wrong current password or a weak new one", body = ErrorBody),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<ApiJson<MeJson>, ApiError> {
    let account = state
        .app
        .change_own_password(&caller.auth, &change.current_password, &change.new_password)
        .await?;
    Ok(ApiJson((&account).into()))
}
