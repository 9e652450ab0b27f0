//! What the people who run ketnap watch: the Prometheus endpoint on its own listener, scraped and
//! parsed with a Prometheus text parser. (The traces have their own test binary, tests/traces.rs.)

use std::sync::Arc;

use ketnap::cache::SharedCache;
use ketnap::config::ServeArgs;
use ketnap::http::{AppState, app, serve};
use ketnap::telemetry;
use prometheus_parse::{Sample, Scrape, Value as Metric};
use serde_json::{Value, json};

use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, test_settings};

/// The goal's drill-down (benches/load): a province's districts with a year's figures.
pub const DRILL_DOWN: &str = "query TelemetryDrillDown($code: String!, $year: Int!) { unit(code: $code) { code name
  children(first: 100) { nodes { code name stats(period: { year: $year }) {
    admissions assignedTarget attainment { ratio percent } } } } } }";

/// Serves `test` with `settings` and its metrics on a second listener; returns both base URLs.
async fn start_with_metrics(test: &TestApp, settings: &ServeArgs) -> (String, String, Arc<SharedCache>) {
    let mut db = test.db.clone();
    telemetry::observe_statements(&mut db);
    let state = AppState::new(db, settings).expect("the server starts");
    // The recorder first, so that the change listener's gauge is recorded when it connects.
    let metrics = ketnap::http::metrics::spawn("127.0.0.1:0".parse().unwrap(), state.clone(), 8).await.unwrap();
    if test.is_postgres() {
        ketnap::cache::changes::follow(&state.db, state.api.cache().clone());
    }
    // The cache serves nothing until the change listener is connected.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !state.api.cache().is_trusted() {
        assert!(std::time::Instant::now() < deadline, "the change listener did not connect");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let cache = state.api.cache().clone();
    tokio::spawn(serve(listener, app(state, settings)));
    (format!("http://{address}"), format!("http://{metrics}"), cache)
}

async fn post(base: &str, token: Option<&str>, body: Value) -> u16 {
    let mut request = reqwest::Client::new().post(format!("{base}/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().status().as_u16()
}

fn drill_down() -> Value {
    json!({ "query": DRILL_DOWN, "variables": { "code": "DB", "year": 2021 } })
}

/// The samples of `metric` whose labels include every pair of `labels`.
fn samples<'a>(scrape: &'a Scrape, metric: &str, labels: &[(&str, &str)]) -> Vec<&'a Sample> {
    scrape
        .samples
        .iter()
        .filter(|sample| sample.metric == metric)
        .filter(|sample| labels.iter().all(|(name, value)| sample.labels.get(name) == Some(*value)))
        .collect()
}

/// The value of a counter or gauge, or a histogram's count (its `+Inf` bucket).
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    let found = samples(scrape, metric, labels);
    assert_eq!(found.len(), 1, "one {metric} sample with {labels:?}, found {found:?}");
    match &found[0].value {
        Metric::Counter(value) | Metric::Gauge(value) | Metric::Untyped(value) => *value,
        Metric::Histogram(buckets) => buckets.iter().map(|bucket| bucket.count).fold(0.0, f64::max),
        Metric::Summary(_) => panic!("{metric} is a summary, not a histogram"),
    }
}

#[tokio::test]
async fn the_metrics_endpoint_answers_what_operators_alert_on() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let settings = ServeArgs { rate_limit_per_minute: 3, ..test_settings() };
    let (base, metrics, cache) = start_with_metrics(&test, &settings).await;
    let mut heard = cache.change_signal();
    test.create_unit("DB.TC.XN.TT", "Chi bộ Trường Tủa Thàng", "CELL", "SCHOOL", Some(&tree.xa_nhe)).await;
    if test.is_postgres() {
        // The change reaches the server's cache through its listener, after the write: heard
        // later, it would forget what the first drill-down stored and the second would miss.
        let waited = tokio::time::timeout(std::time::Duration::from_secs(10), heard.changed()).await;
        assert!(waited.is_ok_and(|changed| changed.is_ok()), "the server did not hear the change");
    }
    let token = admin_token();
    assert_eq!(post(&base, Some(&token), drill_down()).await, 200);
    assert_eq!(post(&base, Some(&token), drill_down()).await, 200, "the second is answered from the cache");
    let bad_year = json!({ "query": DRILL_DOWN, "variables": { "code": "DB", "year": "last" } });
    assert_eq!(post(&base, Some(&token), bad_year).await, 200);
    assert_eq!(post(&base, Some(&token), drill_down()).await, 429, "the fourth in a minute is refused");
    assert_eq!(post(&base, None, drill_down()).await, 401);

    let client = reqwest::Client::new();
    let response = client.get(format!("{metrics}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200, "no token is needed");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = response.text().await.unwrap();
    let scrape = Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("Prometheus text format");
    let operation = ("operation", "TelemetryDrillDown");

    assert_eq!(value(&scrape, "ketnap_requests_total", &[operation, ("code", "OK")]), 2.0);
    assert_eq!(value(&scrape, "ketnap_requests_total", &[operation, ("code", "VALIDATION")]), 1.0);
    assert!(value(&scrape, "ketnap_requests_total", &[("code", "RATE_LIMITED")]) >= 1.0);
    assert!(value(&scrape, "ketnap_requests_total", &[("code", "UNAUTHENTICATED")]) >= 1.0);
    assert!(value(&scrape, "ketnap_rate_limit_refusals_total", &[]) >= 1.0);
    assert_eq!(value(&scrape, "ketnap_request_duration_seconds", &[operation]), 3.0, "a latency histogram");
    assert_eq!(value(&scrape, "ketnap_request_statements", &[operation]), 3.0, "a statements histogram");
    let statements = samples(&scrape, "ketnap_request_statements_sum", &[operation]);
    // The first drill-down's one statement (the unit, its children's page and their figures read
    // together), the second none: counted, not a histogram of zeros.
    assert!(matches!(statements[0].value, Metric::Untyped(n) | Metric::Counter(n) if n >= 1.0), "{statements:?}");
    assert!(value(&scrape, "ketnap_read_cache_hits_total", &[]) >= 1.0);
    assert!(value(&scrape, "ketnap_read_cache_misses_total", &[]) >= 1.0);
    assert!(
        value(&scrape, "ketnap_read_cache_invalidations_total", &[("reason", "change"), ("scope", "reached")]) >= 1.0
    );
    assert!(value(&scrape, "ketnap_db_pool_max_connections", &[]) >= 1.0);
    assert!(value(&scrape, "ketnap_db_pool_connections", &[("state", "idle")]) >= 0.0);
    assert!(value(&scrape, "ketnap_db_pool_connections", &[("state", "in_use")]) >= 0.0);
    assert!(value(&scrape, "ketnap_request_queue_seconds", &[]) >= 3.0);
    assert!(value(&scrape, "ketnap_requests_running", &[]) >= 0.0);
    let version = ("version", env!("CARGO_PKG_VERSION"));
    assert_eq!(samples(&scrape, "ketnap_build_info", &[version]).len(), 1);
    if test.is_postgres() {
        assert_eq!(value(&scrape, "ketnap_change_listener_connected", &[]), 1.0);
    }

    let public = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404, "the public port does not serve the metrics");
    for probe in ["livez", "readyz", "healthz"] {
        let answer = client.get(format!("{base}/{probe}")).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{probe}");
    }
}

/// Which unit lists are answered plainly (values in hand, no resolver per field:
/// `graphql::unit::plain_rows`) and which field by field, counted in rows per operation: a
/// frontend whose list falls off the plain path shows up here.
#[tokio::test]
async fn unit_list_rows_are_counted_by_how_they_were_answered() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let (base, metrics, _) = start_with_metrics(&test, &test_settings()).await;
    let client = reqwest::Client::new();
    let token = admin_token();
    let rows_of = async |query: &str| {
        let body = json!({ "query": query });
        let answer: Value = client
            .post(format!("{base}/graphql"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer.get("errors").is_none(), "{answer}");
        answer["data"]["provinces"]["nodes"].as_array().expect("nodes").len() as f64
    };
    let plain = rows_of(
        "query TelemetryPlainRows { provinces(first: 100) { nodes { code name
           stats(period: { year: 2021 }) { admissions assignedTarget attainment { percent } } } } }",
    )
    .await;
    // `code` asked twice: execution merges the repeated key, the plain path leaves it to the resolvers.
    let resolved = rows_of("query TelemetryResolvedRows { provinces(first: 100) { nodes { code code name } } }").await;
    assert!(plain >= 1.0 && resolved == plain, "{plain} {resolved}");

    let text = client.get(format!("{metrics}/metrics")).send().await.unwrap().text().await.unwrap();
    let scrape = Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("Prometheus text format");
    let rows = |operation: &str, answered: &str| {
        samples(&scrape, "ketnap_unit_list_rows_total", &[("operation", operation), ("answered", answered)])
            .iter()
            .map(|sample| match sample.value {
                Metric::Counter(n) | Metric::Untyped(n) => n,
                _ => panic!("a counter: {sample:?}"),
            })
            .sum::<f64>()
    };
    assert_eq!((rows("TelemetryPlainRows", "plain"), rows("TelemetryPlainRows", "resolvers")), (plain, 0.0));
    assert_eq!((rows("TelemetryResolvedRows", "plain"), rows("TelemetryResolvedRows", "resolvers")), (0.0, resolved));
}
