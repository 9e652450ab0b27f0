//! What ketnap tells the people who run it: Prometheus metrics (this file) and OpenTelemetry
//! traces (`traces`). On the ground floor so every layer can record; the endpoint that serves the
//! metrics is `http::metrics`.
//!
//! Recording goes through the `metrics` facade: until `install` puts the Prometheus recorder in
//! place (`--metrics-listen`), every call here is a no-op costing an atomic load.

pub mod traces;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DbBackend};

/// GraphQL requests, by `operation` (its name, `anonymous` without one) and outcome `code` (`OK`
/// or the first error's `extensions.code`).
pub const REQUESTS: &str = "ketnap_requests_total";
/// Time from the request reaching the API to its response, by `operation`.
pub const REQUEST_SECONDS: &str = "ketnap_request_duration_seconds";
/// SQL statements one request ran, by `operation`.
pub const REQUEST_STATEMENTS: &str = "ketnap_request_statements";
/// Time a request waited for an execution permit (`--max-concurrent-requests`).
pub const QUEUE_SECONDS: &str = "ketnap_request_queue_seconds";
/// Time each SQL statement took on its connection, by `outcome` (ok, error).
pub const STATEMENT_SECONDS: &str = "ketnap_statement_duration_seconds";
/// Read-cache lookups answered from the cache, per key.
pub const CACHE_HITS: &str = "ketnap_read_cache_hits_total";
/// Read-cache lookups that went to the database, per key.
pub const CACHE_MISSES: &str = "ketnap_read_cache_misses_total";
/// Times the read cache forgot, by `reason` and `scope` (`all`: the cache forgets everything).
pub const CACHE_INVALIDATIONS: &str = "ketnap_read_cache_invalidations_total";
/// Entries the read cache holds.
pub const CACHE_ENTRIES: &str = "ketnap_read_cache_entries";
/// Pooled database connections, by `state` (idle, in_use), and the pool's `max`.
pub const POOL_CONNECTIONS: &str = "ketnap_db_pool_connections";
/// The pool's largest size.
pub const POOL_MAX: &str = "ketnap_db_pool_max_connections";
/// GraphQL requests executing now (holding one of the `--max-concurrent-requests` permits).
pub const REQUESTS_RUNNING: &str = "ketnap_requests_running";
/// 1 while the PostgreSQL change listener is connected, 0 while it is not (the read cache is off).
pub const LISTENER_CONNECTED: &str = "ketnap_change_listener_connected";
/// Times the change listener lost its connection.
pub const LISTENER_DISCONNECTS: &str = "ketnap_change_listener_disconnects_total";
/// Requests refused by the per-user rate limit.
pub const RATE_LIMITED: &str = "ketnap_rate_limit_refusals_total";
/// Rows of unit lists' `nodes`, by `operation` and by how they were `answered`: `plain` (values
/// in hand, no resolver per field: `graphql::unit::plain_rows`) or `resolvers` (field by field).
pub const UNIT_LIST_ROWS: &str = "ketnap_unit_list_rows_total";
/// Always 1, labelled with the `version` and the `database` kind.
pub const BUILD_INFO: &str = "ketnap_build_info";

/// How many distinct operation names are kept as labels; later ones count as `other`, so a
/// client that names each request differently cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 500;

/// Installs the Prometheus recorder (once per process; later calls get the same handle) and
/// records the build information.
pub fn install(backend: DbBackend) -> Result<PrometheusHandle, String> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    let handle = match HANDLE.get() {
        Some(handle) => handle.clone(),
        None => {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("seconds".into()), &SECONDS_BUCKETS)
                .and_then(|builder| {
                    builder.set_buckets_for_metric(Matcher::Full(REQUEST_STATEMENTS.into()), &STATEMENT_BUCKETS)
                })
                .map_err(|err| format!("cannot set up the metrics: {err}"))?;
            let handle = built.install_recorder().map_err(|err| format!("cannot install the metrics: {err}"))?;
            HANDLE.get_or_init(|| handle).clone()
        }
    };
    describe();
    let database = if backend == DbBackend::Postgres { "postgresql" } else { "sqlite" };
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION"), "database" => database).set(1.0);
    Ok(handle)
}

/// Latency buckets, in seconds: from a cached answer (a millisecond) to a national ranking.
const SECONDS_BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Statements per request: 0 (all from the cache) to the few dozen of a large page.
const STATEMENT_BUCKETS: [f64; 10] = [0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 55.0];

fn describe() {
    metrics::describe_counter!(REQUESTS, "GraphQL requests by operation name and outcome code");
    metrics::describe_histogram!(REQUEST_SECONDS, metrics::Unit::Seconds, "GraphQL request latency");
    metrics::describe_histogram!(REQUEST_STATEMENTS, "SQL statements per GraphQL request");
    metrics::describe_histogram!(QUEUE_SECONDS, metrics::Unit::Seconds, "time waiting for an execution permit");
    metrics::describe_histogram!(STATEMENT_SECONDS, metrics::Unit::Seconds, "SQL statement latency");
    metrics::describe_counter!(CACHE_HITS, "read-cache keys answered from the cache");
    metrics::describe_counter!(CACHE_MISSES, "read-cache keys read from the database");
    metrics::describe_counter!(CACHE_INVALIDATIONS, "times the read cache forgot, by reason and scope");
    metrics::describe_gauge!(CACHE_ENTRIES, "entries in the read cache");
    metrics::describe_gauge!(POOL_CONNECTIONS, "pooled database connections by state");
    metrics::describe_gauge!(POOL_MAX, "largest size of the database pool");
    metrics::describe_gauge!(REQUESTS_RUNNING, "GraphQL requests executing now");
    metrics::describe_gauge!(LISTENER_CONNECTED, "1 while the PostgreSQL change listener is connected");
    metrics::describe_counter!(LISTENER_DISCONNECTS, "times the change listener lost its connection");
    metrics::describe_counter!(RATE_LIMITED, "requests refused by the per-user rate limit");
    metrics::describe_counter!(UNIT_LIST_ROWS, "rows of unit lists by operation, answered plainly or by resolvers");
    metrics::describe_gauge!(BUILD_INFO, "build information");
}

/// The label an operation is counted under: its name when it is a GraphQL name (letters, digits,
/// underscores) among the first `MAX_OPERATIONS` seen, `anonymous` without one, else `other`.
pub fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> = OnceLock::new();
    let Some(name) = name.filter(|name| !name.is_empty()) else { return "anonymous".into() };
    let is_name = name.len() <= 100
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !is_name {
        return "other".into();
    }
    let seen = SEEN.get_or_init(Default::default);
    let mut seen = seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if seen.contains(name) || (seen.len() < MAX_OPERATIONS && seen.insert(name.to_owned())) {
        name.to_owned()
    } else {
        "other".into()
    }
}

/// One GraphQL request answered: its operation label, outcome code, latency and what it did.
pub fn request_finished(operation: &str, code: &str, elapsed: Duration, work: &RequestWork) {
    counter!(REQUESTS, "operation" => operation.to_owned(), "code" => code.to_owned()).increment(1);
    histogram!(REQUEST_SECONDS, "operation" => operation.to_owned()).record(elapsed.as_secs_f64());
    histogram!(REQUEST_STATEMENTS, "operation" => operation.to_owned()).record(work.statements as f64);
    for (answered, rows) in [("plain", work.plain_rows), ("resolvers", work.resolved_rows)] {
        if rows > 0 {
            counter!(UNIT_LIST_ROWS, "operation" => operation.to_owned(), "answered" => answered).increment(rows);
        }
    }
}

/// A request refused before it reached the API (no or a bad token, the rate limit).
pub fn request_refused(code: &str) {
    counter!(REQUESTS, "operation" => "unknown", "code" => code.to_owned()).increment(1);
    if code == "RATE_LIMITED" {
        counter!(RATE_LIMITED).increment(1);
    }
}

/// A request waited `waited` for its execution permit.
pub fn request_queued(waited: Duration) {
    histogram!(QUEUE_SECONDS).record(waited.as_secs_f64());
}

/// What one request did, as `tallying` counted it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestWork {
    /// SQL statements run.
    pub statements: u64,
    /// Rows of unit lists answered plainly (`graphql::unit::plain_rows`).
    pub plain_rows: u64,
    /// Rows of unit lists answered field by field.
    pub resolved_rows: u64,
}

/// The counters of the request of the current task.
#[derive(Default)]
struct Tally {
    statements: AtomicU64,
    plain_rows: AtomicU64,
    resolved_rows: AtomicU64,
}

tokio::task_local! {
    /// What the request of the current task did so far (its DataLoader batches run in the same
    /// task: `graphql::batching`).
    static TALLY: Tally;
}

/// Runs `request`, counting the SQL statements it runs and the unit list rows it answers;
/// returns its output and the counts.
pub async fn tallying<F: Future>(request: F) -> (F::Output, RequestWork) {
    TALLY
        .scope(Tally::default(), async {
            let output = request.await;
            let work = TALLY.with(|tally| RequestWork {
                statements: tally.statements.load(Ordering::Relaxed),
                plain_rows: tally.plain_rows.load(Ordering::Relaxed),
                resolved_rows: tally.resolved_rows.load(Ordering::Relaxed),
            });
            (output, work)
        })
        .await
}

/// The current request answered `rows` rows of a unit list, plainly or by resolvers.
pub fn unit_list_rows(plain: bool, rows: usize) {
    let _ = TALLY.try_with(|tally| {
        let counter = if plain { &tally.plain_rows } else { &tally.resolved_rows };
        counter.fetch_add(rows as u64, Ordering::Relaxed)
    });
}

/// Records every statement `db` runs: its latency, and one more for the running request.
pub fn observe_statements(db: &mut DatabaseConnection) {
    db.set_metric_callback(|info| {
        let _ = TALLY.try_with(|tally| tally.statements.fetch_add(1, Ordering::Relaxed));
        let outcome = if info.failed { "error" } else { "ok" };
        histogram!(STATEMENT_SECONDS, "outcome" => outcome).record(info.elapsed.as_secs_f64());
    });
}

/// Read-cache lookup: `hits` keys answered from the cache, `misses` read from the database.
pub fn cache_lookup(hits: usize, misses: usize) {
    if hits > 0 {
        counter!(CACHE_HITS).increment(hits as u64);
    }
    if misses > 0 {
        counter!(CACHE_MISSES).increment(misses as u64);
    }
}

/// The read cache forgot everything, for `reason` (change, suspended, resumed, full, day).
pub fn cache_forgot(reason: &'static str) {
    counter!(CACHE_INVALIDATIONS, "reason" => reason, "scope" => "all").increment(1);
    gauge!(CACHE_ENTRIES).set(0.0);
}

/// The read cache forgot the entries a change reached (the subtrees it touched), for `reason`,
/// and holds `entries` after.
pub fn cache_forgot_reached(reason: &'static str, entries: usize) {
    counter!(CACHE_INVALIDATIONS, "reason" => reason, "scope" => "reached").increment(1);
    gauge!(CACHE_ENTRIES).set(entries as f64);
}

/// The number of entries the read cache holds.
pub fn cache_size(entries: usize) {
    gauge!(CACHE_ENTRIES).set(entries as f64);
}

/// The change listener connected (`true`) or lost its connection (`false`).
pub fn listener(connected: bool) {
    gauge!(LISTENER_CONNECTED).set(if connected { 1.0 } else { 0.0 });
    if !connected {
        counter!(LISTENER_DISCONNECTS).increment(1);
    }
}

/// Samples, at scrape time, what is only known by asking: the pool's connections and the
/// requests `running`.
pub fn sample(db: &DatabaseConnection, running: usize) {
    let (size, idle, max) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
    };
    gauge!(POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
    gauge!(POOL_CONNECTIONS, "state" => "in_use").set(size.saturating_sub(idle as u32) as f64);
    gauge!(POOL_MAX).set(f64::from(max));
    gauge!(REQUESTS_RUNNING).set(running as f64);
}

#[cfg(test)]
mod tests {
    use super::operation_label;

    #[test]
    fn operation_labels_are_names_or_a_fixed_word() {
        assert_eq!(operation_label(Some("ProvinceDashboard")), "ProvinceDashboard");
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("")), "anonymous");
        assert_eq!(operation_label(Some("Nguyễn Văn A")), "other", "not a GraphQL name");
        assert_eq!(operation_label(Some("1abc")), "other");
    }
}
