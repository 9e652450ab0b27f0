//! Issue 15, items 4 and 5: one request took the server to 4.7 GB, fragment doubling cost seconds
//! of CPU before it was refused, and 1,000 aliased `setTarget` all ran and counted once against
//! the rate limit. A request now costs what its fields produce (page sizes, series buckets, a
//! share per mutation field), counted without expanding fragments; it is refused over the limit
//! of one request (QUERY_TOO_COMPLEX, with `cost` and `limit`) or over the subject's budget
//! (RATE_LIMITED), every response says the budget in `X-RateLimit-*` headers, and a deadline and
//! a response-size bound answer with their own codes.

use ketnap::auth::Role;
use ketnap::config::ServeArgs;
use serde_json::{Value, json};

use super::token;
use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, start_with, test_settings};

fn settings(change: impl FnOnce(&mut ServeArgs)) -> ServeArgs {
    let mut settings = ServeArgs { body_limit_bytes: 1 << 20, ..test_settings() };
    change(&mut settings);
    settings
}

/// POSTs `query` as `token`: the headers and the JSON body.
async fn post(base: &str, token: &str, query: &str, variables: Value) -> (reqwest::header::HeaderMap, Value) {
    let body = json!({ "query": query, "variables": variables });
    let response = reqwest::Client::new().post(format!("{base}/graphql")).bearer_auth(token).json(&body).send();
    let response = response.await.expect("POST");
    let headers = response.headers().clone();
    (headers, response.json().await.expect("JSON"))
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"].as_str().unwrap_or("(none)")
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> i64 {
    headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(-1)
}

#[tokio::test]
async fn fragment_doubling_is_refused_with_its_cost_before_anything_runs() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &settings(|_| {})).await;
    // 2^24 fields in a body of about a kilobyte.
    let mut query = String::from("{ unit(code: \"DB\") { ...F24 } } fragment F0 on Unit { name } ");
    for n in 1..=24 {
        query.push_str(&format!("fragment F{n} on Unit {{ ...F{m} ...F{m} }} ", m = n - 1));
    }
    let (_, response) = post(&base, &admin_token(), &query, json!({})).await;
    assert_eq!(code(&response), "QUERY_TOO_COMPLEX", "{response:#}");
    assert_eq!(response["errors"][0]["extensions"]["cost"], (1 << 24) + 1);
    assert_eq!(response["errors"][0]["extensions"]["limit"], 10_000);
    assert!(response["errors"][0]["message"].as_str().unwrap_or("").contains("16777217"), "{response:#}");
}

#[tokio::test]
async fn series_buckets_and_page_sizes_count_toward_the_cost() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let base = start_with(&test, &settings(|_| {})).await;
    let admin = admin_token();
    let series = |period: &str| {
        let one = format!(
            "stats(period: {period}) {{ timeSeries(granularity: MONTH) {{ label start end admissions recognitions }} }}"
        );
        let aliased: String = (0..40).map(|i| format!("s{i}: {one} ")).collect();
        format!("{{ unit(code: \"DB\") {{ {aliased} }} }}")
    };
    // 40 decades by month, five fields a bucket: 40 × (2 + 120 × 5) + 1.
    let (_, response) = post(&base, &admin, &series("{ from: \"2016-01-01\", to: \"2025-12-31\" }"), json!({})).await;
    assert_eq!(code(&response), "QUERY_TOO_COMPLEX", "{response:#}");
    assert_eq!(response["errors"][0]["extensions"]["cost"], 40 * (2 + 120 * 5) + 1);
    // The same series of one year each: 40 × (2 + 12 × 5) + 1.
    let (headers, response) = post(&base, &admin, &series("{ year: 2021 }"), json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(header(&headers, "x-ratelimit-cost"), 40 * (2 + 12 * 5) + 1);
    // Pages: three pages of 100 people with 40 fields each are 12,000 fields.
    let fields = vec!["fullName"; 40].join(" ");
    let page = format!("people(first: 100) {{ nodes {{ {fields} }} }}");
    let query = format!("{{ a: {page} b: {page} c: {page} }}");
    let (_, response) = post(&base, &admin, &query, json!({})).await;
    assert_eq!(code(&response), "QUERY_TOO_COMPLEX", "{response:#}");
}

#[tokio::test]
async fn a_thousand_aliased_set_targets_do_not_run_and_the_budget_is_on_every_response() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = start_with(&test, &settings(|s| s.rate_limit_points_per_minute = 1_000)).await;
    let admin = token(Role::Admin, "DB");
    let set = |alias: usize| {
        format!(
            "t{alias}: setTarget(input: {{ target: {{ unitId: \"{}\", kind: ASSIGNED, year: 2021 }}, value: {alias} }}) {{ target {{ value }} }} ",
            tree.tua_chua
        )
    };
    let thousand: String = (1..=1_000).map(set).collect();
    let (_, response) = post(&base, &admin, &format!("mutation {{ {thousand} }}"), json!({})).await;
    assert_eq!(code(&response), "QUERY_TOO_COMPLEX", "{response:#}");
    assert!(response["errors"][0]["extensions"]["cost"].as_i64().unwrap_or(0) > 50_000, "{response:#}");
    let trail = "{ auditTrail(operation: \"setTarget\") { totalCount } }";
    let (headers, response) = post(&base, &admin, trail, json!({})).await;
    assert_eq!(response["data"]["auditTrail"]["totalCount"], 0, "{response:#}");
    // Every response says the budget: 1,000 points a minute, what is left, when it is full.
    assert_eq!(header(&headers, "x-ratelimit-limit"), 1_000);
    let cost = header(&headers, "x-ratelimit-cost");
    assert!(cost > 0);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 1_000 - cost);
    assert!(header(&headers, "x-ratelimit-reset") > chrono::Utc::now().timestamp() - 1);

    // Twenty aliased setTarget cost twenty shares (over a thousand points): refused, none run.
    let twenty: String = (1..=20).map(set).collect();
    let (headers, response) = post(&base, &admin, &format!("mutation {{ {twenty} }}"), json!({})).await;
    assert_eq!(code(&response), "RATE_LIMITED", "{response:#}");
    assert!(header(&headers, "retry-after") >= 1);
    let (_, response) = post(&base, &admin, trail, json!({})).await;
    assert_eq!(response["data"]["auditTrail"]["totalCount"], 0, "{response:#}");
    // Another subject has its own budget.
    let (headers, response) = post(&base, &token(Role::Admin, "QN"), trail, json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 1_000 - header(&headers, "x-ratelimit-cost"));
}

#[tokio::test]
async fn the_deadline_and_the_response_size_answer_with_their_own_codes() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let query = {
        let aliased: String = (0..40)
            .map(|i| format!("s{i}: stats(period: {{ from: \"2001-01-{:02}\", to: \"2021-12-31\" }}) {{ admissions nominated inSource admissionsByEthnicity {{ category count }} }} ", i % 28 + 1))
            .collect();
        format!("{{ unit(code: \"DB\") {{ {aliased} }} }}")
    };
    let hurried = start_with(&test, &settings(|s| s.request_deadline_ms = 1)).await;
    let (_, response) = post(&hurried, &admin_token(), &query, json!({})).await;
    assert_eq!(code(&response), "DEADLINE_EXCEEDED", "{response:#}");

    let small = start_with(&test, &settings(|s| s.max_response_bytes = 300)).await;
    let (_, response) = post(&small, &admin_token(), &query, json!({})).await;
    assert_eq!(code(&response), "RESPONSE_TOO_LARGE", "{response:#}");
    assert_eq!(response["errors"][0]["extensions"]["limit"], 300);
    let (_, response) = post(&small, &admin_token(), "{ unit(code: \"DB\") { name } }", json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
}

/// POSTs `query` as `token`: the body as sent, bytes.
async fn post_text(base: &str, token: &str, query: &str) -> String {
    let body = json!({ "query": query });
    let response = reqwest::Client::new().post(format!("{base}/graphql")).bearer_auth(token).json(&body).send();
    response.await.expect("POST").text().await.expect("a body")
}

/// The bound is the size of the body as sent (`--max-response-bytes`: "Largest response, in bytes
/// of JSON"), errors included: a body of exactly the bound is sent, one byte more is refused.
#[tokio::test]
async fn the_response_bound_is_the_body_as_sent_to_the_byte() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    // An answer with data and an error (`dissolvedOn` of a unit above a district user's scope).
    let query = "{ a: unit(code: \"DB\") { name } b: unit(code: \"DB\") { dissolvedOn } }";
    let user = token(Role::Viewer, "DB.TC");
    let roomy = start_with(&test, &settings(|_| {})).await;
    let sent = post_text(&roomy, &user, query).await;
    let answer: Value = serde_json::from_str(&sent).expect("JSON");
    assert_eq!(answer["data"]["a"]["name"], "Điện Biên", "{answer:#}");
    assert_eq!(code(&answer), "FORBIDDEN", "{answer:#}");

    let exact = start_with(&test, &settings(|s| s.max_response_bytes = sent.len())).await;
    assert_eq!(post_text(&exact, &user, query).await, sent);
    let short = start_with(&test, &settings(|s| s.max_response_bytes = sent.len() - 1)).await;
    let refused: Value = serde_json::from_str(&post_text(&short, &user, query).await).expect("JSON");
    assert_eq!(code(&refused), "RESPONSE_TOO_LARGE", "{refused:#}");
    assert_eq!(refused["errors"][0]["extensions"]["limit"], sent.len() - 1);
}
