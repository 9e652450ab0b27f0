//! Issue 15, item 8: after PostgreSQL restarted, reads answered INTERNAL from dead pooled
//! connections for a while and readiness did not say the change listener was down. A read that
//! fails on a lost connection now runs once more on a live one, and `/readyz` includes the
//! listener (503 while it is not listening). On SQLite there is no connection to lose and no
//! listener: the same requests simply answer.

use std::sync::Arc;

use ketnap::cache::SharedCache;
use ketnap::http::{AppState, app, serve};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use super::call;
use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, test_settings};

/// Serves `test`'s database; answers the base URL and the server's read cache.
async fn serve_test(test: &TestApp) -> (String, Arc<SharedCache>) {
    let settings = test_settings();
    let state = AppState::new(test.db.clone(), &settings).expect("the server starts");
    let cache = state.api.cache().clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(serve(listener, app(state, &settings)));
    (base, cache)
}

/// Terminates every backend of the test's pool, as a restart of PostgreSQL would.
async fn terminate_backends(test: &TestApp) -> usize {
    let Some((url, schema)) = test.postgres() else { return 0 };
    let admin = Database::connect(url).await.expect("connect as the administrator");
    let sql = format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{schema}'");
    let ended = admin.query_all_raw(sea_orm::Statement::from_string(admin.get_database_backend(), sql)).await;
    admin.close().await.ok();
    ended.map(|rows| rows.len()).unwrap_or(0)
}

async fn ready(base: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{base}/readyz")).await.expect("GET /readyz");
    (response.status().as_u16(), response.json().await.expect("JSON"))
}

#[tokio::test]
async fn a_read_on_a_terminated_connection_is_answered_from_a_fresh_one() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let (base, _) = serve_test(&test).await;
    let admin = admin_token();
    // Several reads at once, so that the pool holds several connections; a search, which the
    // read cache does not answer, so every read reaches the database.
    let read = "{ people(search: \"Lan\") { totalCount } auditTrail { totalCount } }";
    let warm = futures::future::join_all((0..4).map(|_| call(&base, &admin, read, json!({})))).await;
    assert!(warm.iter().all(|r| r.get("errors").is_none()), "{warm:#?}");
    if test.is_postgres() {
        assert!(terminate_backends(&test).await > 0, "the pool had connections to end");
    }
    for _ in 0..3 {
        let response = call(&base, &admin, read, json!({})).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        assert_eq!(response["data"]["people"]["totalCount"], 0);
    }
}

#[tokio::test]
async fn readiness_includes_the_change_listener() {
    let test = TestApp::new().await;
    let (base, cache) = serve_test(&test).await;
    let (status, body) = ready(&base).await;
    assert_eq!((status, &body["database"], &body["changes"]), (200, &json!("ok"), &json!("listening")), "{body:#}");
    // The listener's connection lost: the cache is suspended until it listens again.
    cache.suspend();
    let (status, body) = ready(&base).await;
    if test.is_postgres() {
        assert_eq!((status, &body["changes"]), (503, &json!("not listening")), "{body:#}");
    } else {
        assert_eq!(status, 200, "SQLite has no listener: {body:#}");
    }
    cache.resume();
    assert_eq!(ready(&base).await.0, 200);
    // `/livez` asks nothing of the database or the listener.
    let live = reqwest::get(format!("{base}/livez")).await.expect("GET /livez");
    assert_eq!(live.status(), 200);
}
