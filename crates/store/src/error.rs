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
