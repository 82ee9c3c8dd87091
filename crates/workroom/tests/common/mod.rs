//! The real server on a random port against a fresh database, and the real binary, for black-box tests.
#![allow(dead_code)]

use std::process::Output;
use std::sync::Arc;

use app::ManualClock;
use chrono::{TimeZone, Utc};
use store::test_support::TestDatabase;
use tokio::sync::oneshot;
use workroom::startup::{Application, ServeOptions};

pub struct TestApp {
    pub base: String,
    /// Follows no redirects, keeps cookies.
    pub client: reqwest::Client,
    pub db: TestDatabase,
    /// The server's clock: tests move it to reach expiry times.
    pub clock: Arc<ManualClock>,
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
        Self::spawn_behind(db, demo, Vec::new()).await
    }

    /// Starts the server with the demo set, trusting these reverse proxies' `X-Forwarded-For`.
    pub async fn spawn_behind(db: TestDatabase, demo: bool, trusted_proxies: Vec<std::net::IpAddr>) -> Self {
        Self::spawn_configured(db, demo, |options| options.trusted_proxies = trusted_proxies).await
    }

    /// Starts the server with options changed by `configure` (secure cookies, a public URL …).
    pub async fn spawn_configured(
        db: TestDatabase,
        demo: bool,
        configure: impl FnOnce(&mut ServeOptions),
    ) -> Self {
        let mut options = ServeOptions {
            addr: "127.0.0.1:0".into(),
            database: db.url(),
            demo,
            secure_cookies: false,
            public_url: None,
            trusted_proxies: Vec::new(),
        };
        configure(&mut options);
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap(),
        ));
        let application = Application::build(&options, clock.clone())
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
            clock,
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

/// A client of its own (own cookie jar), following no redirects.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

impl TestApp {
    /// Signs `username` in through the API with the demo password and returns the bearer token.
    pub async fn token(&self, username: &str) -> String {
        let response = new_client()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": "workroom-demo" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{username} signs in");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A request with a bearer token.
    pub fn with_token(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        new_client().request(method, self.url(path)).bearer_auth(token)
    }

    /// A client signed in through the sign-in page (session cookie), and the page's CSRF token.
    pub async fn page_session(&self, username: &str) -> (reqwest::Client, String) {
        let client = new_client();
        let form = get_text(&client, &self.url("/login")).await;
        let csrf = hidden_value(&form, "csrf");
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", "workroom-demo"),
                ("next", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{username} signs in on the page");
        let me = get_text(&client, &self.url("/me")).await;
        let csrf = hidden_value(&me, "csrf");
        (client, csrf)
    }

    /// The id of a demo account, looked up by the city office.
    pub async fn account_id(&self, username: &str) -> i64 {
        let token = self.token("demo-city").await;
        let accounts: serde_json::Value = self
            .with_token(reqwest::Method::GET, "/api/v1/accounts", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["username"] == username)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }
}

/// The body of a GET with `client`, as text.
pub async fn get_text(client: &reqwest::Client, url: &str) -> String {
    client
        .get(url)
        .send()
        .await
        .expect("the server answers")
        .text()
        .await
        .expect("a text body")
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
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

/// A JSON API call with a bearer token: the status and the body (`null` when it is not JSON).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = app.with_token(method, path, token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}

/// Every case the caller's queue holds (`GET /api/v1/opinions`, page by page), as one array in the
/// queue's order; checks that the pages add up to the total.
pub async fn case_list(app: &TestApp, token: &str) -> (u16, serde_json::Value) {
    let mut all = Vec::new();
    for page in 1.. {
        let path = format!("/api/v1/opinions?per_page=100&page={page}");
        let (status, body) = call(app, token, reqwest::Method::GET, &path, None).await;
        if status != 200 {
            return (status, body);
        }
        let items = body["items"].as_array().cloned().unwrap_or_default();
        let done = items.is_empty();
        all.extend(items);
        if done || all.len() as u64 >= body["total"].as_u64().unwrap_or(0) {
            assert_eq!(
                Some(all.len() as u64),
                body["total"].as_u64(),
                "the pages add up to the total"
            );
            break;
        }
    }
    (200, serde_json::Value::Array(all))
}

/// The id of the case with this tracking code in the caller's queue.
pub async fn case_id(app: &TestApp, token: &str, code: &str) -> i64 {
    let (_, list) = case_list(app, token).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["tracking_code"] == code)
        .unwrap_or_else(|| panic!("{code} not in {list}"))["id"]
        .as_i64()
        .unwrap()
}

/// Sends `requests` all at once, each on its own task and connection, and returns their statuses in
/// order: for limits that must hold under concurrency, not only one request after another.
pub async fn statuses_in_parallel(requests: Vec<reqwest::RequestBuilder>) -> Vec<u16> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            tokio::spawn(async move {
                request
                    .send()
                    .await
                    .expect("the server answers")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::with_capacity(tasks.len());
    for task in tasks {
        statuses.push(task.await.expect("the request task ends"));
    }
    statuses
}

/// How many of `statuses` are `status`.
pub fn count_of(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}
