//! Signing in and out, sessions and API tokens, password changes. Passwords are hashed with Argon2id
//! on a blocking thread; session and API tokens are random and stored only as their SHA-256.

use std::net::IpAddr;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use domain::identity::{self, ThrottlePolicy};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::accounts::{Account, AccountError, LoginKind, LoginSession};

use crate::gate::WorkGate;
use crate::{App, AppError};

/// A signed-in caller: the account and the session or token it used.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub account: Account,
    pub session: LoginSession,
}

/// A successful sign-in: the secret to hand to the client (shown once, never stored).
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub token: String,
    pub account: Account,
    pub session: LoginSession,
}

/// 32 random bytes as hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    WorkGate::hashing()
        .run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|err| AppError::Internal(format!("password hashing failed: {err}")))
        })
        .await?
}

async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    WorkGate::hashing()
        .run(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
}

/// The hash verified when the username is unknown, so that an unknown user costs exactly what a
/// wrong password costs and the answer does not tell which usernames exist: a hash of a random
/// secret nobody kept, with the parameters of `Argon2::default()` (m=19456 KiB, t=2, p=1, 32 bytes;
/// a test checks they match), fixed so that even the first unknown user costs no extra hashing.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$+hj3nOOx8z3EHNbJlOKBvw$RBZInDdz/maIbzGf9XPSNNWREnkEiPf054WZJikQns4";

const WRONG_CREDENTIALS: &str = "用户名或密码不正确";

impl App {
    /// Signs in with a username and password. Repeated failures for a username or from one client
    /// address lock sign-in for a while (kept in the database, so it holds across servers).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: Option<IpAddr>,
        kind: LoginKind,
    ) -> Result<LoginOutcome, AppError> {
        let now = self.clock().now();
        let username = identity::parse_username(username).unwrap_or_else(|_| username.trim().to_lowercase());
        if username.is_empty() || password.is_empty() {
            return Err(AppError::invalid("username", "请输入用户名和密码"));
        }
        if password.chars().count() > identity::MAX_PASSWORD_CHARS || username.chars().count() > 64 {
            return Err(AppError::Unauthenticated);
        }
        let mut keys = vec![(format!("user:{username}"), ThrottlePolicy::per_username())];
        if let Some(ip) = client {
            keys.push((format!("ip:{ip}"), ThrottlePolicy::per_client()));
        }
        // Counted before the hashing, atomically: of any burst at most the limit is evaluated.
        self.count_attempt(&keys, now).await?;
        let credentials = self.store().credentials(&username).await?;
        let hash = credentials
            .as_ref()
            .map_or_else(|| DECOY_HASH.to_owned(), |found| found.password_hash.clone());
        let matches = match verify_password(password.to_owned(), hash).await {
            Ok(matches) => matches,
            Err(busy) => {
                // Not evaluated: the attempt does not count.
                self.give_back_attempts(&keys).await?;
                return Err(busy);
            }
        };
        let account = match credentials {
            Some(found) if matches => {
                // The right password: this attempt stops counting (earlier failures still do).
                self.give_back_attempts(&keys).await?;
                if found.account.disabled {
                    return Err(AppError::Forbidden("该账号已停用，请联系管理员".into()));
                }
                found.account
            }
            _ => {
                tracing::info!(username = %username, "sign-in failed");
                return Err(AppError::InvalidCredentials(WRONG_CREDENTIALS.into()));
            }
        };
        let token = random_secret();
        // Every session gets a CSRF token: an API login's token also arrives as a cookie, and a
        // cookie-borne request that changes something must carry it.
        let csrf = random_secret();
        let session = self
            .store()
            .create_login_session(
                account.id,
                &token_hash(&token),
                kind,
                Some(&csrf),
                now,
                now + identity::session_lifetime(),
            )
            .await?;
        tracing::info!(username = %account.username, "signed in");
        Ok(LoginOutcome {
            token,
            account,
            session,
        })
    }

    /// The caller holding `token`, if it is a live session or token of an enabled account.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Authenticated>, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let found = self
            .store()
            .login_session(&token_hash(token), self.clock().now())
            .await?;
        Ok(found.map(|(session, account)| Authenticated { account, session }))
    }

    /// Ends the caller's session or token.
    pub async fn logout(&self, caller: &Authenticated) -> Result<(), AppError> {
        self.store()
            .revoke_login_session(caller.session.id, self.clock().now())
            .await?;
        Ok(())
    }

    /// Changes the caller's own password after checking the current one; ends the account's other
    /// sessions and clears the must-change flag.
    pub async fn change_own_password(
        &self,
        caller: &Authenticated,
        current: &str,
        new: &str,
    ) -> Result<Account, AppError> {
        let account = &caller.account;
        identity::check_new_password(&account.username, new)
            .map_err(|err| AppError::invalid("new_password", err.to_string()))?;
        if current == new {
            return Err(AppError::invalid(
                "new_password",
                identity::CredentialError::PasswordUnchanged.to_string(),
            ));
        }
        let stored = self
            .store()
            .credentials(&account.username)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !verify_password(current.to_owned(), stored.password_hash).await? {
            return Err(AppError::invalid("current_password", "当前密码不正确"));
        }
        let hash = hash_password(new.to_owned()).await?;
        self.store()
            .set_password(
                &account.who(),
                account.id,
                &hash,
                false,
                Some(caller.session.id),
                self.clock().now(),
            )
            .await
            .map_err(account_error)
    }
}

pub(crate) fn account_error(err: AccountError) -> AppError {
    match err {
        AccountError::NotFound => AppError::NotFound("账号不存在".into()),
        AccountError::UsernameTaken(_) => AppError::Conflict(err.to_string()),
        AccountError::Store(store) => store.into(),
    }
}

impl App {
    /// Counts one attempt against each of `keys` (sign-in, online submissions, unknown tracking codes:
    /// one table shared by every server) before the work they guard, or answers 429 with the wait
    /// while any is locked — then nothing is counted.
    pub(crate) async fn count_attempt(
        &self,
        keys: &[(String, ThrottlePolicy)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        self.store()
            .take_attempt(keys, now)
            .await?
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
    }

    /// Takes back the attempt counted by `count_attempt` on each key, when it proved harmless.
    pub(crate) async fn give_back_attempts(&self, keys: &[(String, ThrottlePolicy)]) -> Result<(), AppError> {
        for (key, policy) in keys {
            self.store().give_back_attempt(key, policy).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_64_hex_characters_and_differ() {
        let a = random_secret();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_secret());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a, "only the hash is stored");
    }

    #[test]
    fn secret_comparison_needs_equal_length_and_bytes() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("广州政协委员进社区2026".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("广州政协委员进社区2026".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong password".into(), hash).await.unwrap());
    }

    /// `m=…,t=…,p=…` and the lengths of salt and output of a PHC string.
    fn cost_of(phc: &str) -> (String, usize, usize) {
        let parts: Vec<&str> = phc.split('$').collect();
        (parts[3].to_owned(), parts[4].len(), parts[5].len())
    }

    #[tokio::test]
    async fn an_unknown_user_costs_what_a_known_one_costs() {
        let real = hash_password("广州政协委员进社区2026".into()).await.unwrap();
        assert_eq!(cost_of(DECOY_HASH), cost_of(&real));
        assert!(DECOY_HASH.starts_with("$argon2id$v=19$"));
        assert!(
            !verify_password("workroom-demo".into(), DECOY_HASH.into())
                .await
                .unwrap()
        );
    }
}
