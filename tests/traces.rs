//! The OpenTelemetry span tree of one drill-down, through the SDK's in-memory exporter. A test
//! binary of its own: the tracing subscriber it sets is the thread's, and spans' interest is
//! cached per call site, so tests running beside it on other threads would make it flaky.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "api/common/mod.rs"]
mod common;

use std::collections::HashMap;

use ketnap::auth::Role;
use ketnap::config::ServeArgs;
use ketnap::http::{AppState, app, serve};
use ketnap::telemetry::traces;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SimpleSpanProcessor, SpanData};
use serde_json::json;
use tracing_subscriber::layer::SubscriberExt;

use common::{TEST_SECRET, TestApp, article_tree, test_keys};

/// The goal's drill-down (benches/load): a province's districts with a year's figures, and the
/// province's own.
const DRILL_DOWN: &str = "query TracedDrillDown($code: String!, $year: Int!) { unit(code: $code) { code name
  stats(period: { year: $year }) { admissions recognitions }
  children(first: 100) { nodes { code name stats(period: { year: $year }) {
    admissions assignedTarget attainment { ratio percent } } } } } }";

/// The span tree of one drill-down: request → graphql → SQL statement (the unit, its children's
/// page and their figures, read by `unit(code:)` itself) and request → graphql → resolver batch →
/// SQL statement (the province's own figures, loaded in batches).
#[tokio::test]
async fn a_drill_down_is_one_trace_of_request_operation_batches_and_statements() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let exporter = InMemorySpanExporter::default();
    let provider = traces::provider(SimpleSpanProcessor::new(exporter.clone()));
    let subscriber = tracing_subscriber::registry().with(traces::layer(&provider));
    let _traced = tracing::subscriber::set_default(subscriber);
    let mut settings = ServeArgs::default();
    settings.tokens.jwt_secret = Some(TEST_SECRET.to_owned());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, app(AppState::new(test.db.clone(), &settings).unwrap(), &settings)));
    let token = test_keys().issue("admin", "Admin", Role::Admin, "*", chrono::Duration::hours(1)).unwrap();
    let body = json!({ "query": DRILL_DOWN, "variables": { "code": "DB", "year": 2021 } });
    // No pooled connection: once the body is read the connection closes, and the server drops the
    // response (ending the request's span) instead of keeping it for the next request.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let response = client.post(format!("{base}/graphql")).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap();
    drop(client);
    // The request's span ends once its body is sent, which can be after the client has read it;
    // on a loaded CI machine that took longer than two seconds, so wait up to twenty.
    let mut spans = Vec::new();
    for _ in 0..2000 {
        provider.force_flush().unwrap();
        spans = exporter.get_finished_spans().unwrap();
        if spans.iter().any(|span| span.name == "request") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    let named = |name: &str| spans.iter().filter(|span| span.name == name).collect::<Vec<_>>();
    let [request] = named("request")[..] else { panic!("one request span: {spans:#?}") };
    let [graphql] = named("graphql")[..] else { panic!("one graphql span") };
    assert_eq!(graphql.parent_span_id, request.span_context.span_id());
    assert_eq!(attribute(graphql, "graphql.operation.name").as_deref(), Some("TracedDrillDown"));
    let batches = named("resolver batch");
    assert!(!batches.is_empty(), "the province's own figures load in batches: {spans:#?}");
    assert!(batches.iter().all(|batch| batch.parent_span_id == graphql.span_context.span_id()));
    assert!(batches.iter().any(|batch| attribute(batch, "loader").is_some_and(|name| name.contains("StatsLoader"))));
    let statements: Vec<&SpanData> = spans.iter().filter(|span| span.name.starts_with("sea_orm.")).collect();
    assert!(!statements.is_empty());
    let by_id: HashMap<_, _> = spans.iter().map(|span| (span.span_context.span_id(), span)).collect();
    for statement in &statements {
        let parent = by_id.get(&statement.parent_span_id).expect("a statement runs inside a traced span");
        assert!(["resolver batch", "graphql"].contains(&parent.name.as_ref()), "{}", parent.name);
        assert!(attribute(statement, "db.system").is_some() && attribute(statement, "db.operation").is_some());
    }
    assert!(
        batches.iter().any(|batch| statements.iter().any(|s| s.parent_span_id == batch.span_context.span_id())),
        "a batch's statements are its children"
    );
    assert!(
        statements.iter().any(|s| s.parent_span_id == graphql.span_context.span_id()),
        "the drill-down's one statement is the operation's child"
    );
    let trace = request.span_context.trace_id();
    assert!(spans.iter().all(|span| span.span_context.trace_id() == trace), "one trace");
    for span in &spans {
        for pair in &span.attributes {
            assert!(traces::ALLOWED_ATTRIBUTES.contains(&pair.key.as_str()), "{} on {}", pair.key, span.name);
            assert!(!pair.value.as_str().contains("Điện Biên"), "no value the database holds");
        }
        assert!(span.events.is_empty(), "log lines stay in the logs");
    }
}

fn attribute(span: &SpanData, key: &str) -> Option<String> {
    span.attributes.iter().find(|pair| pair.key.as_str() == key).map(|pair| pair.value.as_str().into_owned())
}
