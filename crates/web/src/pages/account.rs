//! Signing in and out, the personal workbench (我的工作台) and changing one's password.

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use app::auth::{random_secret, same_secret};
use app::{Account, AppError, LoginKind, Room};

use crate::AppState;
use crate::auth::{PageCaller, cleared_session_cookie, session_cookie};
use crate::client::ClientAddr;
use crate::error::PageError;
use crate::extract::{CsrfForm, CsrfFormRejection, EXPIRED_PAGE, NoFields, PageForm};
use crate::layout::{PageContext, safe_local_path};

/// The cookie holding the sign-in form's own CSRF token (there is no session yet to hold it).
const LOGIN_CSRF_COOKIE: &str = "wr_login_csrf";

#[derive(Template, WebTemplate)]
#[template(path = "account/login.html")]
pub(super) struct LoginPage {
    page: PageContext,
    csrf: String,
    next: String,
    username: String,
    error: String,
}

#[derive(Deserialize)]
pub(super) struct NextParam {
    #[serde(default)]
    next: String,
}

fn login_csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_CSRF_COOKIE, value))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::hours(2))
        .build()
}

pub(super) async fn login_form(
    State(state): State<AppState>,
    page: PageContext,
    jar: CookieJar,
    Query(params): Query<NextParam>,
) -> Response {
    if page.user.is_some() {
        let target = if params.next.is_empty() {
            "/me"
        } else {
            safe_local_path(&params.next)
        };
        return Redirect::to(target).into_response();
    }
    let csrf = random_secret();
    let form = LoginPage {
        page,
        csrf: csrf.clone(),
        next: params.next,
        username: String::new(),
        error: String::new(),
    };
    (jar.add(login_csrf_cookie(csrf, state.secure_cookies)), form).into_response()
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn login_submit(
    State(state): State<AppState>,
    page: PageContext,
    jar: CookieJar,
    ClientAddr(client): ClientAddr,
    PageForm(form): PageForm<LoginForm>,
) -> Response {
    let expected = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let again = |page: PageContext, jar: CookieJar, status: StatusCode, error: String, retry: Option<u64>| {
        let csrf = random_secret();
        let body = LoginPage {
            page,
            csrf: csrf.clone(),
            next: form.next.clone(),
            username: form.username.clone(),
            error,
        };
        let mut response = (
            status,
            jar.add(login_csrf_cookie(csrf, state.secure_cookies)),
            body,
        )
            .into_response();
        if let Some(secs) = retry
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    };
    if expected.is_empty() || !same_secret(&expected, &form.csrf) {
        return again(
            page,
            jar,
            StatusCode::FORBIDDEN,
            "页面已过期，请重新输入后登录。".into(),
            None,
        );
    }
    match state
        .app
        .login(&form.username, &form.password, Some(client), LoginKind::Cookie)
        .await
    {
        Ok(outcome) => {
            let target = if outcome.account.must_change_password {
                "/account/password".to_owned()
            } else if form.next.is_empty() {
                "/me".to_owned()
            } else {
                safe_local_path(&form.next).to_owned()
            };
            let jar = jar
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login").build())
                .add(session_cookie(outcome.token, state.secure_cookies));
            (jar, Redirect::to(&target)).into_response()
        }
        Err(AppError::RateLimited { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60);
            let message = format!("登录失败次数过多，请 {minutes} 分钟后再试。");
            again(
                page,
                jar,
                StatusCode::TOO_MANY_REQUESTS,
                message,
                Some(retry_after_secs),
            )
        }
        Err(AppError::Busy { retry_after_secs }) => again(
            page,
            jar,
            StatusCode::SERVICE_UNAVAILABLE,
            format!("此刻登录的人较多，请 {retry_after_secs} 秒后再试。"),
            Some(retry_after_secs),
        ),
        Err(err @ (AppError::InvalidCredentials(_) | AppError::Invalid { .. })) => {
            again(page, jar, StatusCode::UNAUTHORIZED, err.to_string(), None)
        }
        Err(err @ AppError::Forbidden(_)) => again(page, jar, StatusCode::FORBIDDEN, err.to_string(), None),
        Err(err) => PageError::new(page, err).into_response(),
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    page: PageContext,
    jar: CookieJar,
    PageCaller(caller): PageCaller,
    _: CsrfForm<NoFields>,
) -> Response {
    if let Err(err) = state.app.logout(&caller.auth).await {
        return PageError::new(page, err).into_response();
    }
    (
        jar.add(cleared_session_cookie(state.secure_cookies)),
        Redirect::to("/"),
    )
        .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "account/me.html")]
#[allow(clippy::struct_excessive_bools)] // each says whether the workbench shows one link
pub(super) struct MePage {
    page: PageContext,
    account: Account,
    /// The caller's rooms, each with whether the caller keeps its reception sessions.
    rooms: Vec<(Room, bool)>,
    /// Sessions whose notice is or was late (R9), for staff, street leads and districts.
    late: Vec<app::sessions::SessionView>,
    /// For a member: whether a private calendar feed is live, and its link right after issuing.
    feed: Option<(bool, Option<String>)>,
    /// For a member: duties ahead, this year's count and points (X3).
    dashboard: Option<app::activities::MemberDashboard>,
    /// May record activities somewhere (staff, street leads, districts, the city).
    records_activities: bool,
    /// What waits on the caller (待办事项), urgent first.
    tasks: Vec<app::workbench::Task>,
    /// Reads concentrated opinions (everyone but departments).
    sees_insights: bool,
    /// Writes or receives annual summaries (districts, the city).
    sees_annual_summaries: bool,
    sees_inspections: bool,
    sees_funding: bool,
    sees_support_requests: bool,
    sees_proposals: bool,
    /// Reads a district's templates of rules (districts, the city, street leads, rooms' staff).
    sees_rule_templates: bool,
    /// Leaders' dashboard (the city, districts, street leads).
    has_dashboard: bool,
}

pub(super) async fn me(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<Response, PageError> {
    me_page(&state, page, &caller, None).await
}

/// The workbench; `new_feed_link` is shown once right after a member issues a calendar feed.
pub(super) async fn me_page(
    state: &AppState,
    page: PageContext,
    caller: &crate::auth::Caller,
    new_feed_link: Option<String>,
) -> Result<Response, PageError> {
    let acting = caller.acting();
    let fail = |err| PageError::new(page.clone(), err);
    let with_actions = state.app.rooms_with_actions(&acting).await.map_err(fail)?;
    let records_activities = app::App::records_activities(&acting, &with_actions);
    let rooms: Vec<(Room, bool)> = with_actions
        .into_iter()
        .map(|r| (r.room, r.keeps_sessions))
        .collect();
    let late = state.app.late_notices(&acting).await.map_err(fail)?;
    let feed = if matches!(acting.scope(), domain::authz::Scope::Member { .. }) {
        Some((
            state.app.member_has_feed(&acting).await.map_err(fail)?,
            new_feed_link,
        ))
    } else {
        None
    };
    let dashboard = state.app.member_dashboard(&acting).await.map_err(fail)?;
    let tasks = state.app.tasks(&acting).await.map_err(fail)?;
    Ok(MePage {
        tasks,
        sees_insights: app::App::sees_insights(&acting),
        sees_annual_summaries: app::App::sees_annual_summaries(&acting),
        sees_inspections: app::App::sees_inspections(&acting),
        sees_funding: app::App::sees_funding(&acting),
        sees_support_requests: app::App::sees_support_requests(&acting),
        sees_proposals: app::App::sees_proposals(&acting),
        sees_rule_templates: app::App::sees_rule_templates(&acting),
        has_dashboard: app::App::has_dashboard(&acting),
        page,
        account: caller.auth.account.clone(),
        rooms,
        late,
        feed,
        dashboard,
        records_activities,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub(super) struct PasswordPage {
    page: PageContext,
    must_change: bool,
    done: bool,
    error: String,
}

pub(super) async fn password_form(page: PageContext, PageCaller(caller): PageCaller) -> PasswordPage {
    PasswordPage {
        page,
        must_change: caller.auth.account.must_change_password,
        done: false,
        error: String::new(),
    }
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub(super) async fn password_submit(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    form: Result<CsrfForm<PasswordForm>, CsrfFormRejection>,
) -> Response {
    let must_change = caller.auth.account.must_change_password;
    let refuse = |page: PageContext, status: StatusCode, error: String| {
        (
            status,
            PasswordPage {
                page,
                must_change,
                done: false,
                error,
            },
        )
            .into_response()
    };
    // A stale page is told so on the form itself, where the person is about to type again.
    let form = match form {
        Ok(CsrfForm(form)) => form,
        Err(CsrfFormRejection::WrongToken(page)) => {
            return refuse(page, StatusCode::FORBIDDEN, EXPIRED_PAGE.into());
        }
        Err(rejection) => return rejection.into_response(),
    };
    if form.new_password != form.confirm_password {
        return refuse(
            page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "两次输入的新密码不一致".into(),
        );
    }
    match state
        .app
        .change_own_password(&caller.auth, &form.current_password, &form.new_password)
        .await
    {
        Ok(_) => {
            if must_change {
                return Redirect::to("/me").into_response();
            }
            PasswordPage {
                page,
                must_change: false,
                done: true,
                error: String::new(),
            }
            .into_response()
        }
        Err(err @ AppError::Invalid { .. }) => {
            refuse(page, StatusCode::UNPROCESSABLE_ENTITY, err.to_string())
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}
