//! The `workroom` binary as operators use it: serve, migrate, demo, backup, divisions, and every
//! failure as one clear line on stderr with a non-zero exit.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{one_line_failure, stdout, workroom};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn migrate_then_demo_loads_once_and_then_leaves_the_data_alone(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    let output = workroom(dir.path(), &["migrate", "--database", &url]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let output = workroom(dir.path(), &["demo", "--database", &url]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(stdout(&output).contains("已载入演示数据"));
    let output = workroom(dir.path(), &["demo", "--database", &url]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("未载入演示数据"), "{}", stdout(&output));
}

async fn the_environment_names_the_database_too(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_workroom"))
        .arg("migrate")
        .current_dir(dir.path())
        .env("WORKROOM_DATABASE_URL", db.url_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(
        !dir.path().join("workroom-data").exists(),
        "the named database was used, not the embedded one"
    );
}

async fn backup_writes_a_consistent_copy(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    assert!(
        workroom(dir.path(), &["migrate", "--database", &url])
            .status
            .success()
    );
    let renamed = workroom(
        dir.path(),
        &[
            "divisions",
            "rename",
            "440104001",
            "--name",
            "备份测试街道",
            "--from",
            "2026-12-01",
            "--database",
            &url,
        ],
    );
    assert!(renamed.status.success(), "{}", common::stderr(&renamed));
    // A live session and a rate-limit record, which a backup must leave out.
    let demo = workroom(dir.path(), &["demo", "--database", &url]);
    assert!(demo.status.success(), "{}", common::stderr(&demo));
    let source = store::Store::connect(&db.url()).await.unwrap();
    let city = source.credentials("demo-city").await.unwrap().unwrap().account;
    let now = chrono::Utc::now();
    source
        .create_login_session(
            city.id,
            &"ab".repeat(32),
            store::accounts::LoginKind::Bearer,
            None,
            now,
            now + chrono::Duration::days(1),
        )
        .await
        .unwrap();
    let policy = domain::identity::ThrottlePolicy::per_client();
    source
        .take_attempt(&[("ip:192.0.2.1".into(), policy)], now)
        .await
        .unwrap()
        .unwrap();
    source.close().await;
    let out = dir.path().join("copy.backup");
    let output = workroom(
        dir.path(),
        &["backup", "--out", out.to_str().unwrap(), "--database", &url],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    if db.kind() == "postgres" {
        // pg_restore reads the archive back and finds the tree's tables in it.
        let listing = Command::new("pg_restore")
            .arg("--list")
            .arg(&out)
            .output()
            .unwrap();
        assert!(listing.status.success());
        assert!(String::from_utf8_lossy(&listing.stdout).contains("TABLE DATA"));
        assert!(String::from_utf8_lossy(&listing.stdout).contains("division_names"));
        let data_of = |table: &str| {
            String::from_utf8_lossy(&listing.stdout)
                .lines()
                .any(|l| l.contains("TABLE DATA") && l.split_whitespace().any(|w| w == table))
        };
        assert!(data_of("accounts") && !data_of("sessions") && !data_of("login_throttle"));
    } else {
        // The copy is a database of its own holding the change.
        let copy = store::Store::connect(&app::DatabaseUrl::Sqlite(out.clone()))
            .await
            .unwrap();
        assert_eq!(copy.pending_migrations().await.unwrap(), 0);
        let street = copy
            .division(&"440104001".parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(street.division.name, "备份测试街道");
        assert!(
            copy.login_session(&"ab".repeat(32), chrono::Utc::now())
                .await
                .unwrap()
                .is_none(),
            "a restored copy lets no old token in"
        );
        assert!(
            copy.credentials("demo-city").await.unwrap().is_some(),
            "accounts are kept"
        );
        copy.close().await;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup holds residents' data");
    }
    let again = workroom(
        dir.path(),
        &["backup", "--out", out.to_str().unwrap(), "--database", &url],
    );
    assert!(one_line_failure(&again).contains("已存在"));
}

async fn divisions_commands_add_and_rename_with_clear_refusals(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    let add = [
        "divisions",
        "add",
        "--parent",
        "440104001",
        "--code",
        "440104001088",
        "--name",
        "新设社区居委会",
        "--database",
        &url,
    ];
    let output = workroom(dir.path(), &add);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(one_line_failure(&workroom(dir.path(), &add)).contains("已被使用"));
    let wrong_parent = workroom(
        dir.path(),
        &[
            "divisions",
            "add",
            "--parent",
            "440104003",
            "--code",
            "440104001089",
            "--name",
            "错位社区",
            "--database",
            &url,
        ],
    );
    assert!(one_line_failure(&wrong_parent).contains("下级代码"));
    let bad_date = workroom(
        dir.path(),
        &[
            "divisions",
            "rename",
            "440104001088",
            "--name",
            "改名社区",
            "--from",
            "2026-13-01",
            "--database",
            &url,
        ],
    );
    assert!(one_line_failure(&bad_date).contains("YYYY-MM-DD"));
}

on_both_databases!(
    migrate_then_demo_loads_once_and_then_leaves_the_data_alone,
    the_environment_names_the_database_too,
    backup_writes_a_consistent_copy,
    divisions_commands_add_and_rename_with_clear_refusals,
    audit_verify_finds_a_tampered_entry,
);

/// A running `workroom serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `workroom serve` in `dir` and waits for the line that says where to open it.
fn serve(dir: &std::path::Path, extra: &[&str]) -> (Server, Vec<String>) {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_workroom"))
        .args(["serve", "--addr", &addr])
        .args(extra)
        .current_dir(dir)
        .env_remove("WORKROOM_DATABASE_URL")
        .env("WORKROOM_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve stopped early: {lines:?}"
        );
        lines.push(line.trim_end().to_owned());
        if line.contains("http://") {
            break;
        }
        assert!(Instant::now() < deadline, "serve did not start: {lines:?}");
    }
    (
        Server {
            child,
            url: format!("http://{addr}"),
        },
        lines,
    )
}

#[tokio::test]
async fn serve_demo_uses_an_embedded_database_and_reuses_it_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let (server, lines) = serve(dir.path(), &["--demo"]);
    assert!(lines.iter().any(|l| l.contains("已载入演示数据")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains(&server.url)), "{lines:?}");
    assert!(dir.path().join("workroom-data/workroom.db").exists());
    let health = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert_eq!(health.status(), 200);
    drop(server);

    let (_server, lines) = serve(dir.path(), &["--demo"]);
    assert!(
        lines.iter().any(|l| l.contains("未载入演示数据")),
        "the second run leaves the data alone: {lines:?}"
    );
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = workroom(dir.path(), &["serve", "--addr", &addr]);
    assert!(one_line_failure(&output).contains("端口已被占用"));
}

#[test]
fn bad_arguments_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let line = one_line_failure(&workroom(dir.path(), &["serve", "--no-such-flag"]));
    assert!(line.contains("--no-such-flag"), "{line}");
    let line = one_line_failure(&workroom(dir.path(), &["frobnicate"]));
    assert!(line.contains("frobnicate"), "{line}");
    let line = one_line_failure(&workroom(
        dir.path(),
        &["migrate", "--database", "mysql://root@localhost/x"],
    ));
    assert!(line.contains("sqlite://"), "{line}");
    let line = one_line_failure(&workroom(dir.path(), &["backup"]));
    assert!(line.contains("--out"), "{line}");
}

#[test]
fn an_unreachable_database_is_one_clear_line_and_quick() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = workroom(
        dir.path(),
        &["migrate", "--database", "postgres://postgres@127.0.0.1:1/nothing"],
    );
    let line = one_line_failure(&output);
    assert!(
        line.contains("无法连接数据库") && line.contains("127.0.0.1:1"),
        "{line}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "gave up in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_data_folder_that_cannot_be_created_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: creating the folder fails for every user, root included.
    std::fs::write(dir.path().join("blocked"), b"").unwrap();
    let output = workroom(
        dir.path(),
        &["migrate", "--database", "sqlite://blocked/sub/workroom.db"],
    );
    let line = one_line_failure(&output);
    assert!(line.contains("无法创建数据文件夹"), "{line}");
}

#[test]
fn a_read_only_data_folder_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = workroom(
        dir.path(),
        &[
            "migrate",
            "--database",
            "sqlite:///proc/workroom-test/workroom.db",
        ],
    );
    one_line_failure(&output);
}

async fn audit_verify_finds_a_tampered_entry(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    assert!(
        workroom(dir.path(), &["demo", "--database", &url])
            .status
            .success()
    );
    let clean = workroom(dir.path(), &["audit", "verify", "--database", &url]);
    assert!(clean.status.success(), "{}", common::stderr(&clean));
    assert!(stdout(&clean).contains("审计日志完整"), "{}", stdout(&clean));

    // The database itself refuses to change an entry...
    let store = store::Store::connect(&db.url()).await.unwrap();
    assert!(
        store
            .try_raw_for_test("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3")
            .await
            .is_err()
    );
    assert!(
        store
            .try_raw_for_test("DELETE FROM audit_log WHERE id = 3")
            .await
            .is_err()
    );
    // ...so someone with full database access drops the guard and quietly edits one entry.
    let drop_guard = if db.kind() == "postgres" {
        "DROP TRIGGER audit_log_append_only ON audit_log"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    store.try_raw_for_test(drop_guard).await.unwrap();
    store
        .try_raw_for_test("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3")
        .await
        .unwrap();
    store.close().await;
    let line = one_line_failure(&workroom(dir.path(), &["audit", "verify", "--database", &url]));
    assert!(line.contains("第 3 条"), "{line}");
}

/// Passwords and tokens never reach the log, even at debug level.
#[tokio::test]
async fn logs_carry_no_passwords_or_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_workroom"))
        .args(["serve", "--demo", "--addr", &addr])
        .current_dir(dir.path())
        .env_remove("WORKROOM_DATABASE_URL")
        .env("WORKROOM_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server started");
    let canary = "canary-password-7Q2x";
    let _ = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "demo-city", "password": canary }))
        .send()
        .await
        .unwrap();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "demo-city", "password": "workroom-demo" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_owned();
    let _ = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let _ = client
        .get(format!("{base}/divisions?q={canary}"))
        .send()
        .await
        .unwrap();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("signed in"),
        "the log is really at debug level: {log}"
    );
    for secret in [canary, "workroom-demo", token.as_str()] {
        assert!(!log.contains(secret), "the log leaks {secret}");
    }
}
