//! The command line: one binary, a subcommand per role of the process
//! (`serve`, `worker`, `migrate`) and per operator task (`user`, `demo`,
//! `config print`). Operator commands act as [`Actor::system`] through the
//! same services, and so the same permission check, as the web.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::app::App;
use crate::auth::{Actor, Role, tokens};
use crate::config::{Config, Overrides};
use crate::enterprises::transfer::Dataset;
use crate::error::Error;
use crate::i18n::{I18n, Locale};
use crate::startup::{Server, init_logging, shutdown_signal};
use crate::users::{self, Profile};
use crate::{demo, jobs};

#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: serving and cultivating foreign-funded enterprises"
)]
pub struct Cli {
    /// A settings file (TOML) read after the built-in defaults.
    #[arg(long, global = true, env = "LIAISON_CONFIG")]
    pub config: Option<PathBuf>,
    /// The database: sqlite://PATH or postgres://USER@HOST/DATABASE.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and API (and run background jobs).
    Serve(ServeArgs),
    /// Run background jobs only (scale out beside `serve --no-jobs`).
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the demo data into an empty database.
    Demo,
    /// Import enterprises, contacts, indicators or demands from a CSV or XLSX file:
    /// headers in any of the four languages; all or nothing.
    Import(ImportArgs),
    /// Export every enterprise, contact or indicator to CSV or XLSX, headers
    /// in the operator's language.
    Export(ExportArgs),
    /// Show settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Group demands about the same problem, in any of the four languages:
    /// reads JSON Lines ({"id", "title", "body", optional "lang"}) and
    /// writes one {"id", "cluster"} line per input.
    Cluster(ClusterArgs),
    /// Rebuild the search index from the database (searches go on from the
    /// old index until the new one is ready).
    Reindex,
    /// Read the road map: plans with their progress, or one plan's task book.
    #[command(subcommand)]
    Plan(PlanCommand),
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Every plan with its status and progress.
    List,
    /// One plan's goals and task book (tab-separated, sub-tasks indented).
    Show { id: i64 },
    /// Import a task book (XLSX or CSV, headers in any of the four
    /// languages) into a plan: all or nothing.
    Import {
        plan: i64,
        file: PathBuf,
        /// The goal for rows when the file has no goal column.
        #[arg(long)]
        goal: Option<i64>,
        /// Check the file and report every bad row; import nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a plan's task book to XLSX or CSV, headers in the operator's language.
    Export {
        plan: i64,
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Where to write (default: task-book-PLAN.xlsx).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// The demands, one JSON object per line ("-" for standard input).
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write (default: standard output).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// A glossary CSV (key,domain,en,zh,ja,ko) to use instead of the
    /// database's (or, without a database, the shipped one).
    #[arg(long)]
    pub glossary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Create the database if needed and load demo data when it is empty.
    #[arg(long)]
    pub demo: bool,
    /// Address and port to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    pub addr: Option<String>,
    /// Do not run background jobs in this process.
    #[arg(long)]
    pub no_jobs: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub dataset: Dataset,
    /// A .csv or .xlsx file.
    pub file: PathBuf,
    /// Check the file and report every bad row; import nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub dataset: Dataset,
    /// csv or xlsx.
    #[arg(long, default_value = "xlsx")]
    pub format: String,
    /// Where to write (default: the dataset's name, e.g. enterprises.xlsx).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective settings (secrets redacted).
    Print,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Create(CreateUserArgs),
    /// List accounts.
    List {
        /// Only this role.
        #[arg(long)]
        role: Option<String>,
        /// Include disabled accounts.
        #[arg(long)]
        all: bool,
    },
    /// Disable an account (its sessions end, its tokens stop working).
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// Set an account's password.
    SetPassword {
        username: String,
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Issue an API token for an account and print it (shown once).
    IssueToken {
        username: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
        /// Lifetime in days (default: auth.token_days).
        #[arg(long)]
        days: Option<i64>,
    },
    /// Revoke an API token by its id.
    RevokeToken { id: i64 },
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// Read the password from the first line of standard input.
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,
    /// The password (visible to other local users in the process list; prefer --password-stdin).
    #[arg(long)]
    pub password: Option<String>,
}

impl PasswordArgs {
    fn read(&self) -> anyhow::Result<String> {
        if let Some(p) = &self.password {
            return Ok(p.clone());
        }
        if self.password_stdin {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from stdin")?;
            return Ok(line.trim_end_matches(['\r', '\n']).to_string());
        }
        anyhow::bail!("give the password with --password-stdin (or --password)")
    }
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub username: String,
    /// admin, leader, coordinator, officer, enterprise or viewer.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub display_name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// Department id (required for officers).
    #[arg(long)]
    pub department: Option<i64>,
    /// Enterprise id (required for enterprise users).
    #[arg(long)]
    pub enterprise: Option<i64>,
    /// zh-CN, ja, ko or en.
    #[arg(long)]
    pub locale: Option<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let addr = match &cli.command {
        Command::Serve(args) => args.addr.clone(),
        _ => None,
    };
    let overrides = Overrides {
        database_url: cli.database_url.clone(),
        addr,
    };
    let config = Config::load(cli.config.as_deref(), &overrides)?;
    match cli.command {
        Command::Config(ConfigCommand::Print) => {
            print!("{}", config.to_redacted_toml());
            Ok(())
        }
        Command::Serve(args) => serve(config, args).await,
        Command::Worker => {
            init_logging(&config);
            let app = App::open(config).await?;
            let (tx, rx) = tokio::sync::watch::channel(false);
            let worker = tokio::spawn(jobs::worker::run(
                app.clone(),
                jobs::worker::worker_name(),
                rx,
            ));
            shutdown_signal().await;
            let _ = tx.send(true);
            let _ = worker.await;
            app.db.close().await;
            Ok(())
        }
        Command::Migrate => {
            init_logging(&config);
            let app = App::open(config).await?;
            println!("migrations applied: the database schema is current");
            app.db.close().await;
            Ok(())
        }
        Command::Demo => {
            let app = App::open(config).await?;
            if !demo::load_if_empty(&app).await? {
                anyhow::bail!(
                    "the database already has accounts; demo data is only loaded into an empty one"
                );
            }
            print_demo_logins();
            Ok(())
        }
        Command::Import(args) => {
            let app = App::open(config).await?;
            let result = import(&app, args.dataset, &args.file, args.dry_run).await;
            app.db.close().await;
            result
        }
        Command::Export(args) => {
            let app = App::open(config).await?;
            let result = export(&app, args).await;
            app.db.close().await;
            result
        }
        Command::Cluster(args) => cluster(&config, args).await,
        Command::Plan(command) => {
            let app = App::open(config).await?;
            let result = plan(&app, command).await;
            app.db.close().await;
            result
        }
        Command::Reindex => {
            let app = App::open(config).await?;
            let started = std::time::Instant::now();
            let result = crate::search::follower::rebuild(&app).await;
            app.db.close().await;
            let items = result?;
            println!(
                "search index rebuilt: {items} items in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::User(command) => {
            let app = App::open(config).await?;
            let result = user_command(&app, command).await;
            app.db.close().await;
            result
        }
    }
}

async fn serve(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    init_logging(&config);
    let addr = config.socket_addr();
    let app = App::open(config).await?;
    let show_logins = args.demo && {
        if demo::load_if_empty(&app).await? {
            tracing::info!("demo data loaded");
        }
        demo::logins_exist(&app).await?
    };
    if args.demo && !show_logins {
        println!("This database already has its own accounts; no demo data was loaded.");
    }
    let server = Server::bind(app, addr, !args.no_jobs).await?;
    if show_logins {
        print_demo_logins();
    }
    println!("Liaison is serving on http://{}/", server.local_addr());
    server.run(shutdown_signal()).await
}

fn print_demo_logins() {
    println!("Demo logins (password for all: {}):", demo::PASSWORD);
    for (role, username) in demo::LOGINS {
        println!("  {:<12} {username}", role.as_str());
    }
}

/// The operator's language for CLI messages, from LC_ALL/LANG (zh_CN.UTF-8 → zh-CN).
async fn plan(app: &App, command: PlanCommand) -> anyhow::Result<()> {
    let system = Actor::system();
    match command {
        PlanCommand::List => {
            for s in crate::plans::service::list(app, &system).await? {
                println!(
                    "{}\t{}\t{}\t{} – {}\t{}%",
                    s.plan.id,
                    s.plan.title,
                    s.plan.status.as_str(),
                    s.plan.starts_on,
                    s.plan.ends_on,
                    s.progress
                );
            }
        }
        PlanCommand::Import {
            plan,
            file,
            goal,
            dry_run,
        } => {
            let name = file.display().to_string();
            let format = crate::sheets::Format::from_file_name(&name)
                .ok_or_else(|| anyhow::anyhow!("{name}: use a file ending in .csv or .xlsx"))?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {name}"))?;
            let report =
                crate::plans::book::import(app, &system, plan, goal, &bytes, format, dry_run)
                    .await
                    .map_err(|e| explain(&app.i18n, e))?;
            print_report(app, &name, &report, dry_run)?;
        }
        PlanCommand::Export {
            plan,
            format,
            output,
        } => {
            let format = crate::sheets::Format::parse(&format)
                .ok_or_else(|| anyhow::anyhow!("--format: csv or xlsx"))?;
            let bytes = crate::plans::book::export(app, &system, plan, format, cli_locale())
                .await
                .map_err(|e| explain(&app.i18n, e))?;
            let path = output.unwrap_or_else(|| {
                PathBuf::from(format!("task-book-{plan}.{}", format.extension()))
            });
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{}", path.display());
        }
        PlanCommand::Show { id } => {
            let p = crate::plans::service::get(app, &system, id).await?;
            let departments = crate::org::service::list(app, &system, true).await?;
            let unit = |id: i64| {
                departments
                    .iter()
                    .find(|d| d.id == id)
                    .map(|d| d.name(cli_locale()).to_string())
                    .unwrap_or_default()
            };
            println!(
                "{}\t{}\t{}%",
                p.plan.title,
                p.plan.status.as_str(),
                p.progress
            );
            for goal in &p.goals {
                println!("\n{}\t{}%", goal.title, goal.progress);
                for row in p.book.iter().filter(|r| r.task.goal_id == goal.id) {
                    println!(
                        "{}{}\t{}\t{}\t{}%\t{}",
                        "  ".repeat(row.depth + 1),
                        row.task.title,
                        unit(row.task.lead_department_id),
                        row.task.due_on,
                        row.task.progress,
                        row.task.status.as_str()
                    );
                }
            }
        }
    }
    Ok(())
}

fn cli_locale() -> Locale {
    let lang = std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .ok();
    lang.as_deref()
        .and_then(|l| Locale::parse(l.split('.').next().unwrap_or(l)))
        .unwrap_or(Locale::En)
}

/// Turns a service error into one readable line for the operator.
fn explain(i18n: &I18n, e: Error) -> anyhow::Error {
    if let Error::Internal(cause) = e {
        return cause;
    }
    let locale = cli_locale();
    let lines: Vec<String> = e
        .field_errors()
        .iter()
        .map(|fe| {
            let message = i18n.error_message(locale, fe);
            match &fe.field {
                Some(field) => format!("{field}: {message} ({})", fe.code.as_str()),
                None => format!("{message} ({})", fe.code.as_str()),
            }
        })
        .collect();
    anyhow::anyhow!(lines.join("; "))
}

async fn import(
    app: &App,
    dataset: Dataset,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let name = file.display().to_string();
    let format = crate::sheets::Format::from_file_name(&name)
        .ok_or_else(|| anyhow::anyhow!("{name}: use a file ending in .csv or .xlsx"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    let system = Actor::system();
    let report = dataset
        .import(app, &system, &bytes, format, dry_run)
        .await
        .map_err(|e| explain(&app.i18n, e))?;
    print_report(app, &name, &report, dry_run)
}

/// Prints an import's problems (to stderr, failing) or what it did.
fn print_report(
    app: &App,
    name: &str,
    report: &crate::sheets::report::ImportReport,
    dry_run: bool,
) -> anyhow::Result<()> {
    let view = crate::sheets::report::ReportView::new(report, &app.i18n, cli_locale());
    for problem in &view.errors {
        eprintln!(
            "row {}, {}: {} ({})",
            problem.row,
            problem.column.as_deref().unwrap_or("-"),
            problem.detail,
            problem.code
        );
    }
    if !view.errors.is_empty() {
        anyhow::bail!(
            "{name}: {} problems; nothing was imported",
            view.errors.len()
        );
    }
    let verb = if dry_run { "would create" } else { "created" };
    println!(
        "{name}: {} rows checked; {verb} {}, updated {}",
        view.rows, view.created, view.updated
    );
    Ok(())
}

async fn export(app: &App, args: ExportArgs) -> anyhow::Result<()> {
    let dataset = args.dataset;
    if !dataset.exportable() {
        anyhow::bail!("demands are exported from the demand list (/demands/export) or the API");
    }
    let format = crate::sheets::Format::parse(&args.format)
        .ok_or_else(|| anyhow::anyhow!("unknown format {:?}: use csv or xlsx", args.format))?;
    let query = crate::enterprises::store::ListQuery::default();
    let bytes = dataset
        .export(app, &Actor::system(), &query, format, cli_locale())
        .await
        .map_err(|e| explain(&app.i18n, e))?;
    let path = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{}.{}", dataset.as_str(), format.extension())));
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

async fn cluster(config: &Config, args: ClusterArgs) -> anyhow::Result<()> {
    let concepts = match &args.glossary {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            crate::glossary::model::parse_csv(&text)
                .with_context(|| format!("{} is not a glossary", path.display()))?
        }
        None => crate::glossary::service::for_command_line(config).await?,
    };
    let matcher = crate::glossary::Matcher::new(concepts);
    let input: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let output: Box<dyn std::io::Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let name = args.input.display().to_string();
    crate::problems::lines::cluster_lines(&matcher, input, output).context(name)?;
    Ok(())
}

async fn user_command(app: &App, command: UserCommand) -> anyhow::Result<()> {
    let system = Actor::system();
    let fail = |e| explain(&app.i18n, e);
    match command {
        UserCommand::Create(a) => {
            let password = a.password.read()?;
            let profile = Profile {
                display_name: a.display_name.unwrap_or_else(|| a.username.clone()),
                email: a.email,
                role: a.role,
                department_id: a.department,
                enterprise_id: a.enterprise,
                locale: a.locale,
            };
            let user = users::service::create(app, &system, &a.username, &password, &profile)
                .await
                .map_err(fail)?;
            println!(
                "created user {} (id {}, {})",
                user.username,
                user.id,
                user.role.as_str()
            );
        }
        UserCommand::List { role, all } => {
            let role = match role {
                Some(r) => {
                    Some(Role::parse(&r).ok_or_else(|| anyhow::anyhow!("unknown role {r:?}"))?)
                }
                None => None,
            };
            let filter = users::store::Filter {
                role,
                include_disabled: all,
                ..Default::default()
            };
            let list = users::service::list(app, &system, &filter)
                .await
                .map_err(fail)?;
            println!(
                "{:<6} {:<24} {:<12} {:<8} display name",
                "id", "username", "role", "status"
            );
            for u in list {
                let status = if u.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                println!(
                    "{:<6} {:<24} {:<12} {:<8} {}",
                    u.id,
                    u.username,
                    u.role.as_str(),
                    status,
                    u.display_name
                );
            }
        }
        UserCommand::Disable { username } => {
            let user = users::service::find_by_username(app, &system, &username)
                .await
                .map_err(fail)?;
            users::service::set_disabled(app, &system, user.id, true)
                .await
                .map_err(fail)?;
            println!("disabled {}", user.username);
        }
        UserCommand::Enable { username } => {
            let user = users::service::find_by_username(app, &system, &username)
                .await
                .map_err(fail)?;
            users::service::set_disabled(app, &system, user.id, false)
                .await
                .map_err(fail)?;
            println!("enabled {}", user.username);
        }
        UserCommand::SetPassword { username, password } => {
            let password = password.read()?;
            let user = users::service::find_by_username(app, &system, &username)
                .await
                .map_err(fail)?;
            users::service::set_password(app, &system, user.id, &password)
                .await
                .map_err(fail)?;
            println!(
                "password set for {}; their sessions have ended",
                user.username
            );
        }
        UserCommand::IssueToken {
            username,
            name,
            days,
        } => {
            let user = users::service::find_by_username(app, &system, &username)
                .await
                .map_err(fail)?;
            let (token, secret) = tokens::issue(app, &system, user.id, &name, days)
                .await
                .map_err(fail)?;
            eprintln!(
                "token {} for {} expires {}; it is shown only now:",
                token.id, user.username, token.expires_at
            );
            println!("{secret}");
        }
        UserCommand::RevokeToken { id } => {
            let token = tokens::revoke(app, &system, id).await.map_err(fail)?;
            println!("revoked token {} ({})", token.id, token.name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
