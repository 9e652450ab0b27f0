//! The command line: `serve` (the default), `migrate`, `import-units`, `import-members`,
//! `reorganise`, `rebuild-rollups`, `generate`, `backup`, `restore`, `schema`, `rules`, `token`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::auth::Role;
use crate::auth::issue::{TokenRequest, issue};
use crate::auth::token::{LOCAL_SECRET_FILE, TokenArgs, parse_ttl};
use crate::config::{DatabaseArgs, ServeArgs};
use crate::domain::audit::Actor;
use crate::generate::{GenerateOptions, Scale};
use crate::{cache, config, db, demo, domain, graphql, http, telemetry};
use database::{connect, redact};
use import_file::Sheet;

mod database;
mod import_file;
mod reorganise;

/// ketnap — the GraphQL API for party member development.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A TOML file of settings (keys are the flags' names); flags and environment variables
    /// take precedence over it.
    #[arg(long, env = "KETNAP_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the API server (what `ketnap` with no subcommand does).
    Serve(ServeArgs),
    /// Check the settings (flags, environment, configuration file) and print the server's, without
    /// starting it; every problem is listed at once.
    CheckConfig(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load an existing organisation tree from CSV (code,name,level,kind,parent_code[,established_on])
    /// in one transaction; nothing is loaded if any line is bad.
    ImportUnits {
        /// The CSV file.
        file: PathBuf,
    },
    /// Load a committee's current roster of party members from CSV (cell_code, full_name, gender,
    /// date_of_birth, ethnicity, general_education, party_since, and optionally religion,
    /// professional_education, political_theory, occupation, position, citizen_id, address,
    /// official_since) in one transaction; nothing is loaded if any line is bad.
    ImportMembers {
        /// The CSV file.
        file: PathBuf,
    },
    /// Apply a reorganisation plan: a CSV file (operation,unit_code,target_code,effective_on) of
    /// MOVE, MERGE and DISSOLVE lines, applied in the file's order in one transaction through the
    /// same checks, history and audit as the moveUnit, mergeUnits and dissolveUnit mutations;
    /// nothing is changed if any line is bad or refused.
    Reorganise {
        /// The plan (CSV, UTF-8).
        #[arg(long)]
        plan: PathBuf,
    },
    /// Recount the per-unit, per-month rollup (`unit_month_counts`), the figures of each unit's
    /// year (`unit_year_figures`) and the admissions by profile (`unit_month_profiles`) from the
    /// admissions, persons, nominations, targets and the tree, and the
    /// provinces' stock summaries (`unit_stock_days`, `unit_stock_months`) from the memberships,
    /// nominations, classes, enrolments and units, and the awareness cohorts
    /// (`awareness_cohorts`) from the certificates, nominations and admissions, in one
    /// transaction: after loading rows by hand, or to check nothing drifted.
    RebuildRollups,
    /// Fill an empty database with realistic generated data: the tree, ten years of the pipeline
    /// and the targets. The same seed and scale give the same rows.
    Generate {
        /// How much: `small` (seconds), `province` (one province) or `national` (the whole country).
        #[arg(long, value_enum)]
        scale: Scale,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write a consistent backup of the database to a new file while the server keeps running:
    /// SQLite through `VACUUM INTO`, PostgreSQL through `pg_dump` of ketnap's schema.
    Backup {
        /// The backup file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup made by `ketnap backup` into the new, empty database named by
    /// --database-url (a new SQLite file, or a PostgreSQL database without ketnap's schema).
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
    /// Print the API's GraphQL SDL (the content of schema.graphql).
    Schema,
    /// Print the table of every rule the API refuses requests with (its name, error code, Charter
    /// source and statement), as README's "Rules" section shows it.
    Rules,
    /// Issue a bearer token signed with the configured key (KETNAP_JWT_SECRET_FILE, or a private
    /// key file), print it on stdout, and record the issue in the audit trail.
    Token(TokenCommand),
}

/// `ketnap token`: who the token is for.
#[derive(Debug, clap::Args)]
struct TokenCommand {
    /// The user's stable identifier (e.g. an employee number or e-mail address).
    #[arg(long)]
    subject: String,
    /// The user's display name, recorded in the audit trail (default: the subject).
    #[arg(long)]
    name: Option<String>,
    /// dashboard, viewer, editor or admin.
    #[arg(long)]
    role: Role,
    /// The code of the unit whose subtree the user acts in, or `*` for the whole country.
    #[arg(long)]
    unit: String,
    /// How long the token is valid: e.g. 90m, 12h, 30d (at most a year).
    #[arg(long, default_value = "30d", value_parser = parse_ttl)]
    ttl: chrono::Duration,
    #[command(flatten)]
    tokens: TokenArgs,
}

/// Parses the command line and runs it.
pub async fn run() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(problems) => {
            eprintln!("error: the configuration has {} problem(s):", problems.len());
            for problem in &problems {
                eprintln!("  - {problem}");
            }
            return ExitCode::FAILURE;
        }
    };
    let log_format = match &cli.command {
        Some(Command::Serve(settings)) => settings.log_format.clone(),
        _ => cli.serve.log_format.clone(),
    };
    let otlp = match &cli.command {
        Some(Command::Serve(settings)) => settings.otlp_endpoint.clone(),
        _ => cli.serve.otlp_endpoint.clone(),
    };
    let traces = match init_tracing(&log_format, otlp.as_deref()) {
        Ok(traces) => traces,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        None => serve(&cli.database, cli.serve).await,
        Some(Command::Serve(settings)) => serve(&cli.database, settings).await,
        Some(Command::CheckConfig(settings)) => {
            println!("{}", settings.summary());
            Ok(())
        }
        Some(Command::Migrate) => migrate(&cli.database).await,
        Some(Command::ImportUnits { file }) => import_file::import(&cli.database, &file, Sheet::Units).await,
        Some(Command::ImportMembers { file }) => import_file::import(&cli.database, &file, Sheet::Members).await,
        Some(Command::Reorganise { plan }) => reorganise::run(&cli.database, &plan).await,
        Some(Command::RebuildRollups) => rebuild_rollups(&cli.database).await,
        Some(Command::Generate { scale, seed }) => generate(&cli.database, scale, seed).await,
        Some(Command::Backup { to }) => backup(&cli.database, &to).await,
        Some(Command::Restore { from }) => restore(&cli.database, &from).await,
        Some(Command::Schema) => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Some(Command::Rules) => {
            print!("{}", crate::rules::readme::markdown());
            Ok(())
        }
        Some(Command::Token(command)) => token(&cli.database, command).await,
    };
    if let Some(provider) = traces {
        // Sends the spans still buffered.
        let _ = provider.shutdown();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The command line with the configuration file's settings where no flag or environment variable
/// gives them (`config::file`), checked: every problem of the file, the environment and the
/// server's settings taken together, at once.
fn parse() -> Result<Cli, Vec<String>> {
    let command = <Cli as clap::CommandFactory>::command();
    let args = config::file::apply(std::env::args_os().collect(), &command, &|name| std::env::var(name).ok())?;
    let cli = Cli::try_parse_from(args).unwrap_or_else(|err| err.exit());
    let problems = match &cli.command {
        None => cli.serve.problems(),
        Some(Command::Serve(settings) | Command::CheckConfig(settings)) => settings.problems(),
        Some(_) => Vec::new(),
    };
    if problems.is_empty() { Ok(cli) } else { Err(problems) }
}

/// Logs to stderr (as text or JSON, filtered by RUST_LOG), and traces to an OpenTelemetry
/// collector when `otlp` names one.
fn init_tracing(format: &str, otlp: Option<&str>) -> Result<Option<SdkTracerProvider>, String> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = if format == "json" { logs.json().boxed() } else { logs.boxed() };
    let provider = otlp.map(telemetry::traces::otlp_provider).transpose()?;
    let traces = provider.as_ref().map(telemetry::traces::layer);
    tracing_subscriber::registry().with(logs.with_filter(filter)).with(traces).init();
    Ok(provider)
}

async fn serve(database: &DatabaseArgs, mut settings: ServeArgs) -> Result<(), String> {
    let mut db = connect(database, settings.demo).await?;
    if settings.metrics_listen.is_some() {
        telemetry::observe_statements(&mut db);
    }
    if !settings.demo {
        local_key_when_embedded(&db, &mut settings.tokens)?;
    }
    if settings.no_migrate {
        tracing::info!("not applying migrations (--no-migrate)");
    } else {
        db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    }
    if settings.demo && demo::seed(&db).await.map_err(|err| format!("loading demo data failed: {err:?}"))? {
        tracing::info!("demo database filled with the demo tree and pipeline");
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|err| format!("cannot listen on {}: {err}", settings.listen))?;
    let address = listener.local_addr().map_err(|err| err.to_string())?;
    let state = http::AppState::new(db, &settings)?;
    if let Some(address) = settings.metrics_listen {
        let bound = http::metrics::spawn(address, state.clone(), settings.concurrent_requests()).await?;
        tracing::info!("metrics on http://{bound}/metrics");
    }
    cache::changes::follow(&state.db, state.api.cache().clone());
    announce_access(&settings);
    let router = http::app(state, &settings);
    tracing::info!(database = %redact(&database.url(settings.demo)), "ketnap listening on http://{address}{}", settings.graphql_path);
    println!("ketnap listening on http://{address}{} (open it in a browser for the IDE)", settings.graphql_path);
    http::serve(listener, router).await.map_err(|err| format!("server error: {err}"))
}

/// On the embedded SQLite database with no key configured, the server and `ketnap token` share a
/// secret generated on first use (`ketnap-token.key`), so a fresh install is secure without setup.
/// PostgreSQL, the production database, needs its key configured.
fn local_key_when_embedded(db: &sea_orm::DatabaseConnection, tokens: &mut TokenArgs) -> Result<(), String> {
    if tokens.is_configured() || db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Ok(());
    }
    if tokens.use_local_secret()? {
        tracing::info!("generated a token secret in {LOCAL_SECRET_FILE} (keep it private)");
    }
    tracing::info!(
        "tokens are signed with {LOCAL_SECRET_FILE}; issue one with: ketnap token --subject you --role admin --unit '*'"
    );
    Ok(())
}

/// Says who may connect; loudly when the demo lets anyone in without a token.
fn announce_access(settings: &ServeArgs) {
    if http::AppState::allows_anonymous(settings) {
        let warning = format!(
            "WARNING: --demo lets anyone who can reach {} act as a country-wide administrator without a token. \
             It listens on a loopback address only; never expose it.",
            settings.listen
        );
        tracing::warn!("{warning}");
        eprintln!("\n{}\n{warning}\n{}\n", "!".repeat(100), "!".repeat(100));
    } else if settings.demo {
        tracing::warn!(
            "--demo on a non-loopback address ({}): anonymous access is off, every request needs a token",
            settings.listen
        );
    }
    if settings.demo && !settings.tokens.is_configured() {
        tracing::warn!("no token key configured: the demo signs tokens with a random key that lasts until it stops");
    }
}

async fn token(database: &DatabaseArgs, mut command: TokenCommand) -> Result<(), String> {
    let db = connect(database, false).await?;
    local_key_when_embedded(&db, &mut command.tokens)?;
    let keys = command.tokens.keys()?;
    db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    let request = TokenRequest {
        name: command.name.unwrap_or_else(|| command.subject.clone()),
        subject: command.subject,
        role: command.role,
        unit: command.unit,
        ttl: command.ttl,
    };
    let issued = issue(&db, &keys, &Actor::system("token"), &request).await.map_err(|err| err.message())?;
    eprintln!(
        "token for {} ({}, {}), valid until {}",
        request.subject,
        request.role,
        request.unit,
        issued.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    println!("{}", issued.token);
    Ok(())
}

async fn migrate(database: &DatabaseArgs) -> Result<(), String> {
    let db = connect(database, false).await?;
    db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    println!("migrations applied");
    Ok(())
}

async fn rebuild_rollups(database: &DatabaseArgs) -> Result<(), String> {
    let db = connect(database, false).await?;
    db::migrate(&db).await.map_err(|err| format!("migration failed: {err}"))?;
    let failed = |err: &dyn std::fmt::Display| format!("rebuilding the rollups failed: {err}");
    let txn = db::begin_write(&db).await.map_err(|err| failed(&err))?;
    // An operator's command: the internal cause is theirs to read.
    domain::rollup::rebuild_all(&txn).await.map_err(|err| failed(&format!("{err:?}")))?;
    txn.commit().await.map_err(|err| failed(&err))?;
    println!("rollups rebuilt");
    Ok(())
}

async fn backup(database: &DatabaseArgs, to: &std::path::Path) -> Result<(), String> {
    let db = connect(database, false).await?;
    crate::backup::backup(&db, &database.url(false), to).await?;
    println!("backed up to {}", to.display());
    Ok(())
}

async fn restore(database: &DatabaseArgs, from: &std::path::Path) -> Result<(), String> {
    let url = database.url(false);
    crate::backup::restore(&url, from).await?;
    println!("restored {} into {}; `ketnap rebuild-rollups` checks the rollups", from.display(), redact(&url));
    Ok(())
}

async fn generate(database: &DatabaseArgs, scale: Scale, seed: u64) -> Result<(), String> {
    let db = connect(database, false).await?;
    let options = GenerateOptions { scale, seed, progress: true };
    let report = crate::generate::generate(&db, options).await.map_err(|err| format!("generate failed: {err}"))?;
    for (table, rows) in &report.rows {
        println!("{table:<20} {rows:>12}");
    }
    println!("{:<20} {:>12} rows in {:.1} s", "total", report.total(), report.elapsed.as_secs_f64());
    Ok(())
}
