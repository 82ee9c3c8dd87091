//! The real server on a random port against a fresh database, and the real binary, for black-box tests.
#![allow(dead_code)]

use std::process::Output;
use std::sync::Arc;

use app::FixedClock;
use chrono::{TimeZone, Utc};
use store::test_support::TestDatabase;
use tokio::sync::oneshot;
use workroom::startup::{Application, ServeOptions};

pub struct TestApp {
    pub base: String,
    /// Follows no redirects, keeps cookies.
    pub client: reqwest::Client,
    pub db: TestDatabase,
    stop: Option<oneshot::Sender<()>>,
}

impl TestApp {
    /// Starts the server on 127.0.0.1:0 against `db`, migrated, with the clock pinned at 2026-11-30 10:00
    /// Beijing time.
    pub async fn spawn(db: TestDatabase) -> Self {
        Self::spawn_with(db, false).await
    }

    /// Starts the server with the demo data set loaded.
    pub async fn spawn_demo(db: TestDatabase) -> Self {
        Self::spawn_with(db, true).await
    }

    async fn spawn_with(db: TestDatabase, demo: bool) -> Self {
        let options = ServeOptions {
            addr: "127.0.0.1:0".into(),
            database: db.url(),
            demo,
            secure_cookies: false,
        };
        let clock = Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()));
        let application = Application::build(&options, clock)
            .await
            .expect("the server starts");
        let base = format!("http://{}", application.local_addr());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(application.run_until(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self {
            base,
            client,
            db,
            stop: Some(stop),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(serde_json::Value::Null);
        (status, body)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs the real `workroom` binary with `args`, a clean environment for its own variables, in `dir`.
pub fn workroom(dir: &std::path::Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_workroom"))
        .args(args)
        .current_dir(dir)
        .env_remove("WORKROOM_DATABASE_URL")
        .env_remove("WORKROOM_ADDR")
        .env("WORKROOM_LOG", "warn")
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that a command failed with exactly one non-empty line on stderr, and returns that line.
pub fn one_line_failure(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected failure, got success; stdout: {}",
        stdout(output)
    );
    let err = stderr(output);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got: {err}");
    lines[0].to_owned()
}
