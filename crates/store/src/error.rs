//! The store's one error type.

use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("无法连接数据库 {target}：{reason}")]
    Unreachable { target: String, reason: String },
    /// A uniqueness rule of the schema was broken (e.g. a code already in use).
    #[error("与已有记录重复：{0}")]
    Duplicate(String),
    /// A reference points nowhere.
    #[error("引用的记录不存在：{0}")]
    MissingReference(String),
    /// Some other database failure: a bug or an outage, never the user's input.
    #[error("数据库错误：{0}")]
    Database(String),
    /// A stored value the code does not know (a state, a kind, a code): a bug or a hand edit, never a
    /// default. Shown to users as an internal error and logged in full.
    #[error("数据库中的记录无法识别：{column} = {value:?}")]
    Corrupt { column: &'static str, value: String },
}

/// Reads a stored text column back into its type: what `parse` does not know is a corrupt row.
///
/// One rule for every column written from a domain enum or code, so an unknown state never
/// silently reads back as a default (as "received" or "close" once did).
pub(crate) fn stored<T>(
    parse: impl FnOnce(&str) -> Option<T>,
    column: &'static str,
    raw: &str,
) -> Result<T, StoreError> {
    parse(raw).ok_or_else(|| corrupt(column, raw))
}

/// [`stored`] for a nullable column: `None` stays `None`, an unknown value is still corrupt.
pub(crate) fn stored_optional<T>(
    parse: impl FnOnce(&str) -> Option<T>,
    column: &'static str,
    raw: Option<&str>,
) -> Result<Option<T>, StoreError> {
    raw.map(|raw| stored(parse, column, raw)).transpose()
}

/// The corrupt-row error for `column` holding `value`.
pub(crate) fn corrupt(column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.into(),
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => Self::Duplicate(detail),
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => Self::MissingReference(detail),
            _ => match err {
                DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => Self::Unreachable {
                    target: "database".into(),
                    reason: err.to_string(),
                },
                other => Self::Database(other.to_string()),
            },
        }
    }
}
