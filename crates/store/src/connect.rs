//! Opening the database: URL forms, SQLite pragmas, the one-writer rule, pool state.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;
use thiserror::Error;

use crate::StoreError;
use crate::migration::Migrator;

/// How long to wait for a database server before giving up; the driver's default is 30 s.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a SQLite connection waits on a lock held by another connection.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the database lives: `sqlite://PATH` or `postgres://…`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("数据库地址应为 sqlite://路径 或 postgres://…，收到：{0}")]
    UnknownScheme(String),
    #[error("sqlite:// 后面缺少数据库文件路径")]
    MissingPath,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let Some(rest) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        else {
            // Show only the scheme part: the rest may carry a password.
            let scheme = raw.split("://").next().unwrap_or(raw);
            return Err(UrlError::UnknownScheme(scheme.chars().take(40).collect()));
        };
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(UrlError::MissingPath);
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// The default embedded database under `dir`.
    pub fn embedded(dir: &Path) -> Self {
        Self::Sqlite(dir.join("workroom.db"))
    }

    /// A form safe to print: the password of a PostgreSQL URL is hidden.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Connections of a pool, for the metrics page.
#[derive(Debug, Clone, Copy)]
pub struct PoolState {
    pub name: &'static str,
    pub size: u32,
    pub idle: usize,
}

/// The database. Reads go to `read`; every write transaction goes to `write`. On SQLite `write` is a
/// pool of one connection, because a transaction that reads and then writes fails at once with
/// "database is locked" when another connection writes first, whatever the busy timeout; `read`
/// connections are opened read-only so a write sent there by mistake fails loudly. On PostgreSQL
/// both are the same pool.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) read: DatabaseConnection,
    pub(crate) write: DatabaseConnection,
    backend: Backend,
}

impl Store {
    /// Opens the database (creating a SQLite file and its folder when missing). Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StoreError> {
        match url {
            DatabaseUrl::Sqlite(path) => Self::connect_sqlite(path).await,
            DatabaseUrl::Postgres(raw) => {
                let mut options = ConnectOptions::new(raw.clone());
                options
                    .max_connections(10)
                    .min_connections(0)
                    .connect_timeout(CONNECT_TIMEOUT)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .sqlx_logging(false);
                let db = Database::connect(options)
                    .await
                    .map_err(|err| StoreError::Unreachable {
                        target: url.redacted(),
                        reason: first_line(&err.to_string()),
                    })?;
                Ok(Self {
                    read: db.clone(),
                    write: db,
                    backend: Backend::Postgres,
                })
            }
        }
    }

    async fn connect_sqlite(path: &Path) -> Result<Self, StoreError> {
        let unreachable = |reason: String| StoreError::Unreachable {
            target: format!("sqlite://{}", path.display()),
            reason,
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            create_private_dir(dir)
                .map_err(|err| unreachable(format!("无法创建数据文件夹 {}：{err}", dir.display())))?;
        }
        create_private_file(path)
            .map_err(|err| unreachable(format!("无法创建数据库文件 {}：{err}", path.display())))?;
        let url = format!("sqlite://{}", path.display());
        let open = |read_only: bool, size: u32| {
            let mut options = ConnectOptions::new(url.clone());
            options
                .max_connections(size)
                .min_connections(1)
                .connect_timeout(CONNECT_TIMEOUT)
                .acquire_timeout(SQLITE_BUSY_TIMEOUT * 3)
                .sqlx_logging(false)
                .map_sqlx_sqlite_opts(move |opts| {
                    opts.create_if_missing(!read_only)
                        .read_only(read_only)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(SQLITE_BUSY_TIMEOUT)
                });
            options
        };
        // The writer first: it creates the file and switches it to WAL before readers open it.
        let write = Database::connect(open(false, 1))
            .await
            .map_err(|err| unreachable(first_line(&err.to_string())))?;
        let read = Database::connect(open(true, 4))
            .await
            .map_err(|err| unreachable(first_line(&err.to_string())))?;
        Ok(Self {
            read,
            write,
            backend: Backend::Sqlite,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.write, None).await?;
        Ok(())
    }

    /// Number of migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        Ok(Migrator::get_pending_migrations(&self.read).await?.len())
    }

    /// Answers when the database can run a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read
            .execute_raw(Statement::from_string(
                self.read.get_database_backend(),
                "SELECT 1",
            ))
            .await?;
        Ok(())
    }

    /// The state of each connection pool.
    pub fn pool_states(&self) -> Vec<PoolState> {
        match self.backend {
            Backend::Sqlite => {
                let read = self.read.get_sqlite_connection_pool();
                let write = self.write.get_sqlite_connection_pool();
                vec![
                    PoolState {
                        name: "read",
                        size: read.size(),
                        idle: read.num_idle(),
                    },
                    PoolState {
                        name: "write",
                        size: write.size(),
                        idle: write.num_idle(),
                    },
                ]
            }
            Backend::Postgres => {
                let pool = self.read.get_postgres_connection_pool();
                vec![PoolState {
                    name: "main",
                    size: pool.size(),
                    idle: pool.num_idle(),
                }]
            }
        }
    }

    /// Writes a consistent copy of a SQLite database to `out` while others keep using it, readable
    /// by the owner only, without sign-in sessions, API tokens and rate-limit records (a restored
    /// copy must not let old tokens in). (PostgreSQL is copied with its own `pg_dump`, which the binary
    /// runs, leaving out the same tables' rows: `BACKUP_EXCLUDED_TABLES`.)
    pub async fn backup_sqlite_into(&self, out: &Path) -> Result<(), StoreError> {
        debug_assert_eq!(self.backend, Backend::Sqlite);
        // VACUUM INTO takes an empty file: made first, so the copy is private from its first byte.
        create_private_file(out).map_err(|err| StoreError::Unreachable {
            target: out.display().to_string(),
            reason: err.to_string(),
        })?;
        let statement = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [out.to_string_lossy().into_owned().into()],
        );
        self.write.execute_raw(statement).await?;
        let copy = Database::connect(
            ConnectOptions::new(format!("sqlite://{}", out.display()))
                .max_connections(1)
                .sqlx_logging(false)
                .to_owned(),
        )
        .await?;
        for table in BACKUP_EXCLUDED_TABLES {
            copy.execute_unprepared(&format!("DELETE FROM {table}")).await?;
        }
        // Rewrites the file so the deleted rows leave no trace in free pages.
        copy.execute_unprepared("VACUUM").await?;
        let _ = copy.close().await;
        Ok(())
    }

    /// Closes all connections (SQLite checkpoints its WAL on the last close).
    pub async fn close(self) {
        let _ = self.read.close().await;
        let _ = self.write.close().await;
    }
}

/// Tables whose rows a backup leaves out: secrets of live sign-ins (their hashes) and rate limits.
pub const BACKUP_EXCLUDED_TABLES: [&str; 2] = ["sessions", "login_throttle"];

/// Creates `path` empty and readable and writable by its owner only (0600), unless it exists: the
/// database and its backups hold residents' personal data. SQLite gives its WAL and shared-memory
/// files the database file's permissions.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
    }
}

/// Creates `dir` and its missing parents; those it creates are for the owner only (0700).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_into_backends() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/w.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("./data/w.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/w.db?mode=rwc").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/tmp/w.db"))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert_eq!(DatabaseUrl::parse("sqlite://"), Err(UrlError::MissingPath));
        assert_eq!(
            DatabaseUrl::parse("mysql://root:secret@h/db"),
            Err(UrlError::UnknownScheme("mysql".into()))
        );
    }

    #[test]
    fn printed_urls_hide_the_password() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.example/w").unwrap();
        assert!(!url.redacted().contains("s3cret"));
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
