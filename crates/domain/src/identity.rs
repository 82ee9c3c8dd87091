//! Accounts' names and passwords (账号与口令) and the rules for signing in: what a valid username and
//! password are, how long a session lasts, when repeated failures lock sign-in.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (Argon2 takes any length; this bounds the work an attacker can ask for).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// How long a session (browser cookie or API token) lasts after sign-in: a working day, so a
/// forgotten session on a shared office computer does not stay open overnight.
pub fn session_lifetime() -> Duration {
    Duration::hours(12)
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CredentialError {
    #[error("用户名应为 3–32 个字符，只用小写字母、数字、点、下划线或短横线，并以字母开头")]
    BadUsername,
    #[error("密码至少 {MIN_PASSWORD_CHARS} 个字符")]
    PasswordTooShort,
    #[error("密码最多 {MAX_PASSWORD_CHARS} 个字符")]
    PasswordTooLong,
    #[error("密码不能与用户名相同，也不能由同一个字符重复组成")]
    PasswordTooSimple,
    #[error("新密码不能与原密码相同")]
    PasswordUnchanged,
}

/// Checks and normalises a username: lower-case ASCII, starting with a letter.
pub fn parse_username(raw: &str) -> Result<String, CredentialError> {
    let name = raw.trim().to_ascii_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name)
    } else {
        Err(CredentialError::BadUsername)
    }
}

/// Checks a new password against the policy.
pub fn check_new_password(username: &str, password: &str) -> Result<(), CredentialError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(CredentialError::PasswordTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(CredentialError::PasswordTooLong);
    }
    let first = password.chars().next();
    if password.eq_ignore_ascii_case(username) || password.chars().all(|c| Some(c) == first) {
        return Err(CredentialError::PasswordTooSimple);
    }
    Ok(())
}

/// Sign-in throttling (登录限制): after `max_failures` failed attempts for one key (a username, or a
/// client address) within `window`, sign-in for that key is refused until `lockout` has passed.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

/// No throttle window is longer than this (the per-phone limit on submissions counts a day): a throttle
/// record whose window began longer ago, and that locks nothing, says nothing any more and is deleted —
/// a resident's phone is not kept in it beyond its use (X7).
pub const LONGEST_THROTTLE_WINDOW: Duration = Duration::days(1);

impl ThrottlePolicy {
    /// Per username: 5 failures in 15 minutes lock it for 15 minutes.
    pub fn per_username() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }

    /// Per client address: 20 failures in 15 minutes, across usernames.
    pub fn per_client() -> Self {
        Self {
            max_failures: 20,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }

    /// Seconds until sign-in is allowed again, or `None` when it is allowed now.
    pub fn retry_after(&self, state: &FailureState, now: DateTime<Utc>) -> Option<u64> {
        let until = state.locked_until?;
        (until > now).then(|| u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1))
    }

    /// Counts one attempt at `now` *before* the work it guards, or refuses it (the seconds to wait)
    /// while the key is locked. Counting first is what makes a limit exact under concurrency: of any
    /// number of parallel attempts, at most `max_failures` in a window get through.
    pub fn take(&self, state: &FailureState, now: DateTime<Utc>) -> Result<FailureState, u64> {
        match self.retry_after(state, now) {
            Some(wait) => Err(wait),
            None => Ok(self.record_failure(state, now)),
        }
    }

    /// The state after an attempt counted by [`take`](Self::take) proved harmless (the right password,
    /// a known tracking code): that one attempt stops counting — never more than it — and a lock it
    /// set is lifted.
    pub fn give_back(&self, state: &FailureState) -> FailureState {
        let failures = state.failures.saturating_sub(1);
        FailureState {
            failures,
            window_start: state.window_start,
            locked_until: if failures < self.max_failures {
                None
            } else {
                state.locked_until
            },
        }
    }

    /// The state after one more failure at `now`.
    pub fn record_failure(&self, state: &FailureState, now: DateTime<Utc>) -> FailureState {
        let fresh = now - state.window_start >= self.window;
        let failures = if fresh { 1 } else { state.failures + 1 };
        let window_start = if fresh { now } else { state.window_start };
        let locked_until = (failures >= self.max_failures).then(|| now + self.lockout);
        FailureState {
            failures,
            window_start,
            locked_until,
        }
    }
}

/// Failed sign-ins counted for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureState {
    pub failures: u32,
    pub window_start: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl FailureState {
    pub fn none(now: DateTime<Utc>) -> Self {
        Self {
            failures: 0,
            window_start: now,
            locked_until: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn usernames_are_lower_case_ascii_starting_with_a_letter() {
        assert_eq!(parse_username(" Demo-City ").unwrap(), "demo-city");
        assert!(parse_username("1abc").is_err());
        assert!(parse_username("ab").is_err());
        assert!(parse_username("张三").is_err());
        assert!(parse_username("a b c").is_err());
    }

    #[test]
    fn passwords_must_be_long_and_not_trivial() {
        assert_eq!(
            check_new_password("demo", "short"),
            Err(CredentialError::PasswordTooShort)
        );
        assert_eq!(
            check_new_password("demo", "aaaaaaaaaaaa"),
            Err(CredentialError::PasswordTooSimple)
        );
        assert_eq!(
            check_new_password("demo-street", "DEMO-STREET"),
            Err(CredentialError::PasswordTooSimple)
        );
        assert_eq!(
            check_new_password("demo", &"长".repeat(129)),
            Err(CredentialError::PasswordTooLong)
        );
        assert!(check_new_password("demo", "广州政协委员进社区2026").is_ok());
    }

    #[test]
    fn five_failures_lock_sign_in_for_fifteen_minutes() {
        let policy = ThrottlePolicy::per_username();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let mut state = FailureState::none(t0);
        for i in 0..4 {
            state = policy.record_failure(&state, t0 + Duration::seconds(i));
            assert_eq!(policy.retry_after(&state, t0 + Duration::seconds(i)), None);
        }
        state = policy.record_failure(&state, t0 + Duration::seconds(10));
        assert_eq!(policy.retry_after(&state, t0 + Duration::seconds(10)), Some(900));
        assert_eq!(policy.retry_after(&state, t0 + Duration::minutes(26)), None);
    }

    #[test]
    fn attempts_are_counted_before_the_work_and_the_sixth_is_refused() {
        let policy = ThrottlePolicy::per_username();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let mut state = FailureState::none(t0);
        for _ in 0..5 {
            state = policy.take(&state, t0).expect("five attempts get through");
        }
        assert_eq!(policy.take(&state, t0), Err(900), "the sixth waits the lockout");
        // The fifth was the right password: it stops counting and the lock goes, the other four stay.
        let given_back = policy.give_back(&state);
        assert_eq!((given_back.failures, given_back.locked_until), (4, None));
        let next = policy.take(&given_back, t0).unwrap();
        assert_eq!(policy.take(&next, t0), Err(900));
        assert_eq!(policy.give_back(&FailureState::none(t0)).failures, 0);
    }

    #[test]
    fn failures_spread_beyond_the_window_start_a_new_count() {
        let policy = ThrottlePolicy::per_username();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let mut state = FailureState::none(t0);
        for i in 0..4 {
            state = policy.record_failure(&state, t0 + Duration::minutes(i));
        }
        state = policy.record_failure(&state, t0 + Duration::minutes(20));
        assert_eq!(state.failures, 1);
        assert_eq!(state.locked_until, None);
    }
}
