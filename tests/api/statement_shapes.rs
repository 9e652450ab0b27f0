//! A request sends the same statements, word for word, each time it is made. The PostgreSQL
//! driver keeps a connection's prepared statements by their text, so a statement whose text
//! changed from one request to the next would be parsed and planned again every time: the
//! province overview's admissions by profile did, in whatever order a loader's hash set listed
//! the breakdowns (BENCHMARKS.md, "The funnel in one grouping").

use chrono::Datelike;
use serde_json::json;

use crate::common::TestApp;
use crate::common::pipeline::{ADMIT, ready_candidate};

const PROVINCE_OVERVIEW: &str = include_str!("../../examples/province_overview.graphql");

/// The statements' texts, sorted (resolvers running side by side may send them in any order).
async fn texts(app: &TestApp, code: &str, year: i32) -> Vec<String> {
    let mut texts = app.statement_texts_for(PROVINCE_OVERVIEW, json!({ "code": code, "year": year })).await;
    texts.sort();
    texts
}

#[tokio::test]
async fn the_province_overview_sends_the_same_statements_every_time() {
    let app = TestApp::with_demo().await;
    let year = ketnap::calendar::today_in_vietnam().year() - 1;
    for code in ["QNM", "QNM.NTH"] {
        let first = texts(&app, code, year).await;
        let by_profile = first.iter().filter(|text| text.contains("grouping_index")).count();
        assert!(by_profile > 0, "{code}: the admissions by profile are among the statements: {first:#?}");
        // Eight more times: the chance that eight breakdowns come out of a hash set in one order
        // eight times over by luck is nil.
        for _ in 0..8 {
            assert_eq!(texts(&app, code, year).await, first, "{code}: the same statements as the first time");
        }
    }
}

/// The national ranking (`provinces` with its rows' figures) is one statement with the cache off,
/// and names the province level in its text rather than binding it: bound, PostgreSQL's generic
/// plan would estimate an average level's share of the units and never win over a custom plan, so
/// the statement was planned again at every call (0.12 ms of its 0.6 ms on the national database,
/// BENCHMARKS.md, "The province level in the text").
#[tokio::test]
async fn the_national_ranking_is_one_statement_with_its_level_in_the_text() {
    let app = TestApp::with_demo().await;
    let year = ketnap::calendar::today_in_vietnam().year() - 1;
    let ranking = "query($year: Int!) { provinces(first: 100) { nodes { code
        stats(period: { year: $year }) { admissions assignedTarget attainment { percent } } } } }";
    let texts = app.statement_texts_for(ranking, json!({ "year": year })).await;
    assert_eq!(texts.len(), 1, "the page with its rows' figures: {texts:#?}");
    assert!(texts[0].contains("u.level = 'PROVINCE'"), "{}", texts[0]);
    // A whole year's figures are one row of the year's figures per province: no sum of the
    // rollup's months, no probe of the targets (BENCHMARKS.md, "The year's figures in one row").
    assert!(texts[0].contains("unit_year_figures"), "{}", texts[0]);
    assert!(!texts[0].contains("unit_month_counts") && !texts[0].contains("targets t"), "{}", texts[0]);
}

/// A mutation's authorization checks every record it touches together, so records of one kind
/// load in one statement: an admission's two introducers are read once by the check (and once by
/// the Charter's introducer rules, inside the transaction), not once each.
#[tokio::test]
async fn an_admission_reads_its_two_introducers_together() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let admitting = app.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers()).on("2021-03-02");
    let input = admitting.input().clone();
    let texts = app.statement_texts_for(ADMIT, json!({ "input": input })).await;
    let by_id = r#"FROM "members" WHERE "members"."id" IN ("#;
    let members_by_id: Vec<&String> = texts.iter().filter(|text| text.contains(by_id)).collect();
    assert_eq!(members_by_id.len(), 2, "the check's read and the rules' read: {members_by_id:#?}");
    assert!(members_by_id.iter().all(|text| text.contains("$2") || text.contains("?, ?")), "{members_by_id:#?}");
}
