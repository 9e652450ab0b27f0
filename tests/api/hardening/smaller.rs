//! The smaller holes: citizen IDs checked against their structure, unit codes unique whatever
//! their case, and a `setTarget` that changes nothing writes nothing.

use ketnap::auth::Role;
use serde_json::json;

use super::{call, refusals, token};
use crate::common::pipeline::{NOMINATE, citizen, place};
use crate::common::{TestApp, article_tree};
use crate::http::{admin_token, start_with, test_settings};

#[tokio::test]
async fn a_citizen_id_must_agree_with_its_structure_and_its_person() {
    let test = TestApp::new().await;
    let place = place(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let editor = token(Role::Editor, "QN.BTM");
    // citizen(): a woman; the domain's structure: province (3), century and gender (1), year (2).
    let cases = [
        ("000000000000", "1972-09-02", "CITIZEN_ID_STRUCTURE"),
        ("097172000123", "1972-09-02", "CITIZEN_ID_STRUCTURE"),
        ("049072000123", "1972-09-02", "CITIZEN_ID_STRUCTURE"),
        ("049372000123", "1972-09-02", "CITIZEN_ID_STRUCTURE"),
        ("049173000123", "1972-09-02", "CITIZEN_ID_STRUCTURE"),
        ("049100000123", "2000-01-01", "CITIZEN_ID_STRUCTURE"),
    ];
    for (id, born, rule) in cases {
        let mut person = citizen("Hồ Thị Lượng", born);
        person["citizenId"] = json!(id);
        let input = json!({ "input": { "person": person, "cellId": place.cell, "nominatingBody": "CELL",
                                        "nominatedOn": "2021-06-01" } });
        let response = call(&base, &editor, NOMINATE, input).await;
        assert_eq!(refusals(&response), [("VALIDATION".to_owned(), rule.to_owned())], "{id}: {response:#}");
        assert_eq!(response["errors"][0]["extensions"]["field"], "citizenId", "{id}");
    }
    let mut person = citizen("Hồ Thị Lượng", "2000-01-01");
    person["citizenId"] = json!("049300000123");
    let input = json!({ "input": { "person": person, "cellId": place.cell, "nominatingBody": "CELL",
                                    "nominatedOn": "2021-06-01" } });
    let response = call(&base, &editor, NOMINATE, input).await;
    assert!(response.get("errors").is_none(), "a woman born in 2000: {response:#}");
}

#[tokio::test]
async fn unit_codes_are_unique_whatever_their_case() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let create = format!(
        r#"mutation {{ createUnit(input: {{ code: "db.tc.xn", name: "Xá Nhè (bis)", level: COMMUNE, kind: COMMUNE,
             parentId: "{}", establishedOn: "2020-01-01" }}) {{ unit {{ id }} }} }}"#,
        tree.tua_chua
    );
    let response = call(&base, &admin_token(), &create, json!({})).await;
    assert_eq!(refusals(&response), [("CONFLICT".to_owned(), String::new())], "{response:#}");
}

#[tokio::test]
async fn a_set_target_that_changes_nothing_writes_no_audit_row() {
    let test = TestApp::new().await;
    let tree = article_tree(&test).await;
    let base = start_with(&test, &test_settings()).await;
    let admin = admin_token();
    let set = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";
    let input = |value: i32| json!({ "input": { "target": { "unitId": tree.tua_chua, "kind": "ASSIGNED", "year": 2021 }, "value": value } });
    for value in [90, 90, 90, 95, 95] {
        let response = call(&base, &admin, set, input(value)).await;
        assert_eq!(response["data"]["setTarget"]["target"]["value"], value, "{response:#}");
    }
    let trail = "{ auditTrail(operation: \"setTarget\") { totalCount nodes { before after } } }";
    let trail = call(&base, &admin, trail, json!({})).await;
    assert_eq!(trail["data"]["auditTrail"]["totalCount"], 2, "one row per change: {trail:#}");
}
