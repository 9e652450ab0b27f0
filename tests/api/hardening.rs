//! Issue 15, hardened against an outside attacker: each module reproduces one way in that was
//! found open and shows it closed, over HTTP with tokens scoped as an attacker's would be.

mod citizen_ids;
mod disclosure;
mod inputs;
mod limits;
mod read_audit;
mod reconnect;
mod relations;
mod smaller;
mod tokens;

use chrono::Duration;
use ketnap::auth::Role;
use serde_json::{Value, json};

use crate::common::test_keys;

/// A token for `role` in the unit with `code`, whose subject is `role@code`.
pub fn token(role: Role, code: &str) -> String {
    test_keys().issue(&format!("{role}@{code}"), "Cán bộ", role, code, Duration::hours(1)).expect("a token")
}

/// POSTs `query` with `variables` as `token`; answers the whole JSON response.
pub async fn call(base: &str, token: &str, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables });
    let response = reqwest::Client::new().post(format!("{base}/graphql")).bearer_auth(token).json(&body).send();
    response.await.expect("POST").json().await.expect("JSON")
}

/// The `(code, rule)` of each error of a response, in order.
pub fn refusals(response: &Value) -> Vec<(String, String)> {
    let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    errors.iter().map(|e| (text(&e["extensions"]["code"]), text(&e["extensions"]["rule"]))).collect()
}
