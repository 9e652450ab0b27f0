//! Plans the benchmarks depend on, read from the database's own `EXPLAIN`. SQLite plans without
//! table statistics, so the plan a test database gets is the one a national database gets: there
//! the statement must reach its rows through the index meant for it. PostgreSQL plans by
//! statistics, which a test database does not have at scale, so there the test checks that the
//! index exists with its columns in order (BENCHMARKS.md measures what it does at scale).

use chrono::NaiveDate;
use ketnap::domain::period::{Period, PeriodSpec};
use ketnap::sql::dated::Units;
use ketnap::stats::funnel::fates_select;
use sea_orm::{ConnectionTrait, Statement};

use crate::common::TestApp;

/// The columns of `index`, in order, as the database lists them.
async fn index_columns(app: &TestApp, index: &str) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let sql = if app.is_postgres() {
        format!(
            "SELECT a.attname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() \
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
             WHERE c.relname = '{index}' ORDER BY k.position"
        )
    } else {
        format!("SELECT name FROM pragma_index_info('{index}') ORDER BY seqno")
    };
    let rows = app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter().map(|row| row.try_get::<String>("", "name").unwrap()).collect()
}

/// SQLite's plan of the funnel's statement (`EXPLAIN QUERY PLAN`), one step per line.
async fn sqlite_funnel_plan(app: &TestApp) -> Vec<String> {
    let period = Period::resolve(PeriodSpec::Year(2025), None).unwrap();
    let observed = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let (sql, values) = fates_select(&Units::Ids(&[1]), &period, observed);
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let backend = app.db.get_database_backend();
    let rows = app.db.query_all_raw(Statement::from_sql_and_values(backend, explain, values)).await.unwrap();
    rows.iter().map(|row| row.try_get::<String>("", "detail").unwrap()).collect()
}

#[tokio::test]
async fn the_funnel_cohort_reads_each_class_s_enrolments_from_their_index_alone() {
    let app = TestApp::new().await;
    assert_eq!(
        index_columns(&app, "ix_enrolments_class_result").await,
        ["class_id", "result", "certificate_date", "person_id"],
        "the enrolments index the funnel's cohort and class attendance read"
    );
    if app.is_postgres() {
        return;
    }
    let plan = sqlite_funnel_plan(&app).await;
    assert!(
        plan.iter().any(|step| step.contains("USING COVERING INDEX ix_enrolments_class_result")),
        "the cohort should read enrolments by class, result and date from the index: {plan:#?}"
    );
}

/// The funnel's fates read each person's nominations (and, on PostgreSQL, admission) from indexes
/// holding the dates and the removal reason, not from the tables (`m20261212_000020_fate_indexes`).
#[tokio::test]
async fn the_funnel_fates_read_each_person_s_dates_from_their_indexes_alone() {
    let app = TestApp::new().await;
    assert_eq!(
        index_columns(&app, "ix_nominations_person_fate").await,
        ["person_id", "nominated_on", "removed_on", "removal_reason"],
        "the nominations index the fates read"
    );
    assert_eq!(
        index_columns(&app, "ix_admissions_person_decided").await,
        ["person_id", "decision_date"],
        "the admissions index the fates read"
    );
    if app.is_postgres() {
        return;
    }
    let plan = sqlite_funnel_plan(&app).await;
    // SQLite reaches a person's one admission through the unique index on `person_id` (one row
    // at most); PostgreSQL, planning by statistics, reads the dates from the index alone.
    let covered =
        |index: &str| plan.iter().filter(|step| step.contains(&format!("USING COVERING INDEX {index}"))).count();
    assert_eq!(covered("ix_nominations_person_fate"), 3, "every probe of nominations reads the index alone: {plan:#?}");
}

/// PostgreSQL runs the server's statements without parallel workers and without just-in-time
/// compilation: the settings come with every connection of the pool (`db::options`), whatever the
/// server's defaults.
#[tokio::test]
async fn postgres_connections_start_without_parallel_workers_or_jit() {
    let app = TestApp::new().await;
    if !app.is_postgres() {
        return;
    }
    let backend = app.db.get_database_backend();
    let sql = "SELECT current_setting('max_parallel_workers_per_gather') AS workers, current_setting('jit') AS jit";
    for _ in 0..3 {
        let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        assert_eq!(row.try_get::<String>("", "workers").unwrap(), "0");
        assert_eq!(row.try_get::<String>("", "jit").unwrap(), "off");
    }
}

/// A database on this machine is reached without TLS when the URL leaves `sslmode` to its
/// default (`db::options`: encryption that never leaves the host protects nothing and cost 12–29 %
/// of throughput), and an explicit `sslmode` is obeyed.
#[tokio::test]
async fn a_database_on_this_machine_is_reached_without_tls_unless_the_url_asks_for_it() {
    let app = TestApp::new().await;
    if !app.is_postgres() {
        return;
    }
    let url = std::env::var(crate::common::PG_URL_VAR).unwrap();
    assert!(
        !url.contains("sslmode") && std::env::var_os("PGSSLMODE").is_none(),
        "the test URL leaves TLS to its default"
    );
    let sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    let encrypted = |db: sea_orm::DatabaseConnection| async move {
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        row.try_get::<bool>("", "ssl").unwrap()
    };
    assert!(!encrypted(app.db.clone()).await, "{url}: the pool's connections are not encrypted");
    let offered = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), "SHOW ssl")).await;
    if offered.unwrap().unwrap().try_get::<String>("", "ssl").unwrap() == "on" {
        let separator = if url.contains('?') { '&' } else { '?' };
        let required = ketnap::db::connect(&format!("{url}{separator}sslmode=require"), 1).await.unwrap();
        assert!(encrypted(required).await, "an explicit sslmode=require is obeyed");
    }
}
