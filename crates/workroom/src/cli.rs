//! The command line (shared/CONTRACT.md): `serve`, `migrate`, `demo`, `backup`, `divisions …`.
//! Every failure ends with one line on stderr and a non-zero exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use app::{Acting, DatabaseUrl, SystemClock};
use clap::{Parser, Subcommand};

use crate::startup::{Application, ServeOptions, demo_message, open_app};

/// Where the embedded database lives when no database is named.
pub const DEFAULT_DATA_DIR: &str = "workroom-data";

#[derive(Debug, Parser)]
#[command(name = "workroom", version, about = "广州市政协委员进社区工作平台")]
pub struct Cli {
    /// The database: sqlite://PATH or postgres://… (default: an embedded SQLite file under ./workroom-data/)
    #[arg(long, global = true, env = "WORKROOM_DATABASE_URL", value_name = "URL")]
    database: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (applies pending migrations first)
    Serve {
        /// Address to listen on
        #[arg(long, env = "WORKROOM_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Load the demo data set into an empty database
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set this when users reach the server over HTTPS)
        #[arg(long, env = "WORKROOM_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The address residents reach the server at, printed in QR codes (e.g. https://workroom.example.gov.cn)
        #[arg(long, env = "WORKROOM_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
        /// Reverse proxies trusted to name the client in X-Forwarded-For, comma-separated (rate limits
        /// then count residents, not the proxy)
        #[arg(
            long = "trusted-proxy",
            env = "WORKROOM_TRUSTED_PROXIES",
            value_name = "IP",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
    },
    /// Apply pending migrations and exit
    Migrate,
    /// Load the demo data set into an empty database and exit
    Demo,
    /// Write a consistent copy of the database while the server runs
    Backup {
        /// The file to write (must not exist yet)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Change the organisation tree: a new community, a renamed street
    #[command(subcommand)]
    Divisions(DivisionsCommand),
    /// Check the audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import data from the spreadsheets offices keep
    #[command(subcommand)]
    Import(ImportCommand),
    /// The reception calendar: reception days and the official holiday arrangements
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Write reports from the records
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// A district's annual summary (年度工作总结, R14) as a Word document: the submitted version once
    /// submitted, the draft otherwise; the figures come from the records
    Annual {
        /// The district's name, e.g. 越秀区 (or 越秀)
        #[arg(long)]
        district: String,
        #[arg(long)]
        year: i32,
        /// The .docx file to write (must not exist yet)
        #[arg(long, value_name = "FILE.docx")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// Print a year's reception days, one ISO date (YYYY-MM-DD) a line; warnings go to stderr
    ReceptionDays {
        #[arg(long)]
        year: i32,
        /// A district's name (e.g. 越秀区): its own day of the month and its blocked dates
        #[arg(long)]
        district: Option<String>,
        /// A work room's id: its district's rules, monthly if the room receives monthly
        #[arg(long)]
        room: Option<i64>,
        /// Every month, not only the odd months
        #[arg(long)]
        monthly: bool,
        /// Also print each day's reason on stderr
        #[arg(long)]
        explain: bool,
    },
    /// Load an official holiday arrangement file (data/holidays/YYYY.toml format) for a year
    Import {
        /// The arrangement file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Import a member roster (.xlsx, headers as in shared/CONTRACT.md); nothing is imported when any row is bad
    Members {
        /// The roster file
        file: PathBuf,
        /// Check every row and report what would change, without storing anything
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every entry's hash and link; exits non-zero at the first entry that does not match
    Verify,
}

#[derive(Debug, Subcommand)]
enum DivisionsCommand {
    /// Add a town/street under a district or a community under a town/street
    Add {
        /// Code of the district or town/street it belongs to
        #[arg(long)]
        parent: String,
        /// Its official statistical division code (9 or 12 digits)
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// First day it exists (YYYY-MM-DD; default today)
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Rename a division from a date, keeping its earlier names
    Rename {
        code: String,
        #[arg(long)]
        name: String,
        /// First day of the new name (YYYY-MM-DD; default today)
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

/// Runs the command line and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version: print as clap formats them.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            // clap explains over several lines; keep what it says, drop the usage it appends.
            let rendered = err.render().to_string();
            let said: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
                .filter(|line| !line.is_empty())
                .collect();
            eprintln!(
                "workroom: {}（用 --help 查看用法）",
                said.join(" ").trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("workroom: 无法启动运行时：{err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let message = format!("{err:#}").replace('\n', " ");
            eprintln!("workroom: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WORKROOM_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

fn database_url(raw: Option<&str>) -> anyhow::Result<DatabaseUrl> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        Some(raw) => Ok(DatabaseUrl::parse(raw)?),
        None => Ok(DatabaseUrl::embedded(Path::new(DEFAULT_DATA_DIR))),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let database = database_url(cli.database.as_deref())?;
    match cli.command {
        Command::Serve {
            addr,
            demo,
            secure_cookies,
            public_url,
            trusted_proxies,
        } => {
            serve(ServeOptions {
                addr,
                database,
                demo,
                secure_cookies,
                public_url,
                trusted_proxies,
            })
            .await
        }
        Command::Migrate => {
            let app = open_app(&database, Arc::new(SystemClock)).await?;
            println!("数据库 {} 已是最新结构。", database.redacted());
            app.close().await;
            Ok(())
        }
        Command::Demo => {
            let app = open_app(&database, Arc::new(SystemClock)).await?;
            for line in demo_message(&app).await? {
                println!("{line}");
            }
            app.close().await;
            Ok(())
        }
        Command::Backup { out } => backup(&database, &out).await,
        Command::Divisions(command) => divisions(&database, command).await,
        Command::Import(ImportCommand::Members { file, dry_run }) => {
            import_members(&database, &file, dry_run).await
        }
        Command::Calendar(command) => calendar(&database, command).await,
        Command::Report(ReportCommand::Annual { district, year, out }) => {
            annual_report(&database, &district, year, &out).await
        }
        Command::Audit(AuditCommand::Verify) => {
            let app = open_app(&database, Arc::new(SystemClock)).await?;
            let report = app.verify_audit(&Acting::Operator).await;
            app.close().await;
            let report = report?;
            match report.broken {
                None => {
                    println!("审计日志完整：{} 条记录，哈希链全部吻合。", report.entries);
                    Ok(())
                }
                Some((id, why)) => bail!(
                    "审计日志第 {id} 条记录异常：{why}（已检查 {} 条）",
                    report.entries
                ),
            }
        }
    }
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let application = Application::build(&options, Arc::new(SystemClock)).await?;
    for message in &application.messages {
        println!("{message}");
    }
    for warning in &application.warnings {
        eprintln!("{warning}");
    }
    println!("数据库：{}", options.database.redacted());
    println!(
        "Workroom 已启动：请用浏览器打开 http://{}/",
        application.local_addr()
    );
    tracing::info!(addr = %application.local_addr(), "listening");
    application.run_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

async fn annual_report(database: &DatabaseUrl, district: &str, year: i32, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("文件 {} 已存在，请换一个文件名", out.display());
    }
    let app = open_app(database, Arc::new(SystemClock)).await?;
    let result = app.annual_summary_docx_for(district, year).await;
    app.close().await;
    let (_, bytes) = result?;
    std::fs::write(out, &bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    println!(
        "已写出 {district} {year} 年度工作总结：{}（{} 字节）。",
        out.display(),
        bytes.len()
    );
    Ok(())
}

async fn backup(database: &DatabaseUrl, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("备份文件 {} 已存在，请换一个文件名", out.display());
    }
    if let Some(dir) = out.parent().filter(|dir| !dir.as_os_str().is_empty())
        && !dir.is_dir()
    {
        bail!("备份文件夹 {} 不存在", dir.display());
    }
    match database {
        DatabaseUrl::Sqlite(path) => {
            if !path.exists() {
                bail!("数据库文件 {} 不存在", path.display());
            }
            let store = app::Store::connect(database).await?;
            store
                .backup_sqlite_into(out)
                .await
                .map_err(|err| anyhow::anyhow!("无法写入备份 {}：{err}", out.display()))?;
            store.close().await;
        }
        DatabaseUrl::Postgres(url) => {
            // pg_dump reads one snapshot, so the copy is consistent while the server keeps writing.
            // The password goes in the environment, not on the command line where `ps` shows it.
            let (url_without_password, password) = split_password(url);
            let mut command = tokio::process::Command::new("pg_dump");
            if let Some(password) = password {
                command.env("PGPASSWORD", password);
            }
            // An installation kept in its own schema (`options=-c search_path=…`) is that schema, not
            // whatever else the database holds.
            if let Some(schema) = search_path_schema(url) {
                command.arg("--schema").arg(schema);
            }
            // Live sign-ins' token hashes and rate limits stay out: a restored copy lets no old
            // token in.
            for table in store::BACKUP_EXCLUDED_TABLES {
                command.arg(format!("--exclude-table-data=*.{table}"));
            }
            // pg_dump writes into the file as it finds it: made first, for the owner only.
            store::create_private_file(out).with_context(|| format!("无法创建备份文件 {}", out.display()))?;
            let status = command
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(out)
                .arg("--dbname")
                .arg(url_without_password)
                .stdin(std::process::Stdio::null())
                .status()
                .await
                .context("无法运行 pg_dump（PostgreSQL 的备份需要安装 postgresql-client）")?;
            if !status.success() {
                let _ = std::fs::remove_file(out);
                bail!(
                    "pg_dump 备份 {} 失败（退出码 {}）",
                    database.redacted(),
                    status.code().unwrap_or(-1)
                );
            }
        }
    }
    let size = std::fs::metadata(out).map_or(0, |m| m.len());
    println!("已备份到 {}（{} 字节）。", out.display(), size);
    Ok(())
}

async fn divisions(database: &DatabaseUrl, command: DivisionsCommand) -> anyhow::Result<()> {
    let app = open_app(database, Arc::new(SystemClock)).await?;
    let result = match command {
        DivisionsCommand::Add {
            parent,
            code,
            name,
            from,
            note,
        } => {
            let input = app::divisions::NewDivision {
                parent_code: parent,
                code,
                name,
                valid_from: from,
                note,
            };
            app.add_division(&Acting::Operator, &input).await.map(|division| {
                println!("已新增 {} {}。", division.code, division.name);
            })
        }
        DivisionsCommand::Rename {
            code,
            name,
            from,
            note,
        } => {
            let input = app::divisions::Rename {
                code,
                name,
                valid_from: from,
                note,
            };
            app.rename_division(&Acting::Operator, &input)
                .await
                .map(|detail| {
                    println!("已更名为 {}（{}）。", detail.division.name, detail.division.code);
                })
        }
    };
    app.close().await;
    Ok(result?)
}

async fn calendar(database: &DatabaseUrl, command: CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::ReceptionDays {
            year,
            district,
            room,
            monthly,
            explain,
        } => {
            let app = open_app(database, Arc::new(SystemClock)).await?;
            let result = app.reception_days(district.as_deref(), room, monthly, year).await;
            app.close().await;
            let days = result?;
            if days.provisional {
                eprintln!(
                    "workroom: 警告：{year} 年的国务院节假日安排尚未载入，接待日仅按周末推算，为暂定日期（provisional）"
                );
            }
            let mut out = std::io::stdout().lock();
            for day in &days.days {
                std::io::Write::write_fmt(&mut out, format_args!("{}\n", day.date))?;
                if explain {
                    eprintln!("{}  {}", day.date, day.reason_zh());
                }
            }
            Ok(())
        }
        CalendarCommand::Import { file } => {
            let content = std::fs::read_to_string(&file)
                .map_err(|err| anyhow::anyhow!("无法读取 {}：{err}", file.display()))?;
            let app = open_app(database, Arc::new(SystemClock)).await?;
            let result = app.import_arrangement(&Acting::Operator, &content).await;
            app.close().await;
            let (arrangement, outcome) =
                result.map_err(|err| anyhow::anyhow!("{}：{err}", file.display()))?;
            let holidays: usize = arrangement.festivals.iter().map(|f| f.holidays.len()).sum();
            let workdays: usize = arrangement.festivals.iter().map(|f| f.workdays.len()).sum();
            let what = match outcome {
                app::calendar::LoadOutcome::Added => "已载入",
                app::calendar::LoadOutcome::Replaced => "已替换",
                app::calendar::LoadOutcome::Unchanged => "与已载入的相同，未改动",
            };
            println!(
                "{} 年节假日安排{what}：《{}》，放假 {holidays} 天，调休上班 {workdays} 天。",
                arrangement.year, arrangement.notice_title
            );
            Ok(())
        }
    }
}

async fn import_members(database: &DatabaseUrl, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).map_err(|err| anyhow::anyhow!("无法读取 {}：{err}", file.display()))?;
    let app = open_app(database, Arc::new(SystemClock)).await?;
    let bar = indicatif::ProgressBar::new(0);
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("导入");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let result = app
        .import_members(&Acting::Operator, &bytes, dry_run, &progress)
        .await;
    bar.finish_and_clear();
    app.close().await;
    let report = result?;
    for column in &report.ignored_columns {
        println!("提示：列“{column}”不在名册格式中，已忽略。");
    }
    for problem in &report.problems {
        if problem.column.is_empty() {
            println!("第 {} 行：{}", problem.row, problem.reason);
        } else {
            println!("第 {} 行 · {}：{}", problem.row, problem.column, problem.reason);
        }
    }
    match report.counts {
        Some(counts) => {
            let verb = if dry_run {
                "试导入（未保存）"
            } else {
                "已导入"
            };
            println!(
                "{verb}：共 {} 行，新增 {}，更新 {}，未变 {}，新分配工作室 {}。",
                report.rows, counts.created, counts.updated, counts.unchanged, counts.assigned
            );
            Ok(())
        }
        None => bail!(
            "{} 中有 {} 处问题，未导入任何数据（见上方逐行报告）",
            file.display(),
            report.problems.len()
        ),
    }
}

/// A PostgreSQL URL without its password, and the password (percent-decoded) if there was one.
fn split_password(raw: &str) -> (String, Option<String>) {
    let Ok(mut url) = url::Url::parse(raw) else {
        return (raw.to_owned(), None);
    };
    let Some(password) = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    }) else {
        return (raw.to_owned(), None);
    };
    if url.set_password(None).is_err() {
        return (raw.to_owned(), None);
    }
    (url.to_string(), Some(password))
}

/// The schema a connection URL selects with `options=-c search_path=NAME`, if any.
fn search_path_schema(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw).ok()?;
    let options = url.query_pairs().find(|(k, _)| k == "options")?.1.into_owned();
    let mut words = options.split_whitespace();
    while let Some(word) = words.next() {
        let setting = if word == "-c" {
            words.next()?
        } else {
            word.strip_prefix("-c")?
        };
        if let Some(value) = setting.strip_prefix("search_path=") {
            let first = value.split(',').next()?.trim().trim_matches('"');
            return (!first.is_empty()).then(|| first.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{search_path_schema, split_password};

    #[test]
    fn a_schema_chosen_in_the_url_is_what_a_backup_dumps() {
        assert_eq!(
            search_path_schema("postgres://p@h/test?options=-c%20search_path%3Dt_42").as_deref(),
            Some("t_42")
        );
        assert_eq!(search_path_schema("postgres://p@h/test?sslmode=require"), None);
    }

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://app:s%40cret@db:5432/w?sslmode=require"),
            (
                "postgres://app@db:5432/w?sslmode=require".to_owned(),
                Some("s@cret".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1:5432/test"),
            ("postgres://postgres@127.0.0.1:5432/test".to_owned(), None)
        );
    }
}
