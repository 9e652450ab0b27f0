//! Backups that restore: a generated database backed up (`ketnap::backup`) while writes run,
//! restored into a new database, shows the same figures, the audit trail up to the backup, rows
//! that all exist in the original, and a rollup that `rebuild-rollups` leaves unchanged.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_graphql::{Request, Variables};
use ketnap::generate::{GenerateOptions, Scale, generate};
use ketnap::graphql::Api;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, FromQueryResult, JsonValue, Statement};
use serde_json::{Value, json};

use crate::common::{TestApp, national_admin, test_api};

/// Every province's figures for each of the generated years, as a dashboard reads them.
const FIGURES: &str = "query($year: Int!) { provinces(first: 100) { nodes { code stats(period: { year: $year }) {
    admissions assignedTarget resolutionTarget attainment { ratio } recognitions namesDeleted
    probationaryMembers officialMembers cells communes districts inSource nominated removedFromSource } } } }";

const CREATE_CELL: &str = "mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_run_restores_every_figure_and_the_audit_trail() {
    let test = TestApp::new().await;
    generate(&test.db, GenerateOptions { scale: Scale::Small, seed: 5, progress: false }).await.unwrap();
    // The writes go to a province of their own, so the generated ones' figures can be compared.
    let province = test.create_unit("BK", "Bắc Kạn", "PROVINCE", "PROVINCE", None).await;
    let district = test.create_unit("BK.CD", "Chợ Đồn", "DISTRICT", "RURAL_DISTRICT", Some(&province)).await;
    let parent = test.create_unit("BK.CD.BL", "Bằng Lũng", "COMMUNE", "TOWNSHIP", Some(&district)).await;
    let prefix = "BK.CD.BL";

    // A writer adds cells, each with its audit record, until told to stop.
    let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let writer = tokio::spawn({
        let (api, stop, written, parent) = (test.api.clone(), stop.clone(), written.clone(), parent.clone());
        async move {
            while !stop.load(Ordering::SeqCst) {
                let n = written.load(Ordering::SeqCst);
                let input = json!({ "input": { "code": format!("{prefix}.{n}"), "name": format!("Chi bộ {n}"),
                    "level": "CELL", "kind": "VILLAGE", "parentId": parent, "establishedOn": "2020-01-01" } });
                let response = run(&api, CREATE_CELL, input).await;
                assert!(response.get("errors").is_none(), "{response}");
                written.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    while written.load(Ordering::SeqCst) < 3 {
        tokio::task::yield_now().await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ketnap.backup");
    let url = test.postgres().map_or_else(String::new, |(url, _)| url.to_owned());
    let before = written.load(Ordering::SeqCst);
    ketnap::backup::backup(&test.db, &url, &file).await.expect("the backup is written");
    let after = written.load(Ordering::SeqCst);
    while written.load(Ordering::SeqCst) < after + 3 {
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();

    let restored = Restored::new(&test, dir.path(), &file).await;
    let copy = &restored.db;
    let cells = count(copy, &format!("SELECT COUNT(*) AS n FROM units WHERE code LIKE '{prefix}.%'")).await;
    assert!(
        cells >= before as i64 && cells <= after as i64,
        "{before} ≤ {cells} ≤ {after}: the cells written by the backup's start are in it"
    );
    let audited = count(copy, "SELECT COUNT(*) AS n FROM audit_log WHERE operation = 'createUnit'").await;
    let generated = count(&test.db, "SELECT COUNT(*) AS n FROM audit_log WHERE operation = 'createUnit'").await
        - written.load(Ordering::SeqCst) as i64;
    assert_eq!(audited - generated, cells, "each restored cell with its audit record, no more, no less");

    let cache = Arc::new(ketnap::cache::SharedCache::off());
    let (original_api, copy_api) = (test_api(&test.db, &cache), test_api(copy, &cache));
    for year in 2015..=2026 {
        let mut original = run(&original_api, FIGURES, json!({ "year": year })).await;
        let mut restored = run(&copy_api, FIGURES, json!({ "year": year })).await;
        assert!(original.get("errors").is_none(), "{original}");
        let written_to = |figures: &mut Value| {
            let provinces = figures["data"]["provinces"]["nodes"].as_array_mut().unwrap();
            let at = provinces.iter().position(|p| p["code"] == "BK").unwrap();
            provinces.remove(at)["stats"]["cells"].as_i64().unwrap()
        };
        let expected = if year >= 2020 { cells } else { 0 };
        assert_eq!(written_to(&mut restored), expected, "the written cells, counted in {year}");
        written_to(&mut original);
        assert_eq!(restored, original, "the generated provinces' figures of {year}");
    }

    let original_audit = rows(&test.db, "audit_log").await;
    let restored_audit = rows(copy, "audit_log").await;
    assert_eq!(restored_audit[..], original_audit[..restored_audit.len()], "the audit trail up to the backup");
    // The stock summaries accumulate changes, so a row of the backup can differ from the
    // original's later sum: they are checked against their own rows' recount below.
    let accumulated = ["unit_stock_days", "unit_stock_months"];
    for table in tables(copy).await.into_iter().filter(|table| !accumulated.contains(&table.as_str())) {
        let original = rows(&test.db, &table).await;
        for row in rows(copy, &table).await {
            assert!(original.contains(&row), "{table}: {row} is not in the original");
        }
    }
    // Read before the rebuild, so the stocks compared are the restored ones, not the rebuilt.
    let rollup = rows(copy, "unit_month_counts").await;
    assert!(!rollup.is_empty());
    let stocks = (rows(copy, accumulated[0]).await, rows(copy, accumulated[1]).await);
    assert!(!stocks.0.is_empty() && !stocks.1.is_empty());
    ketnap::domain::rollup::rebuild_all(copy).await.unwrap();
    assert_eq!(rows(copy, "unit_month_counts").await, rollup, "rebuild-rollups changes nothing");
    assert_eq!(rollup, rows(&test.db, "unit_month_counts").await);
    let rebuilt = (rows(copy, accumulated[0]).await, rows(copy, accumulated[1]).await);
    assert_eq!(rebuilt, stocks, "the restored stock summaries are those of the restored rows");
}

async fn run(api: &Api, query: &str, variables: Value) -> Value {
    let request = Request::new(query).variables(Variables::from_json(variables));
    serde_json::to_value(api.execute(request, national_admin()).await).unwrap()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let statement = Statement::from_string(db.get_database_backend(), sql);
    Count::find_by_statement(statement).one(db).await.unwrap().unwrap().n
}

/// Every row of `table`, as JSON, in the order of its first column.
async fn rows(db: &DatabaseConnection, table: &str) -> Vec<Value> {
    let statement = Statement::from_string(db.get_database_backend(), format!("SELECT * FROM {table} ORDER BY 1"));
    let mut rows = JsonValue::find_by_statement(statement).all(db).await.unwrap();
    rows.sort_by_key(|row| row.to_string());
    rows
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    #[derive(FromQueryResult)]
    struct Table {
        name: String,
    }
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let found: Vec<String> =
        Table::find_by_statement(statement).all(db).await.unwrap().into_iter().map(|t| t.name).collect();
    assert!(found.len() >= 10, "{found:?}");
    found
}

/// The backup restored into a new database: a new SQLite file, or a new PostgreSQL database
/// (dropped at the end) holding the test's schema.
struct Restored {
    db: DatabaseConnection,
    postgres: Option<(String, String)>,
}

impl Restored {
    async fn new(test: &TestApp, dir: &std::path::Path, file: &std::path::Path) -> Self {
        let Some((url, schema)) = test.postgres() else {
            let url = format!("sqlite://{}?mode=rwc", dir.join("restored.db").display());
            ketnap::backup::restore(&url, file).await.expect("the backup restores");
            return Restored { db: ketnap::db::connect(&url, 2).await.unwrap(), postgres: None };
        };
        let name = format!("{schema}_restored");
        let admin = Database::connect(url).await.unwrap();
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
        admin.close().await.ok();
        let (server, _) = url.rsplit_once('/').unwrap();
        let target = format!("{server}/{name}");
        ketnap::backup::restore(&target, file).await.expect("the backup restores");
        let mut options = ketnap::db::options(&target, 2);
        options.set_schema_search_path(schema.to_owned());
        Restored { db: Database::connect(options).await.unwrap(), postgres: Some((url.to_owned(), name)) }
    }
}

impl Drop for Restored {
    /// Drops the restored PostgreSQL database, also when an assertion failed.
    fn drop(&mut self) {
        let Some((url, name)) = self.postgres.take() else { return };
        let dropping = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                // FORCE ends the restored pool's connections.
                let admin = Database::connect(&url).await.unwrap();
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
                admin.close().await.ok();
            });
        });
        let _ = dropping.join();
    }
}
