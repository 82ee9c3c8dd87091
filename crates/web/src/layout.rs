//! What every page's layout needs to know about the request: the large-text preference (适老化
//! 大字模式) and the page's own address (for the "back" of a preference form).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use domain::authz::Action;

/// Cookie holding the text-size preference.
pub const TEXT_SIZE_COOKIE: &str = "wr_text";

#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub large_text: bool,
    /// Path and query of the current page.
    pub path: String,
    /// The signed-in person, shown in the header with a sign-out button.
    pub user: Option<UserChip>,
}

/// What the header shows of the signed-in person.
#[derive(Debug, Clone)]
pub struct UserChip {
    pub display_name: String,
    pub role_label: &'static str,
    pub scope_name: String,
    /// The session's CSRF token, for every form on the page.
    pub csrf: String,
    /// May administer accounts (city office, district staff).
    pub manages_accounts: bool,
    /// May read the audit trail (city office).
    pub reads_audit: bool,
    /// Notifications not yet read (the bell, 提醒).
    pub unread: u64,
}

impl PageContext {
    /// The CSRF token for forms (empty when nobody is signed in).
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }
}

impl FromRequestParts<crate::AppState> for PageContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_request_parts(parts, state).await?;
        let large_text = jar.get(TEXT_SIZE_COOKIE).is_some_and(|c| c.value() == "large");
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        let caller = crate::auth::optional_caller(parts);
        // The bell's number; a failed count shows no number rather than failing the page.
        let unread = match &caller {
            Some(caller) => state
                .app
                .unread_notifications(&caller.acting())
                .await
                .unwrap_or(0),
            None => 0,
        };
        let user = caller.map(|caller| {
            let actor = caller.auth.account.actor();
            let anywhere = actor.scope.place();
            UserChip {
                unread,
                display_name: caller.auth.account.display_name.clone(),
                role_label: actor.role.label_zh(),
                scope_name: caller.auth.account.scope_name.clone(),
                csrf: caller.csrf_token().to_owned(),
                manages_accounts: domain::authz::can(&actor, Action::ManageAccounts, &anywhere),
                reads_audit: domain::authz::can(&actor, Action::ViewAudit, &anywhere),
            }
        });
        Ok(Self {
            large_text,
            path,
            user,
        })
    }
}

/// A local path safe to redirect to: starts with one `/`, never `//` or a scheme, so the
/// preference form cannot be used to send people to another site.
pub fn safe_local_path(raw: &str) -> &str {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.chars().any(char::is_control)
        && raw.len() <= 2000;
    if ok { raw } else { "/" }
}

/// A moment as people here read it: Beijing time to the minute, e.g. 2026-11-30 17:03.
pub fn beijing_minutes(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&app::clock::beijing())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::safe_local_path;

    #[test]
    fn only_local_paths_are_kept() {
        assert_eq!(safe_local_path("/divisions?q=洪桥"), "/divisions?q=洪桥");
        assert_eq!(safe_local_path("//evil.example/"), "/");
        assert_eq!(safe_local_path("https://evil.example/"), "/");
        assert_eq!(safe_local_path("/\\evil.example"), "/");
        assert_eq!(safe_local_path("/a\r\nSet-Cookie: x"), "/");
    }
}
