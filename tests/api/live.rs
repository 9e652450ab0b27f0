//! Live updates over a real WebSocket in the graphql-ws protocol (`graphql-transport-ws`, the
//! protocol document of the graphql-ws project, "GraphQL over WebSocket Protocol"): a dashboard
//! subscribed to a unit hears of a write in its subtree within a second, of none elsewhere, is
//! refused without a valid token, and is closed when its token expires; on PostgreSQL a write
//! through one server reaches a subscriber on another.

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use ketnap::auth::Role;
use ketnap::cache::changes;
use ketnap::http::{AppState, app, serve};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Message, http::HeaderValue};

use crate::common::{TestApp, article_tree, test_keys};
use crate::http::{admin_token, post_with, test_settings};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const FIGURES_CHANGED: &str = "subscription($code: String!) { figuresChanged(code: $code) { unitCode noticedAt } }";
const SET_TARGET: &str = "mutation { setTarget(input: { target: { unitId: \"UNIT\", kind: ASSIGNED, year: 2021 }, value: VALUE }) { target { value } } }";

/// A server on `test`'s database that follows other servers' announcements, as `serve` does.
async fn server(test: &TestApp) -> String {
    let settings = test_settings();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
    let address = listener.local_addr().expect("a local address");
    let state = AppState::new(test.db.clone(), &settings).expect("the server starts");
    changes::follow(&state.db, state.api.cache().clone());
    tokio::spawn(serve(listener, app(state, &settings)));
    format!("http://{address}")
}

fn token(role: Role, unit: &str, lifetime: chrono::Duration) -> String {
    test_keys().issue("dashboard", "Bảng điều khiển", role, unit, lifetime).expect("a token")
}

/// Opens a graphql-ws connection and sends `connection_init` with `token`.
async fn connect(base: &str, token: &str) -> Socket {
    let mut request = format!("{}/graphql", base.replace("http://", "ws://")).into_client_request().expect("a URL");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.expect("the upgrade");
    assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    socket.send(Message::Text(init.to_string().into())).await.expect("send connection_init");
    socket
}

/// The next message within `wait`: Some(JSON) for a text frame, or the close frame's code and
/// reason as `{"close": code, "reason": …}`; None when nothing came.
async fn next(socket: &mut Socket, wait: Duration) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(wait, socket.next()).await.ok()??.ok()?;
        return Some(match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                if value["type"] == "ping" {
                    continue;
                }
                value
            }
            Message::Close(frame) => {
                let (code, reason) =
                    frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or((0, String::new()));
                json!({ "close": code, "reason": reason })
            }
            _ => continue,
        });
    }
}

/// Connects as `token`, waits for `connection_ack`, and subscribes to `code`'s figures.
async fn subscribe(base: &str, token: &str, code: &str) -> Socket {
    let mut socket = connect(base, token).await;
    assert_eq!(next(&mut socket, Duration::from_secs(5)).await, Some(json!({ "type": "connection_ack" })));
    let subscribe = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": FIGURES_CHANGED, "variables": { "code": code } } });
    socket.send(Message::Text(subscribe.to_string().into())).await.expect("send subscribe");
    // The protocol acknowledges no subscription: give the server a moment to start watching.
    tokio::time::sleep(Duration::from_millis(400)).await;
    socket
}

async fn set_target(base: &str, unit: &str, value: i64) {
    let mutation = SET_TARGET.replace("UNIT", unit).replace("VALUE", &value.to_string());
    let (status, response) = post_with(base, Some(&admin_token()), &mutation).await;
    assert_eq!((status, &response["data"]["setTarget"]["target"]["value"]), (200, &json!(value)), "{response}");
}

#[tokio::test]
async fn a_dashboard_hears_of_changes_in_its_subtree_only() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = server(&test).await;
    let viewer = token(Role::Viewer, "DB.TC", chrono::Duration::hours(1));
    let mut socket = subscribe(&base, &viewer, "DB.TC").await;

    // Mường Chà is another district of the same province: nothing for Tủa Chùa's dashboard.
    set_target(&base, &tree.muong_cha, 40).await;
    assert_eq!(next(&mut socket, Duration::from_millis(1500)).await, None, "a write outside the subtree is not told");

    // Xá Nhè is a commune of Tủa Chùa: told within a second.
    let written = Instant::now();
    set_target(&base, &tree.xa_nhe, 12).await;
    let event = next(&mut socket, Duration::from_secs(1)).await.expect("an event within a second of the write");
    assert!(written.elapsed() < Duration::from_secs(1) + Duration::from_millis(200));
    assert_eq!((&event["type"], &event["id"]), (&json!("next"), &json!("1")), "{event}");
    assert_eq!(event["payload"]["data"]["figuresChanged"]["unitCode"], "DB.TC");
    assert!(event["payload"]["data"]["figuresChanged"]["noticedAt"].is_string());
}

#[tokio::test]
async fn a_subscription_outside_the_scope_is_not_found() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = server(&test).await;
    let viewer = token(Role::Viewer, "DB.TC", chrono::Duration::hours(1));
    let mut socket = subscribe(&base, &viewer, "DB.MC").await;
    // The field error of the subscription's source stream is its only result, then it completes
    // (as the reference server, graphql-ws, sends a non-stream result: `next`, then `complete`).
    let refused = next(&mut socket, Duration::from_secs(2)).await.expect("a result");
    assert_eq!((&refused["type"], &refused["payload"]["data"]), (&json!("next"), &Value::Null), "{refused}");
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND", "{refused}");
    assert!(!refused.to_string().contains("Mường Chà"), "the unit outside the scope is not described");
    assert_eq!(next(&mut socket, Duration::from_secs(2)).await, Some(json!({ "type": "complete", "id": "1" })));
}

/// "If the server wishes to reject the connection it is recommended to … close the socket with
/// `4403: Forbidden`" (graphql-ws protocol, ConnectionInit).
#[tokio::test]
async fn a_connection_without_a_valid_token_is_closed_forbidden() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = server(&test).await;
    for bad in ["not-a-token", &token(Role::Viewer, "NOWHERE", chrono::Duration::hours(1))] {
        let mut socket = connect(&base, bad).await;
        let closed = next(&mut socket, Duration::from_secs(5)).await.expect("a close frame");
        assert_eq!(closed["close"], 4403, "{closed}");
    }
    // No connection_init payload at all: the server requires a token outside the demo.
    let mut request = format!("{}/graphql", base.replace("http://", "ws://")).into_client_request().expect("a URL");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("the upgrade");
    socket.send(Message::Text(json!({ "type": "connection_init" }).to_string().into())).await.expect("send");
    assert_eq!(next(&mut socket, Duration::from_secs(5)).await.expect("a close frame")["close"], 4403);
}

#[tokio::test]
async fn the_connection_closes_when_its_token_expires() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = server(&test).await;
    let short = token(Role::Viewer, "DB", chrono::Duration::seconds(2));
    let mut socket = subscribe(&base, &short, "DB").await;
    let closed = next(&mut socket, Duration::from_secs(5)).await.expect("closed within a few seconds");
    assert_eq!(closed["close"], 4403, "{closed}");
    assert!(closed["reason"].as_str().is_some_and(|reason| reason.contains("expired")), "{closed}");
}

/// Two servers on one PostgreSQL database: a write through A reaches a subscriber on B through
/// the database's announcement.
#[tokio::test]
async fn on_postgresql_a_write_through_another_server_reaches_the_subscriber() {
    let test = TestApp::new().await;
    if !test.is_postgres() {
        return;
    }
    let tree = article_tree(&test).await;
    let (a, b) = (server(&test).await, server(&test).await);
    let viewer = token(Role::Viewer, "QN", chrono::Duration::hours(1));
    // B's change listener connects in the background; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut socket = subscribe(&b, &viewer, "QN").await;
    let written = Instant::now();
    set_target(&a, &tree.nui_thanh, 90).await;
    let event = next(&mut socket, Duration::from_secs(1)).await.expect("an event on B within a second");
    assert!(written.elapsed() < Duration::from_secs(1) + Duration::from_millis(200));
    assert_eq!(event["payload"]["data"]["figuresChanged"]["unitCode"], "QN", "{event}");
}

/// The audit trail's ids are taken in one order and committed in another: a change whose id is
/// below one already seen, committed later, is still told (PostgreSQL; SQLite has one writer).
#[tokio::test]
async fn a_change_committed_after_a_later_one_is_still_seen() {
    use ketnap::domain::change_watch::ChangeWatch;
    use sea_orm::{ConnectionTrait, TransactionTrait};

    let test = TestApp::new().await;
    if !test.is_postgres() {
        return;
    }
    article_tree(&test).await;
    let unit = |code: &str| format!("(SELECT id FROM units WHERE code = '{code}')");
    let file = |code: &str| {
        format!(
            "INSERT INTO audit_log (occurred_at, operation, entity_type, entity_id, unit_id) \
             VALUES (CURRENT_TIMESTAMP, 'test', 'Unit', 0, {})",
            unit(code)
        )
    };
    let mut watch =
        ChangeWatch::start(&test.db, Some(ketnap_unit_id(&test, "DB.TC").await.into())).await.expect("a watch");
    let slow = test.db.begin().await.expect("a transaction");
    slow.execute_unprepared(&file("DB.TC.XN")).await.expect("the slow change takes the lower id");
    test.db.execute_unprepared(&file("QN.NT")).await.expect("a change elsewhere commits first");
    assert!(!watch.look(&test.db).await.expect("a look"), "nothing in Tủa Chùa has committed yet");
    slow.commit().await.expect("the slow change commits");
    assert!(watch.look(&test.db).await.expect("a look"), "the lower id, committed later, is told");
    assert!(!watch.look(&test.db).await.expect("a look"), "and told once");
}

async fn ketnap_unit_id(test: &TestApp, code: &str) -> i64 {
    ketnap::domain::tree::get_by_code(&test.db, code).await.expect("the unit").id
}
