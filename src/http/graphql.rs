//! The GraphQL endpoint over HTTP, per GraphQL over HTTP: POST with a JSON body, GET with URL
//! parameters (queries only), content negotiation (`media`), and status codes (`reply`).
//!
//! The GET handler tells a WebSocket upgrade (graphql-ws subscriptions, `live`) and a browser
//! (the IDE) apart first, before any of the checks below.

use std::time::Instant;

use async_graphql::parser::types::DocumentOperations;
use async_graphql::{Request, Variables};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use tracing::Instrument;

use super::ide;
use super::live;
use super::media::{ResponseMedia, is_json_request};
use super::reply;
use super::state::AppState;
use crate::{graphql, telemetry};

/// The methods the GraphQL path takes, for `Allow`.
pub const ALLOWED_METHODS: &str = "GET, HEAD, POST";

/// The parameters of a request ("Request Parameters"): `query` is required and a string;
/// `variables` and `extensions` are maps (or null).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    variables: Option<Map<String, Value>>,
    #[serde(default)]
    extensions: Option<Map<String, Value>>,
}

impl Params {
    fn into_request(self) -> Request {
        let mut request = Request::new(self.query);
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = self.variables {
            request = request.variables(Variables::from_json(Value::Object(variables)));
        }
        for (name, value) in self.extensions.unwrap_or_default() {
            request.extensions.insert(name, async_graphql::Value::from_json(value).unwrap_or_default());
        }
        request
    }
}

/// The URL parameters of a GET: as in a POST body, with `variables` and `extensions` as JSON
/// text ("GET": "the variables parameter … encoded as JSON").
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

impl GetParams {
    fn into_params(self) -> Result<Params, String> {
        let query = self.query.ok_or("the query parameter is missing")?;
        let map = |name: &str, text: Option<String>| -> Result<Option<Map<String, Value>>, String> {
            match text.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => serde_json::from_str::<Option<Map<String, Value>>>(text)
                    .map_err(|err| format!("the {name} parameter is not a JSON object: {err}")),
            }
        };
        Ok(Params {
            query,
            operation_name: self.operation_name.filter(|name| !name.is_empty()),
            variables: map("variables", self.variables)?,
            extensions: map("extensions", self.extensions)?,
        })
    }
}

/// POST: "A server MUST support POST requests encoded with the application/json media type".
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let Some(media) = ResponseMedia::from_accept(&headers) else {
        return not_acceptable();
    };
    if !is_json_request(&headers) {
        return reply::refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as Content-Type: application/json",
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
        Err(rejection) => return bad_request(media, &rejection.body_text()),
    };
    let params = match serde_json::from_slice::<Params>(&body) {
        Ok(params) => params,
        Err(err) => return bad_request(media, &format!("the body is not a GraphQL request: {err}")),
    };
    execute(&state, &headers, params.into_request(), media).await
}

/// GET serves the IDE to browsers, subscriptions to WebSocket upgrades (`live`) and read-only
/// queries to everyone else. "GET requests MUST NOT be used for executing mutation operations …
/// the server MUST respond with error status code 405 (Method Not Allowed)": a link or an image
/// tag must never change data.
pub async fn get(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (mut parts, _) = request.into_parts();
    if parts
        .headers
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
    {
        return match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
            Ok(upgrade) => live::upgrade(state, &parts.headers, upgrade),
            Err(rejection) => rejection.into_response(),
        };
    }
    let headers = parts.headers;
    let query_string = parts.uri.query().unwrap_or_default().to_owned();
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let has_query = query_string.split('&').any(|pair| pair.starts_with("query="));
    if wants_html && !has_query {
        return ide::page();
    }
    let Some(media) = ResponseMedia::from_accept(&headers) else {
        return not_acceptable();
    };
    let params = match url_params(&query_string) {
        Ok(params) => params,
        Err(message) => return bad_request(media, &message),
    };
    let mut request = params.into_request();
    if graphql::is_mutation(&mut request) {
        return reply::method_not_allowed("POST", "mutations must be sent with POST");
    }
    execute(&state, &headers, request, media).await
}

/// Any other method on the GraphQL path.
pub async fn other_method() -> Response {
    reply::method_not_allowed(ALLOWED_METHODS, "the GraphQL endpoint takes GET and POST")
}

fn url_params(query_string: &str) -> Result<Params, String> {
    let uri = format!("/?{query_string}");
    let parsed = uri.parse().map_err(|_| "the URL parameters are malformed".to_owned()).and_then(|uri| {
        axum::extract::Query::<GetParams>::try_from_uri(&uri)
            .map_err(|err| format!("the URL parameters are malformed: {err}"))
    })?;
    parsed.0.into_params()
}

async fn execute(state: &AppState, headers: &HeaderMap, mut request: Request, media: ResponseMedia) -> Response {
    let principal = match state.authenticator.authenticate(headers, &state.db).await {
        Ok(principal) => principal,
        Err(refusal) => {
            telemetry::request_refused(refusal.code());
            return refusal.into_response();
        }
    };
    state.api.prepare(&mut request);
    let operation = telemetry::operation_label(operation_name(&mut request).as_deref());
    let started = Instant::now();
    // The operation's name only: variables and the query text can hold personal data.
    let span = tracing::info_span!("graphql", graphql.operation.name = %operation);
    // Unbounded here: the reply bounds the response's size as it writes it.
    let execution = telemetry::tallying(state.api.execute_unbounded(request, principal));
    let (response, work) = execution.instrument(span).await;
    let code = response.errors.first().map_or("OK", |error| outcome_code(error));
    telemetry::request_finished(&operation, code, started.elapsed(), &work);
    reply::graphql(response, media, state.api.max_response_bytes())
}

/// The operation the request runs: the one it names, else the document's only operation.
fn operation_name(request: &mut Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Single(_) => None,
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            operations.keys().next().map(ToString::to_string)
        }
        DocumentOperations::Multiple(_) => None,
    }
}

/// The `extensions.code` of an error (every error has one: `graphql::error_codes`).
fn outcome_code(error: &async_graphql::ServerError) -> &str {
    match error.extensions.as_ref().and_then(|extensions| extensions.get("code")) {
        Some(async_graphql::Value::String(code)) => code,
        _ => "UNKNOWN",
    }
}

/// "If the [body] cannot be decoded … the server SHOULD respond with 400".
fn bad_request(media: ResponseMedia, message: &str) -> Response {
    reply::refusal(StatusCode::BAD_REQUEST, media, "BAD_REQUEST", message)
}

/// The body limit answers 413, as a GraphQL-shaped error.
pub fn too_large() -> Response {
    reply::refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        ResponseMedia::Json,
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the server accepts",
    )
}

/// `Accept` names no type the server sends: 406, in the default type.
fn not_acceptable() -> Response {
    reply::refusal(
        StatusCode::NOT_ACCEPTABLE,
        ResponseMedia::Json,
        "NOT_ACCEPTABLE",
        "accept application/graphql-response+json or application/json",
    )
}
