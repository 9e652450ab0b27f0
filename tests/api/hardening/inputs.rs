//! Inputs an attacker sizes to exhaust the server: unbounded periods, huge searches, NUL bytes
//! and invisible-only text. Each is refused with VALIDATION before any work.

use ketnap::auth::Role;
use serde_json::{Value, json};

use super::{call, token};
use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, start_with, test_settings};

fn codes(response: &Value) -> Vec<String> {
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    errors.iter().map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned()).collect()
}

#[tokio::test]
async fn periods_are_bounded_and_a_series_lists_at_most_120_buckets() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let settings = ketnap::config::ServeArgs { body_limit_bytes: 1 << 20, ..test_settings() };
    let base = start_with(&test, &settings).await;
    let admin = admin_token();
    // The request that took the server to 4.7 GB, aliased 40 times.
    let series = |from: &str, to: &str| {
        let one = format!(
            "stats(period: {{ from: \"{from}\", to: \"{to}\" }}) {{ timeSeries(granularity: MONTH) {{ label admissions }} }}"
        );
        let aliased: String = (0..40).map(|i| format!("s{i}: {one} ")).collect();
        format!("{{ unit(code: \"DB\") {{ {aliased} }} }}")
    };
    let response = call(&base, &admin, &series("0001-01-01", "9999-12-31"), json!({})).await;
    assert!(response["data"].is_null(), "{response:#}");
    assert!(codes(&response).iter().all(|code| code == "VALIDATION") && !codes(&response).is_empty(), "{response:#}");

    // Within the years a record can fall in, a period longer than ten years by month is refused
    // as a series; ten years is answered.
    let response = call(&base, &admin, &series("1930-02-03", "2200-12-31"), json!({})).await;
    assert_eq!(codes(&response)[0], "VALIDATION", "{response:#}");
    assert!(response["errors"][0]["message"].as_str().unwrap_or("").contains("120"), "{response:#}");
    let response = call(&base, &admin, &series("2016-01-01", "2025-12-31"), json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(response["data"]["unit"]["s39"]["timeSeries"].as_array().map(Vec::len), Some(120));

    // A year before 1930 or after 2200 in a period is refused too.
    let early = "{ unit(code: \"DB\") { stats(period: { from: \"1920-01-01\", to: \"1921-01-01\" }) { admissions } } }";
    assert_eq!(codes(&call(&base, &admin, early, json!({})).await), ["VALIDATION"]);
}

#[tokio::test]
async fn searches_are_bounded_in_words_and_length() {
    let test = TestApp::new().await;
    article_tree(&test).await;
    let settings = ketnap::config::ServeArgs { body_limit_bytes: 2 << 20, ..test_settings() };
    let base = start_with(&test, &settings).await;
    let viewer = token(Role::Viewer, "DB");
    let people = "query($s: String!) { people(search: $s) { totalCount } }";
    let units = "query($s: String!) { searchUnits(query: $s) { totalCount } }";
    let many_words = vec!["a"; 999].join(" ");
    let long_word = "x".repeat(900_000);
    let five_thousand = vec!["b"; 5_000].join(" ");
    for (query, search) in [(people, &many_words), (people, &long_word), (units, &five_thousand)] {
        let response = call(&base, &viewer, query, json!({ "s": search })).await;
        assert_eq!(
            codes(&response),
            ["VALIDATION"],
            "{}",
            &response.to_string()[..300.min(response.to_string().len())]
        );
    }
    let fine = call(&base, &viewer, units, json!({ "s": "tua chua" })).await;
    assert_eq!(fine["data"]["searchUnits"]["totalCount"], 1, "{fine:#}");
}

#[tokio::test]
async fn nul_control_and_invisible_only_text_is_refused_before_any_work() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let editor = token(Role::Editor, "DB");
    let viewer = token(Role::Viewer, "DB");
    let people = "query($s: String!) { people(search: $s) { totalCount } }";
    for text in ["Hồ\u{0}Lan", "a\u{7}b", "\u{200B}\u{200B}", "\u{FEFF}"] {
        let response = call(&base, &viewer, people, json!({ "s": text })).await;
        assert_eq!(codes(&response), ["VALIDATION"], "{text:?}: {response:#}");
    }
    // The same as an escape inside the document.
    let inline = r#"{ people(search: "Ho\u0000Lan") { totalCount } }"#;
    assert_eq!(codes(&call(&base, &viewer, inline, json!({})).await), ["VALIDATION"]);
    // A name with a NUL in a mutation: refused, and nothing written.
    let nominate = "mutation($input: NominateInput!) { nominate(input: $input) { nomination { id } } }";
    let input = json!({ "input": { "cellId": tree.san_sui, "nominatingBody": "CELL", "nominatedOn": "2021-06-01",
        "person": { "fullName": "Vừ\u{0}Thị Sinh", "gender": "FEMALE", "dateOfBirth": "1999-09-19", "ethnicity": "Mông",
                    "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" } } });
    assert_eq!(codes(&call(&base, &editor, nominate, input).await), ["VALIDATION"]);
    let count = call(&base, &viewer, "{ people(search: \"sinh\") { totalCount } }", json!({})).await;
    assert_eq!(count["data"]["people"]["totalCount"], 0, "{count:#}");
}
