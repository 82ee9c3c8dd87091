//! Start-up split in two: `build` opens the database, migrates, binds the port and assembles the
//! router; `run` serves until told to stop. Tests call both on a random port.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use app::{App, Clock, DatabaseUrl, Store};
use tokio::net::TcpListener;

/// What `serve` needs to start.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: String,
    pub database: DatabaseUrl,
    pub demo: bool,
    /// Mark cookies Secure: set when users reach the server over HTTPS.
    pub secure_cookies: bool,
    /// The address residents reach the server at, for QR codes (default: the request's own).
    pub public_url: Option<String>,
    /// Reverse proxies trusted to name the client in `X-Forwarded-For` (for rate limits).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// A server that is bound and ready to run.
pub struct Application {
    listener: TcpListener,
    app: App,
    web: web::WebConfig,
    /// What start-up did that the operator should know, one line each.
    pub messages: Vec<String>,
    /// What the operator should change (printed on stderr), one line each.
    pub warnings: Vec<String>,
}

impl Application {
    pub async fn build(options: &ServeOptions, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let app = open_app(&options.database, clock).await?;
        let mut messages = Vec::new();
        let mut warnings = Vec::new();
        if options.demo {
            messages.extend(demo_message(&app).await?);
        }
        let listener = TcpListener::bind(&options.addr)
            .await
            .map_err(|err| anyhow::anyhow!("无法在 {} 上监听：{}", options.addr, describe_io(&err)))?;
        let public_url = if let Some(url) = &options.public_url {
            url.clone()
        } else {
            let listening = format!("http://{}", describe_listen(listener.local_addr()));
            let warning = format!(
                "未设置 --public-url（WORKROOM_PUBLIC_URL）：海报、公告上的二维码和日历订阅链接将使用监听地址 {listening}；请设置群众可访问的网址。"
            );
            warnings.push(warning);
            listening
        };
        let web = web::WebConfig {
            secure_cookies: options.secure_cookies,
            public_url,
            trusted_proxies: options.trusted_proxies.clone(),
        };
        Ok(Self {
            listener,
            app,
            web,
            messages,
            warnings,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let router = web::router(self.app.clone(), self.web.clone());
        let retention = tokio::spawn(anonymise_hourly(self.app.clone()));
        let reminders = tokio::spawn(remind_every_ten_minutes(self.app.clone()));
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("服务器异常停止")?;
        retention.abort();
        reminders.abort();
        self.app.close().await;
        Ok(())
    }
}

/// The retention job (X7): every hour, residents of cases closed longer ago than the rule set's period
/// are anonymised and rate-limit records past their use (keys derived from phones among them) deleted.
/// Several servers may run it at once; both are idempotent.
async fn anonymise_hourly(app: App) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match app.anonymise_expired_cases().await {
            Ok(0) => {}
            Ok(count) => tracing::info!(cases = count, "anonymised residents of closed cases"),
            Err(err) => tracing::warn!(error = %err, "the retention job failed; it runs again in an hour"),
        }
        if let Err(err) = app.forget_stale_throttles().await {
            tracing::warn!(error = %err, "clearing stale rate limits failed; it runs again in an hour");
        }
    }
}

/// The reminders' scan (X5): at start and every ten minutes. Every server runs it; the dedupe keys
/// make the second server's identical scan write nothing.
async fn remind_every_ten_minutes(app: App) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match app.send_reminders().await {
            Ok(0) => {}
            Ok(count) => tracing::info!(notifications = count, "reminders sent"),
            Err(err) => {
                tracing::warn!(error = %err, "the reminders' scan failed; it runs again in ten minutes");
            }
        }
    }
}

/// The bound address as a URL's host and port.
fn describe_listen(addr: std::io::Result<SocketAddr>) -> String {
    addr.map_or_else(|_| "127.0.0.1:8080".to_owned(), |addr| addr.to_string())
}

/// Opens the database and applies pending migrations.
pub async fn open_migrated(url: &DatabaseUrl) -> anyhow::Result<Store> {
    let store = Store::connect(url).await?;
    store
        .migrate()
        .await
        .map_err(|err| anyhow::anyhow!("数据库 {} 迁移失败：{err}", url.redacted()))?;
    Ok(store)
}

/// Opens the database, migrates it and loads the official holiday arrangements shipped with this release
/// that it lacks: everything a command needs before it starts.
pub async fn open_app(url: &DatabaseUrl, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    let app = App::new(open_migrated(url).await?, clock);
    app.load_shipped_arrangements()
        .await
        .map_err(|err| anyhow::anyhow!("无法载入节假日安排：{err}"))?;
    Ok(app)
}

/// Loads the demo set when the database is empty and says what happened, one line each.
pub async fn demo_message(app: &App) -> anyhow::Result<Vec<String>> {
    Ok(match app.load_demo().await? {
        app::demo::DemoOutcome::Loaded { accounts } => {
            let mut lines = vec![format!(
                "已载入演示数据。演示账号（密码均为 {}，仅供演示）：",
                app::demo::DEMO_PASSWORD
            )];
            lines.extend(
                accounts
                    .iter()
                    .map(|a| format!("  {:<20} {}，{}", a.username, a.role, a.scope)),
            );
            lines
        }
        app::demo::DemoOutcome::LeftAlone => {
            vec!["数据库中已有数据，未载入演示数据（演示数据只载入空数据库）。".to_owned()]
        }
    })
}

fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::AddrInUse => "端口已被占用".to_owned(),
        std::io::ErrorKind::PermissionDenied => "没有权限使用该端口".to_owned(),
        std::io::ErrorKind::AddrNotAvailable => "本机没有这个地址".to_owned(),
        _ => err.to_string(),
    }
}
