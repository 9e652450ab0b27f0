//! Through real HTTP on an ephemeral port: GraphQL over POST and GET, the IDE page, health, and
//! GraphQL-shaped errors for unreadable requests.

use ketnap::auth::Role;
use ketnap::config::ServeArgs;
use ketnap::http::{AppState, app, serve};
use serde_json::{Value, json};

use crate::common::{TEST_SECRET, TestApp, article_tree, test_keys};

/// The settings of a test server: the test secret, a small body limit.
pub fn test_settings() -> ServeArgs {
    let mut settings = ServeArgs { body_limit_bytes: 4096, ..ServeArgs::default() };
    settings.tokens.jwt_secret = Some(TEST_SECRET.to_owned());
    settings
}

/// Serves `test`'s database with `settings` on an ephemeral loopback port; returns the base URL.
pub async fn start_with(test: &TestApp, settings: &ServeArgs) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
    let address = listener.local_addr().expect("a local address");
    let router = app(AppState::new(test.db.clone(), settings).expect("the server starts"), settings);
    tokio::spawn(serve(listener, router));
    format!("http://{address}")
}

async fn start(test: &TestApp) -> String {
    start_with(test, &test_settings()).await
}

/// A token for a country-wide administrator, signed with the test secret.
pub fn admin_token() -> String {
    test_keys().issue("admin", "Admin", Role::Admin, "*", chrono::Duration::hours(1)).expect("a token")
}

/// POSTs a GraphQL document with `token` and returns the JSON response.
pub async fn post_with(base: &str, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(format!("{base}/graphql")).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("POST");
    (response.status().as_u16(), response.json().await.expect("JSON"))
}

/// POSTs a GraphQL document as an administrator and returns the JSON response.
async fn post_query(base: &str, query: &str) -> Value {
    post_with(base, Some(&admin_token()), query).await.1
}

#[tokio::test]
async fn graphql_over_http_health_and_ide() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start(&test).await;
    let client = reqwest::Client::new();
    let token = admin_token();

    let response = post_query(&base, "{ provinces { nodes { code name } } }").await;
    assert_eq!(
        response["data"]["provinces"]["nodes"],
        json!([{ "code": "DB", "name": "Điện Biên" }, { "code": "QN", "name": "Quảng Nam" }])
    );

    let response: Value = client
        .get(format!("{base}/graphql"))
        .bearer_auth(&token)
        .query(&[("query", "{ unit(code: \"QN.NT\") { name } }")])
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(response["data"]["unit"]["name"], "Núi Thành");

    let refused = client
        .get(format!("{base}/graphql"))
        .bearer_auth(&token)
        .query(&[("query", "mutation { renameUnit(input: { id: \"x\", name: \"y\" }) { unit { name } } }")])
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 405);

    let health = client.get(format!("{base}/healthz")).send().await.expect("healthz");
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.expect("JSON")["status"], "ok");

    let page = client.get(format!("{base}/graphql")).header("accept", "text/html").send().await.expect("IDE");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("HTML");
    assert!(html.contains("/ide/ide.js"));
    let script = client.get(format!("{base}/ide/ide.js")).send().await.expect("asset");
    assert_eq!(script.status(), 200);

    let garbage = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(garbage.status(), 400);
    assert_eq!(garbage.json::<Value>().await.expect("JSON")["errors"][0]["extensions"]["code"], "BAD_REQUEST");

    let too_large = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": format!("{{ provinces {{ totalCount }} }} #{}", "x".repeat(8192)) }))
        .send()
        .await
        .expect("POST");
    assert_eq!(too_large.status(), 413);
    assert_eq!(too_large.json::<Value>().await.expect("JSON")["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn unknown_fields_get_a_validation_code() {
    let test = TestApp::new().await;
    let error = test.error("{ provinces { nodes { nope } } }", json!({})).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION");
}

#[tokio::test]
async fn the_demo_tree_answers_over_http() {
    let test = TestApp::new().await;
    assert!(ketnap::demo::seed(&test.db).await.unwrap_or_else(|_| panic!("the demo seeds")));
    let base = start(&test).await;
    let response =
        post_query(&base, "{ unit(code: \"QNM.NTH\") { name children { totalCount } ancestors { code } } }").await;
    let unit = &response["data"]["unit"];
    assert!(unit["name"].as_str().is_some_and(|name| name.contains("Núi Thành")), "{response:#}");
    assert_eq!(unit["ancestors"], json!([{ "code": "QNM" }]));
    assert!(unit["children"]["totalCount"].as_u64().is_some_and(|n| n >= 2));
}

/// `--max-concurrent-requests`: a burst of requests runs two at a time, each holding a permit
/// while it executes and giving it back when done, and every one of them is answered.
#[tokio::test]
async fn a_burst_runs_at_most_the_configured_number_of_requests_at_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use ketnap::graphql::{Api, SchemaOptions};

    let test = TestApp::new().await;
    article_tree(&test).await;
    let options = SchemaOptions {
        concurrent_requests: 2,
        read_cache: ketnap::cache::CacheSettings::OFF,
        ..SchemaOptions::default()
    };
    let api = Api::new(test.db.clone(), options);
    let fewest_idle = Arc::new(AtomicUsize::new(usize::MAX));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (api, fewest_idle, done) = (api.clone(), fewest_idle.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                fewest_idle.fetch_min(api.idle_permits(), Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        })
    };
    let query = "{ provinces { nodes { code children(first: 10) { nodes { code children(first: 10) { nodes { code } } } } } } }";
    let burst = (0..8).map(|_| api.execute(async_graphql::Request::new(query), crate::common::national_admin()));
    let responses = futures::future::join_all(burst).await;
    done.store(true, Ordering::SeqCst);
    watcher.await.expect("the watcher ends");
    assert!(responses.iter().all(|response| response.errors.is_empty()), "{:?}", responses[0].errors);
    assert_eq!(fewest_idle.load(Ordering::SeqCst), 0, "the burst took both permits");
    assert_eq!(api.idle_permits(), 2, "every permit came back");
}
