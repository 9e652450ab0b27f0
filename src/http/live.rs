//! Subscriptions over WebSocket on the GraphQL path, in the graphql-ws protocol
//! (`graphql-transport-ws`; the older `graphql-ws` subprotocol is accepted too). The connection
//! is authenticated by its `connection_init` payload, `{"Authorization": "Bearer …"}`, with the
//! same token rules as HTTP; it is closed (4403) when the token expires.

use std::any::TypeId;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::futures_util::stream::{self, BoxStream};
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket, WebSocketProtocols, WsMessage};
use async_graphql::{Data, Executor, Request, Response as GraphqlResponse, ServerError};
use axum::extract::ws::{CloseFrame, Message, WebSocket as Socket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt, future};
use serde_json::Value;
use tokio::sync::watch;

use super::state::AppState;
use crate::auth::Principal;
use crate::graphql::Api;

/// How often an idle connection is pinged (graphql-ws `ping`), so proxies keep it open.
const KEEPALIVE: Duration = Duration::from_secs(30);
/// How often the token's expiry is checked.
const EXPIRY_CHECK: Duration = Duration::from_secs(1);
/// graphql-ws: "4403: Forbidden" — the server closes with it when it will not go on.
const FORBIDDEN: u16 = 4403;

/// Accepts the WebSocket upgrade of a GET on the GraphQL path, in the first subprotocol of
/// `Sec-WebSocket-Protocol` the server speaks; 400 when it names none.
pub fn upgrade(state: AppState, headers: &HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    let protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|names| names.split(',').find_map(|name| name.trim().parse::<WebSocketProtocols>().ok()));
    match protocol {
        Some(protocol) => upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            .on_upgrade(move |socket| serve(socket, state, protocol))
            .into_response(),
        None => (StatusCode::BAD_REQUEST, "the WebSocket subprotocol must be graphql-transport-ws or graphql-ws")
            .into_response(),
    }
}

/// Serves one connection until the client leaves, the protocol ends it or the token expires.
async fn serve(socket: Socket, state: AppState, protocol: WebSocketProtocols) {
    let (mut sink, stream) = socket.split();
    let (expiry_tx, mut expiry) = watch::channel(None::<i64>);
    let refused = Arc::new(AtomicBool::new(false));
    let input = stream.take_while(|message| future::ready(message.is_ok())).filter_map(|message| {
        future::ready(match message {
            Ok(Message::Text(text)) => Some(text.as_str().as_bytes().to_vec()),
            Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
            _ => None,
        })
    });
    let executor = LiveExecutor(state.api.clone());
    let refused_init = refused.clone();
    let on_init = move |payload: Value| {
        let (state, expiry_tx, refused) = (state.clone(), expiry_tx.clone(), refused_init.clone());
        async move {
            match state.authenticator.authenticate_session(&init_headers(&payload), &state.db).await {
                Ok((principal, expires)) => {
                    expiry_tx.send_replace(expires);
                    let mut data = Data::default();
                    data.insert(principal);
                    Ok(data)
                }
                Err(refusal) => {
                    refused.store(true, Ordering::Relaxed);
                    Err(async_graphql::Error::new(refusal.message()))
                }
            }
        }
    };
    let messages = WebSocket::new(executor, input, protocol).on_connection_init(on_init).keepalive_timeout(KEEPALIVE);
    futures::pin_mut!(messages);
    let mut ticks = tokio::time::interval(EXPIRY_CHECK);
    loop {
        let outgoing = tokio::select! {
            message = messages.next() => match message {
                Some(message) => into_frame(message, refused.load(Ordering::Relaxed)),
                None => break,
            },
            _ = ticks.tick() => {
                let expired = expiry.borrow_and_update().is_some_and(|exp| exp <= chrono::Utc::now().timestamp());
                if !expired {
                    continue;
                }
                let _ = sink.send(close(FORBIDDEN, "Forbidden: the token expired")).await;
                break;
            }
        };
        if sink.send(outgoing).await.is_err() {
            break;
        }
    }
}

/// The headers a `connection_init` payload carries: `Authorization` (any case of the name).
fn init_headers(payload: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let authorization = payload.as_object().and_then(|fields| {
        fields.iter().find(|(name, _)| name.eq_ignore_ascii_case("authorization")).and_then(|(_, value)| value.as_str())
    });
    if let Some(value) = authorization.and_then(|text| HeaderValue::from_str(text).ok()) {
        headers.insert(header::AUTHORIZATION, value);
    }
    headers
}

/// The frame of `message`. async-graphql closes a refused `connection_init` with 1002; the
/// protocol asks for "4403: Forbidden" ("If the server wishes to reject the connection it is
/// recommended to … close the socket with `4403: Forbidden`").
fn into_frame(message: WsMessage, init_refused: bool) -> Message {
    match message {
        WsMessage::Text(text) => Message::Text(text.into()),
        WsMessage::Close(1002, reason) if init_refused => close(FORBIDDEN, &format!("Forbidden: {reason}")),
        WsMessage::Close(code, reason) => close(code, &reason),
    }
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: reason.into() }))
}

/// Runs what a connection sends as the user its `connection_init` authenticated.
#[derive(Clone)]
struct LiveExecutor(Api);

impl Executor for LiveExecutor {
    async fn execute(&self, _request: Request) -> GraphqlResponse {
        // graphql-ws sends every operation through `execute_stream`, with the connection's data.
        unauthenticated()
    }

    fn execute_stream(&self, request: Request, session: Option<Arc<Data>>) -> BoxStream<'static, GraphqlResponse> {
        match session.as_deref().and_then(principal_of) {
            Some(principal) => self.0.stream(request, principal),
            None => stream::once(async { unauthenticated() }).boxed(),
        }
    }
}

fn principal_of(data: &Data) -> Option<Principal> {
    data.get(&TypeId::of::<Principal>()).and_then(|value| value.downcast_ref::<Principal>()).cloned()
}

fn unauthenticated() -> GraphqlResponse {
    let mut error =
        ServerError::new("sign in: send connection_init with {\"Authorization\": \"Bearer <token>\"}", None);
    error.extensions.get_or_insert_with(Default::default).set("code", "UNAUTHENTICATED");
    GraphqlResponse::from_errors(vec![error])
}
