//! A fresh database per test, of either kind: a SQLite file in a temporary folder, or a new schema in
//! the PostgreSQL named by `WORKROOM_TEST_POSTGRES_URL` (dropped when the test ends). Used by the
//! test suites of every crate; not by the running system.

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::DatabaseUrl;

/// The variable naming the PostgreSQL server the suite also runs against.
pub const POSTGRES_ENV: &str = "WORKROOM_TEST_POSTGRES_URL";

pub enum TestDatabase {
    Sqlite { dir: tempfile::TempDir },
    Postgres { admin_url: String, schema: String },
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("workroom-test-")
            .tempdir()
            .expect("a temporary folder");
        Self::Sqlite { dir }
    }

    /// A new schema on the test PostgreSQL, or `None` when none is configured. Under CI (`CI=true`)
    /// a missing PostgreSQL fails the test instead: CI must prove both databases.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true"),
                "{POSTGRES_ENV} is not set but CI=true: the PostgreSQL half of the suite must run in CI"
            );
            announce_postgres_skipped();
            eprintln!("SKIPPED on PostgreSQL: {POSTGRES_ENV} is not set");
            return None;
        };
        let schema = format!("wrt_{}_{:016x}", std::process::id(), rand::random::<u64>());
        let db = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|err| panic!("cannot reach the test PostgreSQL ({POSTGRES_ENV}): {err}"));
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            format!("CREATE SCHEMA \"{schema}\""),
        ))
        .await
        .expect("create a test schema");
        let _ = db.close().await;
        Some(Self::Postgres { admin_url, schema })
    }

    /// The database URL a server or CLI under test should use.
    pub fn url(&self) -> DatabaseUrl {
        match self {
            Self::Sqlite { dir } => DatabaseUrl::Sqlite(dir.path().join("workroom.db")),
            Self::Postgres { admin_url, schema } => {
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                DatabaseUrl::Postgres(format!(
                    "{admin_url}{separator}options=-c%20search_path%3D{schema}"
                ))
            }
        }
    }

    /// The URL as text, for the command line.
    pub fn url_string(&self) -> String {
        match self.url() {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Self::Postgres { admin_url, schema } = self else {
            return;
        };
        let (admin_url, schema) = (admin_url.clone(), schema.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread of our own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let db = Database::connect(&admin_url).await.ok()?;
                let _ = db
                    .execute_raw(Statement::from_string(
                        db.get_database_backend(),
                        format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"),
                    ))
                    .await;
                let _ = db.close().await;
                Some(())
            })
        })
        .join();
    }
}

/// Says once per test binary, on the real standard error, that its `postgres::…` twins pass without
/// running. The test harness captures `eprintln!` of passing tests, so without this a run lacking
/// PostgreSQL would look exactly like one that proved both databases.
fn announce_postgres_skipped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write as _;
        let binary = std::env::args()
            .next()
            .and_then(|path| {
                std::path::Path::new(&path)
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! SKIPPED on PostgreSQL ({binary}): {POSTGRES_ENV} is not set, so every postgres::… \
             test here passes WITHOUT RUNNING. Set it to prove both databases (CI=true makes this an error).\n"
        );
    });
}

/// Declares each scenario `async fn name(db: TestDatabase)` as two tests, `sqlite::name` and
/// `postgres::name`, so the suite's output shows every behaviour proven on both databases. Without
/// `WORKROOM_TEST_POSTGRES_URL` the `postgres::` twin returns at once (an error under `CI=true`) and
/// the test binary says so on stderr: the harness has no way to mark a test skipped at run time.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::test_support::TestDatabase::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(db) = $crate::test_support::TestDatabase::postgres().await {
                        super::$name(db).await;
                    }
                }
            )*
        }
    };
}

impl crate::Store {
    /// Runs a raw statement on the write connection, to simulate tampering in tests.
    pub async fn try_raw_for_test(&self, sql: &str) -> Result<(), sea_orm::DbErr> {
        self.write
            .execute_raw(Statement::from_string(
                self.write.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .map(|_| ())
    }
}
