//! The GraphQL documents of the dashboard page (`assets/dashboard/queries/`), the same files the
//! binary embeds and the page sends: each is valid against the schema and answers on the demo
//! without errors, and one view costs the same number of statements whatever the number of units
//! ranked (no request the statement-count tests would call N+1). The page itself is checked in a
//! browser by `tests/node/dashboard-check.mjs`.

use std::time::Duration;

use async_graphql::{Request, Variables};
use chrono::Datelike;
use futures::StreamExt;
use ketnap::auth::Role;
use ketnap::calendar::today_in_vietnam;
use serde_json::{Value, json};

use crate::common::{TestApp, national_admin};

const VIEWER: &str = include_str!("../../assets/dashboard/queries/viewer.graphql");
const VIEW: &str = include_str!("../../assets/dashboard/queries/view.graphql");
const FIGURES_CHANGED: &str = include_str!("../../assets/dashboard/queries/figures_changed.graphql");

/// The variables the page sends for `code` and a year (the previous year beside it).
fn view_of(code: &str, year: i32) -> Value {
    json!({ "code": code, "period": { "year": year }, "previous": { "year": year - 1 }, "granularity": "MONTH" })
}

#[tokio::test]
async fn every_query_of_the_page_answers_on_the_demo() {
    let app = TestApp::with_demo().await;
    let viewer = app.ok(VIEWER, json!({})).await;
    let provinces: Vec<&str> =
        viewer["provinces"]["nodes"].as_array().into_iter().flatten().filter_map(|p| p["code"].as_str()).collect();
    assert_eq!(provinces, ["BKN", "DBN", "QNM"]);

    let year = today_in_vietnam().year() - 1;
    let view = app.ok(VIEW, view_of("QNM", year)).await;
    let stats = &view["unit"]["stats"];
    assert_eq!(stats["timeSeries"].as_array().map(Vec::len), Some(12), "a bucket per month");
    assert_eq!(view["unit"]["previous"]["timeSeries"].as_array().map(Vec::len), Some(12));
    assert_eq!(stats["ranking"].as_array().map(Vec::len), Some(3), "Quảng Nam's three districts");
    let quarter = json!({ "code": "QNM.BTM", "period": { "year": year, "quarter": 2 },
                          "previous": { "year": year - 1, "quarter": 2 }, "granularity": "MONTH" });
    assert_eq!(app.ok(VIEW, quarter).await["unit"]["stats"]["timeSeries"].as_array().map(Vec::len), Some(3));

    // The headline's counts of probationers equal the lists `probationReview` gives: due within
    // 30 days (the overdue included), and overdue (probation ended before today, so the list
    // as of yesterday with nothing ahead).
    let id = view["unit"]["id"].clone();
    let due = &view["unit"]["recognitionsDue"];
    let yesterday = (today_in_vietnam() - chrono::Days::new(1)).to_string();
    let lists = app
        .ok(
            "query($within: ID!, $yesterday: Date!) {
               due: probationReview(within: $within, dueWithinDays: 30) { totalCount }
               overdue: probationReview(within: $within, dueWithinDays: 0, asOf: $yesterday) { totalCount } }",
            json!({ "within": id, "yesterday": yesterday }),
        )
        .await;
    assert_eq!(due["due"], lists["due"]["totalCount"], "{due} {lists}");
    assert_eq!(due["overdue"], lists["overdue"]["totalCount"], "{due} {lists}");
    assert!(due["due"].as_u64() > Some(0), "the demo has probationers due: {due}");
}

/// One view is one request for every role: a `dashboard` token, which may not list people, reads
/// the counts of probationers due in the same document, and is refused the list itself.
#[tokio::test]
async fn a_dashboard_token_reads_the_whole_view_in_one_request() {
    let app = TestApp::with_demo().await;
    let year = today_in_vietnam().year() - 1;
    let dashboard = app.user(Role::Dashboard, "QNM").await;
    let view = app.run_as(&dashboard, VIEW, view_of("QNM", year)).await;
    assert!(view.get("errors").is_none(), "{view}");
    assert!(view["data"]["unit"]["recognitionsDue"]["due"].is_u64(), "{view}");
    let refused = app
        .run_as(
            &dashboard,
            "query($within: ID!) { probationReview(within: $within) { totalCount } }",
            json!({ "within": view["data"]["unit"]["id"] }),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
}

/// A subscription is validated when it starts: an invalid document answers at once with an
/// error, a valid one waits for the first change.
#[tokio::test]
async fn the_live_update_subscription_is_valid() {
    let app = TestApp::with_demo().await;
    let request = Request::new(FIGURES_CHANGED).variables(Variables::from_json(json!({ "code": "QNM" })));
    let mut stream = app.api.stream(request, national_admin());
    match tokio::time::timeout(Duration::from_millis(300), stream.next()).await {
        Err(_) => {}
        Ok(response) => panic!("the subscription answered without a change: {response:?}"),
    }
}

/// One view of the page is one request whose statement count does not grow with the number of
/// units ranked: a province of three districts (Quảng Nam) costs what a province of two (Điện Biên)
/// costs.
#[tokio::test]
async fn a_view_costs_the_same_for_two_districts_or_three() {
    let app = TestApp::with_demo().await;
    let year = today_in_vietnam().year() - 1;
    let (three, _) = app.statements_for(VIEW, view_of("QNM", year)).await;
    let (two, data) = app.statements_for(VIEW, view_of("DBN", year)).await;
    assert_eq!(data["unit"]["stats"]["ranking"].as_array().map(Vec::len), Some(2), "Điện Biên's two districts");
    assert_eq!(three, two, "statements for 3 units below vs 2");
}
