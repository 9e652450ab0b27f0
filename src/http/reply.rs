//! GraphQL responses as HTTP responses: status code, media type and body, per GraphQL over HTTP
//! ("Response", "application/json", "application/graphql-response+json" and "Status codes").

use std::collections::BTreeMap;

use async_graphql::{ServerError, Value};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::media::ResponseMedia;
use crate::graphql::limits;

/// The body of a GraphQL response as it is sent, keys in the order the executor produced them.
#[derive(Serialize)]
struct Payload<'a> {
    /// Absent for a request error: "If an error was raised before execution begins, the data
    /// entry should not be present in the result" (GraphQL spec, "Response Format").
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
}

/// Whether `response` is a request error: the request was refused before execution (a document
/// that does not parse or validate, variables that do not coerce, an unknown operation, a limit
/// or introspection refused). Those have no data and no error with a path; an execution error
/// always has the path of its field, even one that made `data` null.
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// `response` sent as `media`. Under `application/graphql-response+json` a request error is 400
/// ("the server SHOULD reply with 400 status code" for parse, validation and variable coercion
/// failures) and anything that executed is 200, `data: null` included; under `application/json`
/// every response to a well-formed request is 200 ("The server SHOULD use the 200 status code
/// for every response to a well-formed GraphQL-over-HTTP request, independent of any GraphQL
/// request error or GraphQL field error raised"). `Vary: Accept`, as the type depends on it.
///
/// A body larger than `max_bytes` is not sent: RESPONSE_TOO_LARGE is, in its place (the body is
/// written once, and stops growing at the bound).
pub fn graphql(response: async_graphql::Response, media: ResponseMedia, max_bytes: usize) -> Response {
    let request_error = is_request_error(&response);
    let status = match media {
        ResponseMedia::GraphqlResponseJson if request_error => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = Payload {
        data: (!request_error).then_some(&response.data),
        errors: &response.errors,
        extensions: &response.extensions,
    };
    let mut reply = match limits::json_within(&body, max_bytes) {
        Ok(Some(bytes)) => json_bytes(status, media, bytes),
        // The refusal is a few hundred bytes: always sent, whatever the bound.
        Ok(None) => return graphql(limits::too_large(response, max_bytes), media, usize::MAX),
        Err(err) => return not_serialized(&err),
    };
    let headers = reply.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    if let Some(cache_control) = response.cache_control.value().and_then(|value| HeaderValue::from_str(&value).ok()) {
        headers.insert(header::CACHE_CONTROL, cache_control);
    }
    for (name, value) in response.http_headers.iter() {
        headers.append(name, value.clone());
    }
    reply
}

/// An HTTP-level refusal (the request is not a GraphQL-over-HTTP request the server takes) with
/// a GraphQL-shaped body: `{"errors": [{"message", "extensions": {"code"}}]}`.
pub fn refusal(status: StatusCode, media: ResponseMedia, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    json_response(status, media, &body)
}

/// 405 for `method` with the `Allow` header RFC 9110 requires ("The origin server MUST generate
/// an Allow header field in a 405 response containing a list of the target resource's currently
/// supported methods").
pub fn method_not_allowed(allow: &'static str, message: &str) -> Response {
    let mut response = refusal(StatusCode::METHOD_NOT_ALLOWED, ResponseMedia::Json, "METHOD_NOT_ALLOWED", message);
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

fn json_response(status: StatusCode, media: ResponseMedia, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => json_bytes(status, media, bytes),
        Err(err) => not_serialized(&err),
    }
}

fn not_serialized(err: &serde_json::Error) -> Response {
    tracing::error!(error.cause = %err, "a response did not serialize");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// `bytes`, JSON already, sent as `media`.
fn json_bytes(status: StatusCode, media: ResponseMedia, bytes: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, media.content_type())], Body::from(bytes)).into_response()
}

#[cfg(test)]
mod tests {
    use async_graphql::{PathSegment, Response as GraphqlResponse};

    use super::*;

    #[test]
    fn request_errors_have_no_data_and_no_path() {
        let refused = GraphqlResponse::from_errors(vec![ServerError::new("syntax", None)]);
        assert!(is_request_error(&refused));
        let mut field = ServerError::new("not found", None);
        field.path = vec![PathSegment::Field("unit".to_owned())];
        assert!(!is_request_error(&GraphqlResponse::from_errors(vec![field])));
        assert!(!is_request_error(&GraphqlResponse::new(Value::Null)));
    }
}
