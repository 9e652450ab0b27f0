//! Opening the database (SQLite file or PostgreSQL), applying migrations, and starting the write
//! transactions every mutation runs in.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::PgSslMode;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, sqlx::sqlite::SqliteJournalMode,
};

/// Prepared statements kept per SQLite connection. sqlx keeps 100 by default; a connection that
/// has answered province overviews holds ~9 MB of their long statements at that size (a national
/// server grew to 80 MiB under sustained overviews), and 16 keep the server at 57 MiB with no
/// measured slowdown: SQLite prepares a statement in microseconds, and PostgreSQL's connections,
/// whose cached statements also keep their plans, keep sqlx's default (BENCHMARKS.md, "SQLite's
/// memory under sustained load").
const SQLITE_STATEMENT_CACHE: usize = 16;

/// Parallel workers a PostgreSQL statement of ours may start (`max_parallel_workers_per_gather`,
/// PostgreSQL's default 2). A request runs its statements side by side on several connections
/// already, so workers only compete with them for the same cores, and each worker repeats the
/// scan it shares out: the funnel's cohort read all 34,350 classes in each of three processes,
/// and the statement took a median 38 ms with workers against 22 ms without (BENCHMARKS.md,
/// "Flows from the stock summaries").
const PG_PARALLEL_WORKERS: &str = "0";

/// PostgreSQL's just-in-time compilation of a statement (`jit`, PostgreSQL's default on above a
/// cost of 100,000). Our statements answer in milliseconds, and compiling one costs 100–170 ms:
/// the funnel's statement, whose cost PostgreSQL estimates as if every person of the cohort were
/// probed (most take their settled fate from `awareness_cohorts` instead), crossed the threshold
/// and took 118–268 ms with it against 21–35 ms without (BENCHMARKS.md, "The awareness cohorts").
const PG_JIT: &str = "off";

/// Connects to `url`. A SQLite file is created when missing and runs in WAL mode with foreign
/// keys on and a busy timeout, so that concurrent writers wait instead of failing. A PostgreSQL
/// server on this machine is reached without TLS unless the URL names an `sslmode`
/// (`is_this_machine`).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    Database::connect(options(url, max_connections)).await
}

/// The connection options `connect` uses, for callers that add to them (tests set a schema).
pub fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let tls_left_to_default = tls_left_to_default(url);
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections.max(1))
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // Ping a pooled connection only after it sat idle, not on every checkout: the ping is a
        // round trip per statement, as much as a dashboard's indexed lookups cost.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .statement_cache_capacity(SQLITE_STATEMENT_CACHE)
        })
        .map_sqlx_postgres_opts(move |opts| {
            let opts = opts.options([("max_parallel_workers_per_gather", PG_PARALLEL_WORKERS), ("jit", PG_JIT)]);
            if tls_left_to_default && is_this_machine(opts.get_host()) {
                opts.ssl_mode(PgSslMode::Disable)
            } else {
                opts
            }
        });
    options
}

/// Whether a PostgreSQL `url` leaves TLS to the driver's default (`prefer`, which encrypts when
/// the server offers it): no `sslmode` in the URL and no `PGSSLMODE` in the environment. Only then
/// does `options` choose for it.
fn tls_left_to_default(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, query)| query).to_ascii_lowercase();
    let named = query.split('&').any(|pair| pair.starts_with("sslmode=") || pair.starts_with("ssl-mode="));
    !named && std::env::var_os("PGSSLMODE").is_none()
}

/// Whether `host` is this machine (a loopback address, `localhost`, or a socket directory), where
/// TLS protects nothing: the bytes never leave the host, and whoever can read them there can read
/// the database's own memory and files. It cost 12 % of the cold drill-down's throughput and
/// 14–29 % of admissions at concurrency 32 on the benchmark machine (BENCHMARKS.md, "TLS to a
/// database on the same machine"), so a URL that leaves TLS to its default connects to this
/// machine without it; any explicit `sslmode` is obeyed.
fn is_this_machine(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with('/')
        || host.trim_matches(|c| c == '[' || c == ']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The migration that added the stock summaries, which are filled from the rows already there.
const STOCKS_MIGRATION: &str = "m20261209_000016_unit_stocks";

/// The migration that added flows to the stock summaries (removals by reason, classes and their
/// attendance), which are recounted with it.
const STOCK_FLOWS_MIGRATION: &str = "m20261212_000019_stock_flows";

/// The migration that added the admissions' summary by profile, filled likewise.
const PROFILES_MIGRATION: &str = "m20261211_000018_unit_month_profiles";

/// The migration that added the awareness cohorts (`sql::cohorts`), filled likewise.
const COHORTS_MIGRATION: &str = "m20261213_000021_awareness_cohorts";

/// The migration that added the figures of a unit's year (`sql::year_figures`), filled likewise
/// from the rollup and the targets.
const YEAR_FIGURES_MIGRATION: &str = "m20261214_000022_unit_year_figures";

/// Applies every pending migration; when it adds the stock summaries (or figures to them), the
/// admissions' summary by profile, the awareness cohorts or the figures of a unit's year, fills
/// them from the rows recorded.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let pending = Migrator::get_pending_migrations(db).await?;
    let adds = |name: &str| pending.iter().any(|migration| migration.name() == name);
    let fills_stocks = adds(STOCKS_MIGRATION) || adds(STOCK_FLOWS_MIGRATION);
    let fills_profiles = adds(PROFILES_MIGRATION);
    let fills_cohorts = adds(COHORTS_MIGRATION);
    let fills_year_figures = adds(YEAR_FIGURES_MIGRATION);
    Migrator::up(db, None).await?;
    if !(fills_stocks || fills_profiles || fills_cohorts || fills_year_figures) {
        return Ok(());
    }
    // One transaction for the fills, so a reader never sees a table added and half filled.
    let filling =
        |what: &'static str| move |err: crate::error::AppError| DbErr::Custom(format!("filling {what}: {err:?}"));
    let txn = db.begin().await?;
    if fills_stocks {
        crate::sql::stocks::recount(&txn, None, None).await.map_err(filling("the stock summaries"))?;
    }
    if fills_profiles {
        crate::sql::profiles::recount(&txn, None, None).await.map_err(filling("the admissions by profile"))?;
    }
    if fills_cohorts {
        crate::sql::cohorts::recount(&txn, None, None).await.map_err(filling("the awareness cohorts"))?;
    }
    if fills_year_figures {
        crate::sql::year_figures::recount(&txn, None, None).await.map_err(filling("the figures of each year"))?;
    }
    txn.commit().await?;
    if fills_year_figures && db.get_database_backend() == DbBackend::Postgres {
        // A table filled in one go has no planner statistics until autovacuum analyses it (never,
        // where it is off): without them the ranking's join estimated 32 rows a probe and took a
        // bitmap scan, at half the speed (BENCHMARKS.md, "The year's figures in one row").
        db.execute_unprepared("ANALYZE unit_year_figures").await?;
    }
    Ok(())
}

/// Begins a write transaction that announces itself as changing anything: what the command line
/// (imports, demo data) writes in. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
/// a deferred transaction that reads and then writes can lose a lock upgrade race with no
/// waiting, whereas an immediate one queues behind the busy timeout. On PostgreSQL it announces
/// the change to every server's read cache, delivered when it commits (`announce`, heard by
/// `cache::changes`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin_unannounced(db).await?;
    announce(&txn, "").await?;
    Ok(txn)
}

/// Begins a write transaction like `begin_write`, without announcing it: the caller announces
/// what it changed (`announce`, with its footprint) once it committed — a mutation, which only
/// knows what it reached once it ran, and announces outside the transaction so that concurrent
/// mutations do not commit one at a time behind PostgreSQL's NOTIFY lock.
pub async fn begin_unannounced(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let mode = match db.get_database_backend() {
        DbBackend::Sqlite => Some(SqliteTransactionMode::Immediate),
        _ => None,
    };
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: mode, ..Default::default() }).await
}

/// Where a write transaction's changes stood when it was marked (`write_mark`), to tell at its
/// end whether it wrote anything (`wrote_since`).
#[derive(Debug, Clone, Copy)]
pub struct WriteMark(Option<i64>);

/// Marks where `txn`'s changes stand. SQLite counts the rows each connection has changed
/// (`total_changes()`), read now; PostgreSQL needs no mark, since a transaction that writes is
/// given a transaction id at its first write.
pub async fn write_mark(txn: &impl ConnectionTrait) -> Result<WriteMark, DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        return Ok(WriteMark(None));
    }
    let row = txn.query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT total_changes() AS n")).await?;
    Ok(WriteMark(row.map(|row| row.try_get::<i64>("", "n")).transpose()?))
}

/// Whether `txn` has changed any row since `mark`: on PostgreSQL whether it has a transaction id
/// (`txid_current_if_assigned()`; taking a row lock gives it one too, which reads as a write); on
/// SQLite whether the connection's count of changed rows moved. A mutation that wrote nothing has
/// nothing for the read cache to forget.
pub async fn wrote_since(txn: &impl ConnectionTrait, mark: WriteMark) -> Result<bool, DbErr> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT COALESCE(txid_current_if_assigned(), -1) AS n",
        _ => "SELECT total_changes() AS n",
    };
    let row = txn.query_one_raw(Statement::from_string(backend, sql)).await?;
    let now = row.map(|row| row.try_get::<i64>("", "n")).transpose()?;
    Ok(match (mark.0, now) {
        (Some(before), Some(now)) => now != before,
        // PostgreSQL: -1 when no transaction id was assigned.
        (None, Some(now)) => now != -1,
        (_, None) => true,
    })
}

/// The channel write transactions announce themselves on, followed by the schema they write
/// (`ketnap_changes.public`): two deployments in one database, each in its own schema, don't
/// empty each other's caches.
pub const CHANNEL: &str = "ketnap_changes";

/// Announces that data changes, with `payload` saying what (a `Footprint`'s payload; empty for
/// anything). Inside a write transaction, PostgreSQL delivers it to every listener when (and
/// only if) the transaction commits; on the pool, at once (a mutation, after its commit). On
/// SQLite, where one server owns the file, this does nothing.
pub async fn announce(txn: &impl ConnectionTrait, payload: &str) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        let sql = format!("SELECT pg_notify('{CHANNEL}.' || current_schema(), $1)");
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(DbBackend::Postgres, sql, [payload.into()])).await?;
    }
    Ok(())
}

/// After a statement failed on a lost connection (PostgreSQL restarted, a backend terminated),
/// checks every idle pooled connection and drops those that are dead too, so that the next
/// statement gets a live one (a new one if need be). The pool tests a connection on acquire only
/// after 30 s idle, so without this a retry could pick another connection killed the same way.
/// Nothing to do on SQLite.
pub async fn discard_dead_connections(db: &DatabaseConnection) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    use sea_orm::sqlx::Connection;
    let pool = db.get_postgres_connection_pool();
    let mut held = Vec::new();
    let mut dropped = 0;
    while let Some(mut connection) = pool.try_acquire() {
        if connection.ping().await.is_ok() {
            held.push(connection);
        } else {
            connection.close_on_drop();
            dropped += 1;
        }
    }
    tracing::warn!(
        db.connections_dropped = dropped,
        "a statement failed on a lost database connection; dead pooled connections dropped"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_is_left_to_the_default_only_when_no_sslmode_is_named() {
        assert!(tls_left_to_default("postgres://u@127.0.0.1:5432/db"));
        assert!(tls_left_to_default("postgres://u@127.0.0.1/db?application_name=ketnap"));
        assert!(!tls_left_to_default("postgres://u@127.0.0.1/db?sslmode=prefer"));
        assert!(!tls_left_to_default("postgres://u@127.0.0.1/db?application_name=k&SSLMode=require"));
        assert!(!tls_left_to_default("postgres://u@127.0.0.1/db?ssl-mode=verify-full"));
    }

    #[test]
    fn this_machine_is_loopback_localhost_or_a_socket() {
        for host in ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST", "/var/run/postgresql"] {
            assert!(is_this_machine(host), "{host}");
        }
        for host in ["10.0.0.5", "db.example.org", "192.168.1.1", "2001:db8::1", "localhost.example.org"] {
            assert!(!is_this_machine(host), "{host}");
        }
    }
}
