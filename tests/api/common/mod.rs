//! `TestApp`: the real schema over a fresh database, and helpers that read like the domain.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod people;
pub mod pipeline;
pub mod rows;

use std::sync::Arc;

use async_graphql::{Request, Variables};
use ketnap::auth::token::TokenKeys;
use ketnap::auth::{Principal, Role, Scope};
use ketnap::cache::SharedCache;
use ketnap::config::ServeArgs;
use ketnap::graphql::{Api, SchemaOptions};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// The environment variable naming a PostgreSQL server to run the data tests against.
pub const PG_URL_VAR: &str = "KETNAP_TEST_DATABASE_URL";

/// The HS256 secret the tests sign and verify tokens with.
pub const TEST_SECRET: &str = "test secret of ketnap, 32+ bytes long";

/// The keys the test schema issues tokens with.
pub fn test_keys() -> TokenKeys {
    TokenKeys::from_secret(TEST_SECRET.as_bytes(), "ketnap", "ketnap").expect("a long enough secret")
}

/// The API as the server builds it, with token issuing, over `db` and reading through `cache`.
pub fn test_api(db: &DatabaseConnection, cache: &Arc<SharedCache>) -> Api {
    let options = SchemaOptions { token_keys: Some(test_keys()), ..SchemaOptions::default() };
    Api::with_cache(db.clone(), options, cache.clone())
}

/// A country-wide administrator: what most tests act as.
pub fn national_admin() -> Principal {
    Principal::system_admin("test")
}

/// The application over its own database, dropped with it.
pub struct TestApp {
    pub db: DatabaseConnection,
    pub api: Api,
    /// The shared read cache, on as in the server: every test that writes and then reads checks
    /// that a write makes it forget.
    pub cache: Arc<SharedCache>,
    _sqlite_dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestApp {
    /// A migrated, empty database.
    pub async fn new() -> Self {
        let (db, sqlite_dir, pg_schema) = match std::env::var(PG_URL_VAR).ok().filter(|url| !url.is_empty()) {
            Some(url) => {
                let name = format!("t_{}", rand::random::<u64>());
                let admin = Database::connect(&url).await.expect("connect to the test PostgreSQL server");
                admin.execute_unprepared(&format!("CREATE SCHEMA {name}")).await.expect("create the test schema");
                admin.close().await.ok();
                let mut options = ketnap::db::options(&url, 5);
                options.set_schema_search_path(name.clone()).set_application_name(name.clone());
                let db = Database::connect(options).await.expect("connect in the test schema");
                (db, None, Some((url, name)))
            }
            None => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                let db = ketnap::db::connect(&url, 5).await.expect("open the test SQLite file");
                (db, Some(dir), None)
            }
        };
        ketnap::db::migrate(&db).await.expect("migrations apply");
        let cache = Arc::new(SharedCache::new(ServeArgs::default().read_cache()));
        TestApp { api: test_api(&db, &cache), db, cache, _sqlite_dir: sqlite_dir, pg_schema }
    }

    /// Recounts the per-unit, per-month rollup, as a bulk load does: for fixtures that insert
    /// admissions as raw rows rather than through the domain (which keeps the rollup itself).
    pub async fn rebuild_rollups(&self) {
        ketnap::domain::rollup::rebuild_all(&self.db).await.expect("the rollup rebuilds");
        // The fixtures wrote rows behind the API's back, as a bulk load does: on PostgreSQL the
        // rebuild's announcement tells a listening server, and these tests have no listener.
        self.cache.changed(&ketnap::cache::Footprint::Everything);
    }

    /// On PostgreSQL, the server's URL and the test's schema.
    pub fn postgres(&self) -> Option<(&str, &str)> {
        self.pg_schema.as_ref().map(|(url, schema)| (url.as_str(), schema.as_str()))
    }

    /// Whether this run is on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.pg_schema.is_some()
    }

    /// Runs a GraphQL document as a country-wide administrator and returns the whole response as
    /// JSON (`data`, `errors`).
    pub async fn run(&self, query: &str, variables: Value) -> Value {
        self.run_as(&national_admin(), query, variables).await
    }

    /// Runs a GraphQL document as `principal`.
    pub async fn run_as(&self, principal: &Principal, query: &str, variables: Value) -> Value {
        let request = Request::new(query).variables(Variables::from_json(variables));
        let response = self.api.execute(request, principal.clone()).await;
        serde_json::to_value(&response).expect("responses serialize")
    }

    /// A user with `role` scoped to the unit with `code` (`*` for the whole country).
    pub async fn user(&self, role: Role, code: &str) -> Principal {
        let scope = if code == "*" {
            Scope::Country
        } else {
            let data = self.ok("query($code: String!) { unit(code: $code) { id } }", json!({ "code": code })).await;
            let (_, id) = ketnap::graphql::ids::from_global(&async_graphql::ID(
                data["unit"]["id"].as_str().expect("an id").to_owned(),
            ))
            .expect("a unit ID");
            Scope::Subtree { unit_id: id, code: code.to_owned() }
        };
        Principal { subject: format!("{role}@{code}"), name: format!("{role} of {code}"), role, scope }
    }

    /// Runs `query` as a country-wide administrator on a connection that counts its statements;
    /// returns the count and the data (the query must succeed).
    pub async fn statements_for(&self, query: &str, variables: Value) -> (usize, Value) {
        self.statements_through(&Arc::new(SharedCache::new(ServeArgs::default().read_cache())), query, variables).await
    }

    /// `statements_for`, reading through `cache` (which may remember an earlier request's reads).
    pub async fn statements_through(&self, cache: &Arc<SharedCache>, query: &str, variables: Value) -> (usize, Value) {
        let (texts, data) = self.recorded(cache, query, variables).await;
        (texts.len(), data)
    }

    /// Runs `query` as a country-wide administrator through `cache` on a connection that records
    /// the text of every statement it sends; returns the texts, in order, and the data (the query
    /// must succeed).
    pub async fn recorded(&self, cache: &Arc<SharedCache>, query: &str, variables: Value) -> (Vec<String>, Value) {
        let texts = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut db = self.db.clone();
        let seen = texts.clone();
        db.set_metric_callback(move |info| seen.lock().unwrap().push(info.statement.sql.clone()));
        let api = test_api(&db, cache);
        let request = Request::new(query).variables(Variables::from_json(variables));
        let response = api.execute(request, national_admin()).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = serde_json::to_value(&response.data).expect("data serializes");
        (std::mem::take(&mut *texts.lock().unwrap()), data)
    }

    /// A fresh database with the demo data loaded (`ketnap::demo::seed`).
    pub async fn with_demo() -> TestApp {
        let app = TestApp::new().await;
        assert!(ketnap::demo::seed(&app.db).await.unwrap_or_else(|err| panic!("the demo loads: {err:?}")));
        app
    }

    /// Undoes the migration `version`, which added `table`, as a database from before it would be
    /// (the table dropped, the migration marked pending again), and applies the pending
    /// migrations as an upgrade does (`db::migrate`, with the fills it makes).
    pub async fn upgrade_from_before(&self, table: &str, version: &str) {
        self.db.execute_unprepared(&format!("DROP TABLE {table}")).await.unwrap();
        let forget = format!("DELETE FROM seaql_migrations WHERE version = '{version}'");
        self.db.execute_unprepared(&forget).await.unwrap();
        ketnap::db::migrate(&self.db).await.unwrap();
    }

    /// Runs `query` as a country-wide administrator with the read cache off and returns the text
    /// of every statement it sent, in order (the query must succeed).
    pub async fn statement_texts_for(&self, query: &str, variables: Value) -> Vec<String> {
        let cache = Arc::new(SharedCache::new(ketnap::cache::CacheSettings::OFF));
        self.recorded(&cache, query, variables).await.0
    }

    /// Runs a document that must succeed and returns its `data`.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        let response = self.run(query, variables).await;
        assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
        response["data"].clone()
    }

    /// Runs a document that must fail and returns its first error.
    pub async fn error(&self, query: &str, variables: Value) -> Value {
        let response = self.run(query, variables).await;
        let errors = response["errors"].as_array().unwrap_or_else(|| panic!("expected an error: {response:#}"));
        errors[0].clone()
    }

    /// Runs a document that must fail and returns its first error's `extensions.code`.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let error = self.error(query, variables).await;
        error["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no code on {error:#}")).to_owned()
    }

    /// Creates a unit and returns its global ID.
    pub async fn create_unit(&self, code: &str, name: &str, level: &str, kind: &str, parent: Option<&str>) -> String {
        self.create_unit_on(code, name, level, kind, parent, "2000-01-01").await
    }

    /// Creates a unit established on `date` and returns its global ID.
    pub async fn create_unit_on(
        &self,
        code: &str,
        name: &str,
        level: &str,
        kind: &str,
        parent: Option<&str>,
        date: &str,
    ) -> String {
        let data = self
            .ok(
                "mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }",
                json!({ "input": { "code": code, "name": name, "level": level, "kind": kind,
                                   "parentId": parent, "establishedOn": date } }),
            )
            .await;
        data["createUnit"]["unit"]["id"].as_str().expect("an id").to_owned()
    }

    /// The ID of the unit with `code`.
    pub async fn unit_id(&self, code: &str) -> String {
        let data = self.ok("query($code: String!) { unit(code: $code) { id } }", json!({ "code": code })).await;
        data["unit"]["id"].as_str().expect("an id").to_owned()
    }
}

impl Drop for TestApp {
    /// Drops the PostgreSQL schema (the SQLite file goes with its temporary directory).
    fn drop(&mut self) {
        if let Some((url, name)) = self.pg_schema.take() {
            let handle = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(&url).await {
                        // The test's pool may still hold connections: end them so the drop cannot wait.
                        let _ = admin
                            .execute_unprepared(&format!(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
                            ))
                            .await;
                        let _ = admin.execute_unprepared(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await;
                        let _ = admin.close().await;
                    }
                });
            });
            let _ = handle.join();
        }
    }
}

/// A small tree from the articles: Điện Biên → Tủa Chùa → Xá Nhè → Chi bộ bản San Súi, and
/// Mường Chà → Hừa Ngài; and Quảng Nam → Núi Thành.
pub async fn article_tree(app: &TestApp) -> Tree {
    let dien_bien = app.create_unit("DB", "Điện Biên", "PROVINCE", "PROVINCE", None).await;
    let tua_chua = app.create_unit("DB.TC", "Tủa Chùa", "DISTRICT", "RURAL_DISTRICT", Some(&dien_bien)).await;
    let muong_cha = app.create_unit("DB.MC", "Mường Chà", "DISTRICT", "RURAL_DISTRICT", Some(&dien_bien)).await;
    let xa_nhe = app.create_unit("DB.TC.XN", "Xá Nhè", "COMMUNE", "COMMUNE", Some(&tua_chua)).await;
    let hua_ngai = app.create_unit("DB.MC.HN", "Hừa Ngài", "COMMUNE", "COMMUNE", Some(&muong_cha)).await;
    let san_sui = app.create_unit("DB.TC.XN.SS", "Chi bộ bản San Súi", "CELL", "VILLAGE", Some(&xa_nhe)).await;
    let quang_nam = app.create_unit("QN", "Quảng Nam", "PROVINCE", "PROVINCE", None).await;
    let nui_thanh = app.create_unit("QN.NT", "Núi Thành", "DISTRICT", "RURAL_DISTRICT", Some(&quang_nam)).await;
    Tree { dien_bien, tua_chua, muong_cha, xa_nhe, hua_ngai, san_sui, quang_nam, nui_thanh }
}

/// IDs of the units of `article_tree`.
pub struct Tree {
    pub dien_bien: String,
    pub tua_chua: String,
    pub muong_cha: String,
    pub xa_nhe: String,
    pub hua_ngai: String,
    pub san_sui: String,
    pub quang_nam: String,
    pub nui_thanh: String,
}

/// The `extensions.code` and `extensions.rule` of an error, compared with `("VALIDATION", "PAGE_SIZE")`.
#[derive(Debug)]
pub struct RuleOf {
    pub code: String,
    pub rule: String,
}

impl PartialEq<(&str, &str)> for RuleOf {
    fn eq(&self, (code, rule): &(&str, &str)) -> bool {
        self.code == *code && self.rule == *rule
    }
}

/// How `error` (one entry of `errors`) was refused.
pub fn rule_of(error: &Value) -> RuleOf {
    let text = |value: &Value| value.as_str().unwrap_or("(none)").to_owned();
    RuleOf { code: text(&error["extensions"]["code"]), rule: text(&error["extensions"]["rule"]) }
}
