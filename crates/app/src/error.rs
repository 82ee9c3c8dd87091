//! The one error every use case returns; `web` maps it to HTTP in one place, the CLI to one line.

use store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// The input is malformed or breaks a rule; `field` names the input that is wrong.
    #[error("{message}")]
    Invalid { field: Option<String>, message: String },
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with what is stored (a duplicate, a step the state does not allow).
    #[error("{0}")]
    Conflict(String),
    #[error("请先登录")]
    Unauthenticated,
    /// A sign-in with a wrong username or password (answered 401 like any missing sign-in).
    #[error("{0}")]
    InvalidCredentials(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("请求过于频繁，请 {retry_after_secs} 秒后再试")]
    RateLimited { retry_after_secs: u64 },
    /// Too much work of one costly kind is queued (password hashing): the server is busy, not the
    /// request wrong; answered 503 with Retry-After.
    #[error("系统繁忙，请 {retry_after_secs} 秒后再试")]
    Busy { retry_after_secs: u64 },
    /// The database cannot be reached: the service is down, not the request wrong.
    #[error("服务暂时不可用：{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure. The message is for the log, not for the user.
    #[error("内部错误：{0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// A short stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_input",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials(_) => "invalid_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::RateLimited { .. } => "rate_limited",
            Self::Busy { .. } => "busy",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

/// A refused year is bad input in the field `year`, whichever use case was asked.
impl From<domain::calendar::YearError> for AppError {
    fn from(err: domain::calendar::YearError) -> Self {
        Self::invalid("year", err.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unreachable { .. } => Self::Unavailable(err.to_string()),
            StoreError::Duplicate(_) => Self::Conflict(err.to_string()),
            StoreError::MissingReference(_) => Self::invalid("reference", err.to_string()),
            StoreError::Database(_) | StoreError::Corrupt { .. } => Self::Internal(err.to_string()),
        }
    }
}
