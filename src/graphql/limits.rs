//! The limits every request meets around its execution, each with its own error code: its depth
//! (QUERY_TOO_DEEP) and cost (QUERY_TOO_COMPLEX, with `cost` and `limit`), the subject's budget (RATE_LIMITED, with the
//! `X-RateLimit-*` headers on every response), the deadline (DEADLINE_EXCEEDED) and the size of
//! the response (RESPONSE_TOO_LARGE).

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
use axum::http::HeaderValue;
use serde::Serialize;

use crate::auth::budget::Charge;

/// A request error with `code` and further `extensions`.
fn refusal(message: String, code: &str, extensions: &[(&str, Value)]) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut values = ErrorExtensionValues::default();
    values.set("code", code);
    for (name, value) in extensions {
        values.set(*name, value.clone());
    }
    error.extensions = Some(values);
    error
}

/// The request nests deeper than a request may.
pub fn too_deep(depth: usize, limit: usize) -> Response {
    let message = format!("the query nests {depth} fields deep; a request may nest at most {limit}");
    let extensions = [("depth", Value::from(depth as u64)), ("limit", Value::from(limit as u64))];
    Response::from_errors(vec![refusal(message, "QUERY_TOO_DEEP", &extensions)])
}

/// The request costs more than one request may.
pub fn too_complex(cost: usize, limit: usize) -> Response {
    let message = format!(
        "the query costs {cost} points; a request may cost at most {limit}: ask for fewer fields, smaller pages or shorter series"
    );
    let extensions = [("cost", Value::from(cost as u64)), ("limit", Value::from(limit as u64))];
    Response::from_errors(vec![refusal(message, "QUERY_TOO_COMPLEX", &extensions)])
}

/// The subject's budget cannot pay for the request now.
pub fn rate_limited(charge: &Charge) -> Response {
    let wait = charge.reset_after.as_secs().max(1);
    let message = format!(
        "the query costs {} points and {} of {} are left this minute: retry in {wait} s",
        charge.cost, charge.remaining, charge.limit
    );
    let extensions = [("cost", Value::from(charge.cost as u64)), ("retryAfter", Value::from(wait))];
    let mut response = Response::from_errors(vec![refusal(message, "RATE_LIMITED", &extensions)]);
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.http_headers.insert("retry-after", value);
    }
    response
}

/// The request ran past its deadline; what it had done is dropped.
pub fn deadline_exceeded(deadline: Duration) -> Response {
    let message = format!("the request took longer than {} ms and was stopped", deadline.as_millis());
    Response::from_errors(vec![refusal(message, "DEADLINE_EXCEEDED", &[])])
}

/// `response` as it is, or a RESPONSE_TOO_LARGE error in its place when its JSON would take
/// more than `max_bytes`: counted without building the text. For a caller that keeps the
/// response as values (a WebSocket, a report); the HTTP reply writes the text and bounds it as
/// it writes (`json_within`), so the response is serialized once.
pub fn bounded(response: Response, max_bytes: usize) -> Response {
    let mut counter = Counter { written: 0, max: max_bytes };
    if serde_json::to_writer(&mut counter, &response).is_ok() {
        return response;
    }
    too_large(response, max_bytes)
}

/// The RESPONSE_TOO_LARGE error that takes the place of `response`, keeping its HTTP headers.
pub fn too_large(response: Response, max_bytes: usize) -> Response {
    let message = format!("the response would be larger than {max_bytes} bytes: ask for less at a time");
    let extensions = [("limit", Value::from(max_bytes as u64))];
    let mut refused = Response::from_errors(vec![refusal(message, "RESPONSE_TOO_LARGE", &extensions)]);
    refused.http_headers = response.http_headers;
    refused
}

/// `value`'s JSON, or None when it would take more than `max_bytes`: writing stops there.
pub fn json_within(value: &impl Serialize, max_bytes: usize) -> serde_json::Result<Option<Vec<u8>>> {
    // serde_json's own `to_vec` starts with 128 bytes too.
    let mut writer = Within { bytes: Vec::with_capacity(128), max: max_bytes };
    match serde_json::to_writer(&mut writer, value) {
        Ok(()) => Ok(Some(writer.bytes)),
        // The only writing error `Within` makes is the bound.
        Err(err) if err.is_io() => Ok(None),
        Err(err) => Err(err),
    }
}

/// The `X-RateLimit-*` headers of `charge`, on `response`: the budget, what is left, when it is
/// full again (seconds since the epoch) and what this request cost.
pub fn with_rate_headers(mut response: Response, charge: &Charge) -> Response {
    let reset = SystemTime::now().checked_add(charge.reset_after).unwrap_or_else(SystemTime::now);
    let reset = reset.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    let values = [
        ("x-ratelimit-limit", charge.limit.to_string()),
        ("x-ratelimit-remaining", charge.remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-cost", charge.cost.to_string()),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.http_headers.insert(name, value);
        }
    }
    response
}

/// Keeps the bytes written and fails past `max`.
struct Within {
    bytes: Vec<u8>,
    max: usize,
}

impl Write for Within {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    // serde_json writes through `write_all`, a few bytes at a time: one check and one copy each
    // (the default would loop through `write`).
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.bytes.len().saturating_add(buf.len()) > self.max {
            return Err(std::io::Error::other("over the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Counts bytes and fails past `max`.
struct Counter {
    written: usize,
    max: usize,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written = self.written.saturating_add(buf.len());
        if self.written > self.max {
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_within_writes_up_to_the_bound_and_no_further() {
        let value = json!({ "data": { "name": "Điện Biên" } });
        let text = serde_json::to_vec(&value).unwrap();
        assert_eq!(json_within(&value, text.len()).unwrap(), Some(text.clone()));
        assert_eq!(json_within(&value, text.len() - 1).unwrap(), None);
        assert_eq!(json_within(&value, 0).unwrap(), None);
    }
}
