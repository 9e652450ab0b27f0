//! Every setting of the service: its flag, its environment variable and its default, parsed and
//! validated once at start. README.md's configuration table mirrors this file.

pub mod file;

use std::net::SocketAddr;
use std::time::Duration;

use chrono::NaiveDate;
use clap::Args;

use crate::auth::token::{TokenArgs, TokenKeys};
use crate::cache::CacheSettings;
use crate::graphql::SchemaOptions;

/// Where the embedded default database lives when no URL is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://ketnap.db?mode=rwc";
/// The separate database `--demo` uses, so demo data never mixes with real records.
pub const DEMO_DATABASE_URL: &str = "sqlite://ketnap-demo.db?mode=rwc";

/// Settings of the database connection, shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded, the default) or `postgres://…` (production).
    #[arg(long, env = "KETNAP_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Largest number of pooled database connections (default: 16 on PostgreSQL; on SQLite, two
    /// per CPU core).
    #[arg(long, env = "KETNAP_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<u32>,
}

impl DatabaseArgs {
    /// The URL to connect to: the explicit one, else the demo or the default embedded file.
    pub fn url(&self, demo: bool) -> String {
        match (&self.database_url, demo) {
            (Some(url), _) => url.clone(),
            (None, true) => DEMO_DATABASE_URL.to_owned(),
            (None, false) => DEFAULT_DATABASE_URL.to_owned(),
        }
    }

    /// The pool size for `url`: the configured one, else 16 connections to PostgreSQL and one per
    /// CPU core to SQLite (at least two, so a read can run beside a write). SQLite runs every
    /// statement on the server's own cores, so more connections only interleave statements, each
    /// connection with its own cold page cache and its own memory (BENCHMARKS.md: national
    /// province overviews peaked at 174–211 MB with 16 connections and 96 MB with 4; with the
    /// breakdowns from their summary, two connections answer the cold overview as fast as four
    /// at c = 1 and faster at c = 4, in 57 MiB, "SQLite's memory under sustained load").
    pub fn max_connections(&self, url: &str) -> u32 {
        self.db_max_connections.unwrap_or_else(|| {
            if url.starts_with("sqlite:") {
                std::thread::available_parallelism().map_or(2, |cores| cores.get() as u32).max(2)
            } else {
                16
            }
        })
    }
}

/// Settings of the HTTP server.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KETNAP_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,

    /// Path of the GraphQL endpoint (POST and GET; browsers get the IDE there).
    #[arg(long, env = "KETNAP_GRAPHQL_PATH", default_value = "/graphql", value_parser = parse_path)]
    pub graphql_path: String,

    /// Start on the separate demo database, filled with the demo tree and pipeline on first start.
    #[arg(long, env = "KETNAP_DEMO")]
    pub demo: bool,

    /// Do not apply pending migrations on start (for deployments that migrate separately).
    #[arg(long, env = "KETNAP_NO_MIGRATE")]
    pub no_migrate: bool,

    /// Origins allowed by CORS, comma-separated (e.g. `https://app.example.org`); `*` allows any.
    #[arg(long, env = "KETNAP_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "KETNAP_BODY_LIMIT_BYTES", default_value_t = 1_048_576)]
    pub body_limit_bytes: usize,

    /// Log format: `text` for people, `json` for log collectors. The level comes from RUST_LOG.
    #[arg(long, env = "KETNAP_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,

    /// Requests a minute each token subject may make (bursts up to the same number); 0 turns the
    /// limit off.
    #[arg(long, env = "KETNAP_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_per_minute: u32,

    /// Deepest selection nesting a query may have.
    #[arg(long, env = "KETNAP_MAX_QUERY_DEPTH", default_value_t = 15)]
    pub max_query_depth: usize,

    /// Most fields a query may select in all (each field counts 1; a list field counts its page size
    /// times its selection).
    #[arg(long, env = "KETNAP_MAX_QUERY_COMPLEXITY", default_value_t = 10_000)]
    pub max_query_complexity: usize,

    /// Points a minute each token subject may spend (bursts up to the same number): a query
    /// costs its complexity (as counted for `--max-query-complexity`), each mutation field
    /// `graphql::cost::MUTATION_FIELD_COST` more; 0 turns the budget off.
    #[arg(long, env = "KETNAP_RATE_LIMIT_POINTS_PER_MINUTE", default_value_t = 100_000)]
    pub rate_limit_points_per_minute: u32,

    /// Longest a request may execute, in milliseconds; it is then answered DEADLINE_EXCEEDED.
    #[arg(long, env = "KETNAP_REQUEST_DEADLINE_MS", default_value_t = 10_000)]
    pub request_deadline_ms: u64,

    /// Largest response, in bytes of JSON; a larger one is answered RESPONSE_TOO_LARGE.
    #[arg(long, env = "KETNAP_MAX_RESPONSE_BYTES", default_value_t = 8 << 20)]
    pub max_response_bytes: usize,

    /// Smallest count a breakdown of people (admissions by ethnicity, religion…) shows a role that
    /// may not read personal records; smaller ones are withheld (README, "Access control"). 0 or 1
    /// turns disclosure control off.
    #[arg(long, env = "KETNAP_DISCLOSURE_THRESHOLD", default_value_t = 5)]
    pub disclosure_threshold: i64,

    /// Refuse introspection (`__schema`, `__type`): for production deployments whose clients are
    /// built against the checked-in schema.graphql.
    #[arg(long, env = "KETNAP_NO_INTROSPECTION")]
    pub no_introspection: bool,

    /// How many GraphQL requests execute at once; more wait their turn (default: four per CPU
    /// core). Bounds the memory of request bursts: a ranking of the 63 provinces holds about a
    /// megabyte while it resolves.
    #[arg(long, env = "KETNAP_MAX_CONCURRENT_REQUESTS")]
    pub max_concurrent_requests: Option<usize>,

    /// How many reads (figures, units, tree structure) the shared read cache keeps until the data
    /// changes; 0 turns it off.
    #[arg(long, env = "KETNAP_READ_CACHE_ENTRIES", default_value_t = 50_000)]
    pub read_cache_entries: usize,

    /// The longest a cached read is served, in seconds: how long a change made outside ketnap
    /// (hand-written SQL) can go unseen. Changes made through ketnap are seen at once.
    #[arg(long, env = "KETNAP_READ_CACHE_SECONDS", default_value_t = 60)]
    pub read_cache_seconds: u64,

    /// The admission dossier (hồ sơ kết nạp) is checked for admissions decided on or after this
    /// day (`DOSSIER_FORM_MISSING` while a required form is not recorded); admissions decided
    /// before it — records migrated from before the system tracked dossiers — are not. `off`
    /// never checks.
    #[arg(long, env = "KETNAP_DOSSIER_REQUIRED_FROM", default_value = DOSSIER_REQUIRED_FROM, value_parser = parse_dossier_day)]
    pub dossier_required_from: String,

    /// Address and port of the Prometheus metrics endpoint (`GET /metrics`, e.g. `127.0.0.1:9464`);
    /// off unless set. It answers without a token: keep it on the monitoring network.
    #[arg(long, env = "KETNAP_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// OpenTelemetry collector to send traces to over OTLP/HTTP (e.g. `http://otel-collector:4318`);
    /// off unless set.
    #[arg(long, env = "KETNAP_OTLP_ENDPOINT", value_parser = parse_http_url)]
    pub otlp_endpoint: Option<String>,

    #[command(flatten)]
    pub tokens: TokenArgs,
}

impl ServeArgs {
    /// What is wrong with these settings taken together (each value alone passed its parser);
    /// empty when they can start a server.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.metrics_listen.is_some_and(|metrics| metrics.port() != 0 && metrics == self.listen) {
            problems.push("metrics-listen must differ from listen: the metrics answer without a token".to_owned());
        }
        if self.body_limit_bytes == 0 {
            problems.push("body-limit-bytes must be above 0".to_owned());
        }
        if self.max_query_depth == 0 || self.max_query_complexity == 0 {
            problems.push("max-query-depth and max-query-complexity must be above 0".to_owned());
        }
        if self.request_deadline_ms == 0 || self.max_response_bytes == 0 {
            problems.push("request-deadline-ms and max-response-bytes must be above 0".to_owned());
        }
        if self.disclosure_threshold < 0 {
            problems.push("disclosure-threshold must be 0 or more".to_owned());
        }
        if self.read_cache_entries > 0 && self.read_cache_seconds == 0 {
            problems.push("read-cache-seconds must be above 0 while the read cache is on".to_owned());
        }
        problems
    }

    /// The settings an operator checks, one per line (no secrets: the token key shows as set).
    pub fn summary(&self) -> String {
        let show = |value: Option<String>| value.unwrap_or_else(|| "off".to_owned());
        [
            format!("listen = {}", self.listen),
            format!("graphql_path = {}", self.graphql_path),
            format!("metrics_listen = {}", show(self.metrics_listen.map(|a| a.to_string()))),
            format!("otlp_endpoint = {}", show(self.otlp_endpoint.clone())),
            format!("rate_limit_per_minute = {}", self.rate_limit_per_minute),
            format!("rate_limit_points_per_minute = {}", self.rate_limit_points_per_minute),
            format!("body_limit_bytes = {}", self.body_limit_bytes),
            format!("request_deadline_ms = {}", self.request_deadline_ms),
            format!("max_response_bytes = {}", self.max_response_bytes),
            format!("disclosure_threshold = {}", self.disclosure_threshold),
            format!("max_query_depth = {}", self.max_query_depth),
            format!("read_cache_entries = {}", self.read_cache_entries),
            format!("read_cache_seconds = {}", self.read_cache_seconds),
            format!("token_key = {}", if self.tokens.is_configured() { "set" } else { "not set" }),
        ]
        .join("\n")
    }

    /// How many requests execute at once: as configured, else four per CPU core.
    pub fn concurrent_requests(&self) -> usize {
        let per_core = || 4 * std::thread::available_parallelism().map_or(2, |cores| cores.get());
        self.max_concurrent_requests.unwrap_or_else(per_core).max(1)
    }

    /// The shared read cache's settings.
    pub fn read_cache(&self) -> CacheSettings {
        CacheSettings { max_entries: self.read_cache_entries, max_age: Duration::from_secs(self.read_cache_seconds) }
    }

    /// The executable schema's limits and switches from these settings, with `token_keys` for
    /// `issueToken` (None where tokens come from an identity provider).
    pub fn schema_options(&self, token_keys: Option<TokenKeys>) -> SchemaOptions {
        SchemaOptions {
            max_depth: self.max_query_depth,
            max_complexity: self.max_query_complexity,
            introspection: !self.no_introspection,
            token_keys,
            read_cache: self.read_cache(),
            concurrent_requests: self.concurrent_requests(),
            points_per_minute: self.rate_limit_points_per_minute,
            deadline: Duration::from_millis(self.request_deadline_ms),
            max_response_bytes: self.max_response_bytes,
            disclosure_threshold: self.disclosure_threshold,
            dossier_required_from: dossier_day(&self.dossier_required_from),
        }
    }
}

impl Default for SchemaOptions {
    /// The defaults of `ServeArgs`, without token issuing.
    fn default() -> Self {
        ServeArgs::default().schema_options(None)
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            graphql_path: "/graphql".into(),
            demo: false,
            no_migrate: false,
            cors_origins: Vec::new(),
            body_limit_bytes: 1_048_576,
            log_format: "text".into(),
            rate_limit_per_minute: 600,
            rate_limit_points_per_minute: 100_000,
            request_deadline_ms: 10_000,
            max_response_bytes: 8 << 20,
            disclosure_threshold: 5,
            max_query_depth: 15,
            max_query_complexity: 10_000,
            no_introspection: false,
            max_concurrent_requests: None,
            read_cache_entries: 50_000,
            read_cache_seconds: 60,
            dossier_required_from: DOSSIER_REQUIRED_FROM.into(),
            metrics_listen: None,
            otlp_endpoint: None,
            tokens: TokenArgs {
                jwt_algorithm: "RS256".into(),
                jwt_audience: "ketnap".into(),
                jwt_issuer: "ketnap".into(),
                ..TokenArgs::default()
            },
        }
    }
}

/// The default first day the dossier is checked on: the admissions of 2026 on, the year this
/// version ships; earlier records load as they are.
const DOSSIER_REQUIRED_FROM: &str = "2026-01-01";

/// `off`, or a day.
fn dossier_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

fn parse_dossier_day(value: &str) -> Result<String, String> {
    if value.trim() == "off" || dossier_day(value).is_some() {
        Ok(value.trim().to_owned())
    } else {
        Err(format!("'{value}' is neither a day (2026-01-01) nor off"))
    }
}

fn parse_http_url(value: &str) -> Result<String, String> {
    if (value.starts_with("http://") || value.starts_with("https://")) && !value.contains(char::is_whitespace) {
        Ok(value.to_owned())
    } else {
        Err("the collector URL must start with http:// or https://".into())
    }
}

fn parse_path(value: &str) -> Result<String, String> {
    if value.starts_with('/') && !value.contains(char::is_whitespace) {
        Ok(value.to_owned())
    } else {
        Err("the GraphQL path must start with '/' and contain no spaces".into())
    }
}

#[cfg(test)]
mod tests {
    use super::{DatabaseArgs, ServeArgs};

    #[test]
    fn the_pool_fits_the_database_unless_configured() {
        let default = DatabaseArgs { database_url: None, db_max_connections: None };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
        assert_eq!(default.max_connections("sqlite://ketnap.db?mode=rwc"), cores.max(2));
        assert_eq!(default.max_connections("postgres://db/ketnap"), 16);
        let configured = DatabaseArgs { database_url: None, db_max_connections: Some(5) };
        assert_eq!(configured.max_connections("sqlite://ketnap.db?mode=rwc"), 5);
        assert_eq!(configured.max_connections("postgres://db/ketnap"), 5);
    }

    #[test]
    fn requests_run_four_per_core_unless_configured() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(ServeArgs::default().concurrent_requests(), 4 * cores);
        let configured = ServeArgs { max_concurrent_requests: Some(3), ..ServeArgs::default() };
        assert_eq!(configured.concurrent_requests(), 3);
        let zero = ServeArgs { max_concurrent_requests: Some(0), ..ServeArgs::default() };
        assert_eq!(zero.concurrent_requests(), 1, "at least one runs");
    }
}
