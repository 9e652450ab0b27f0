//! The audit trail: every successful mutation leaves a record of who changed what, before and
//! after; a refused or failed one leaves none; administrators query it by subtree, person, user
//! and time, within their scope only.

use chrono::{Duration, Utc};
use ketnap::auth::Role;
use serde_json::{Value, json};

use crate::common::pipeline::{id, ready_candidate};
use crate::common::{TestApp, article_tree};

const TRAIL: &str = "query($within: ID, $person: ID, $actor: String, $from: DateTime, $until: DateTime) {
    auditTrail(within: $within, person: $person, actor: $actor, from: $from, until: $until) {
        totalCount
        nodes { actorSubject actorName operation entityType entityId unit { code } person { fullName }
                before after changedFields } } }";

async fn trail(app: &TestApp, user: &ketnap::auth::Principal, filter: Value) -> Value {
    let response = app.run_as(user, TRAIL, filter).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["auditTrail"].clone()
}

#[tokio::test]
async fn changes_are_recorded_with_who_and_what_and_queried_within_the_scope() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let editor = app.user(Role::Editor, "DB.TC").await;
    let tc_admin = app.user(Role::Admin, "DB.TC").await;
    let mc_admin = app.user(Role::Admin, "DB.MC").await;

    let nominate = "mutation($input: NominateInput!) { nominate(input: $input) { nomination { id person { id } } } }";
    let input = json!({ "input": { "cellId": tree.san_sui, "nominatingBody": "CELL", "nominatedOn": "2021-02-02",
        "person": { "fullName": "Giàng Thị Dợ", "gender": "FEMALE", "dateOfBirth": "2000-01-01", "ethnicity": "Mông",
                    "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" } } });
    let created = app.run_as(&editor, nominate, input).await;
    let person = created["data"]["nominate"]["nomination"]["person"]["id"].as_str().expect("a person").to_owned();
    let rename = "mutation($id: ID!) { renameUnit(input: { id: $id, name: \"Xã Xá Nhè\", effectiveOn: \"2024-01-01\" }) { unit { name } } }";
    let renamed = app.run_as(&tc_admin, rename, json!({ "id": tree.xa_nhe })).await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");

    let all = trail(&app, &tc_admin, json!({})).await;
    let operations: Vec<&str> =
        all["nodes"].as_array().unwrap().iter().map(|n| n["operation"].as_str().unwrap()).collect();
    assert_eq!(&operations[..3], ["renameUnit", "nominate", "createPerson"], "newest first: {all:#}");
    let rename_entry = &all["nodes"][0];
    assert_eq!(rename_entry["actorSubject"], "admin@DB.TC");
    assert_eq!(rename_entry["actorName"], "admin of DB.TC");
    assert_eq!(rename_entry["entityId"], json!(tree.xa_nhe));
    assert_eq!(rename_entry["before"]["name"], "Xá Nhè");
    assert_eq!(rename_entry["after"]["name"], "Xã Xá Nhè");
    assert!(rename_entry["changedFields"].as_array().unwrap().contains(&json!("name")));

    // By person, by user, by time.
    let of_person = trail(&app, &tc_admin, json!({ "person": person })).await;
    assert!(of_person["totalCount"].as_u64().unwrap() >= 2, "the person and the nomination: {of_person:#}");
    assert!(of_person["nodes"].as_array().unwrap().iter().all(|n| n["person"]["fullName"] == "Giàng Thị Dợ"));
    let by_editor = trail(&app, &tc_admin, json!({ "actor": "editor@DB.TC" })).await;
    assert_eq!(by_editor["totalCount"], 2, "the person and the nomination: {by_editor:#}");
    assert!(by_editor["nodes"].as_array().unwrap().iter().all(|n| n["actorSubject"] == "editor@DB.TC"));
    let future = (Utc::now() + Duration::hours(1)).to_rfc3339();
    assert_eq!(trail(&app, &tc_admin, json!({ "from": future })).await["totalCount"], 0);
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    assert_eq!(trail(&app, &tc_admin, json!({ "until": past })).await["totalCount"], 0);

    // Another district's administrator sees none of it; a viewer may not read the trail.
    let theirs = trail(&app, &mc_admin, json!({})).await;
    let codes: Vec<&str> =
        theirs["nodes"].as_array().unwrap().iter().map(|n| n["unit"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["DB.MC.HN", "DB.MC"], "only the creation of its own units: {theirs:#}");
    let hidden = app.run_as(&mc_admin, TRAIL, json!({ "person": person })).await;
    assert_eq!(hidden["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let viewer = app.user(Role::Viewer, "DB.TC").await;
    let refused = app.run_as(&viewer, TRAIL, json!({})).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

async fn entries(app: &TestApp, user: &ketnap::auth::Principal) -> u64 {
    trail(app, user, json!({})).await["totalCount"].as_u64().unwrap()
}

#[tokio::test]
async fn a_refused_or_failed_mutation_leaves_no_record() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let national = app.user(Role::Admin, "*").await;
    let before = entries(&app, &national).await;

    // Refused: a viewer renames; a district admin moves a unit out of its subtree.
    let viewer = app.user(Role::Viewer, "DB.TC").await;
    let rename = "mutation($id: ID!) { renameUnit(input: { id: $id, name: \"Khác\" }) { unit { name } } }";
    assert_eq!(
        app.run_as(&viewer, rename, json!({ "id": tree.xa_nhe })).await["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    let admin = app.user(Role::Admin, "DB.TC").await;
    let escape = "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to }) { unit { code } } }";
    let moved = app.run_as(&admin, escape, json!({ "id": tree.xa_nhe, "to": tree.muong_cha })).await;
    assert_eq!(moved["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // Failed: a domain rule refuses (a cell cannot hold a district).
    let wrong = app
        .error_code(
            "mutation($parent: ID!) { createUnit(input: { code: \"X\", name: \"X\", level: DISTRICT, kind: RURAL_DISTRICT, parentId: $parent }) { unit { id } } }",
            json!({ "parent": tree.san_sui }),
        )
        .await;
    assert_eq!(wrong, "VALIDATION");
    assert_eq!(entries(&app, &national).await, before, "no audit record for what did not happen");

    let renamed = app.run_as(&admin, rename, json!({ "id": tree.xa_nhe })).await;
    assert!(renamed.get("errors").is_none());
    assert_eq!(entries(&app, &national).await, before + 1);
}

/// `audit::changed` files each record under its own type, unit and person: a person under no
/// unit, a nomination and an admission under their cell, the member under the cell they joined.
#[tokio::test]
async fn each_record_is_filed_under_its_type_unit_and_person() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    let admitting = app.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers());
    let admission = admitting.on("2021-03-02").await.expect("admitted");
    app.ceremony(&id(&admission), "2021-03-19").await.expect("the ceremony is recorded");
    let query = "query($person: ID) { auditTrail(person: $person) {
        nodes { operation entityType unit { code } person { fullName } before } } }";
    let data = app.ok(query, json!({ "person": ready.candidate })).await;
    // The changes only: reading the candidate's personal fields on the way is on the trail too
    // (`readPersonalData`, tests/api/hardening/read_audit.rs).
    let changes: Vec<&serde_json::Value> = data["auditTrail"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|node| node["operation"] != "readPersonalData")
        .collect();
    insta::assert_json_snapshot!(changes, { "[].before" => insta::dynamic_redaction(|value, _| {
        // Only whether there was a record before matters here.
        if value.is_nil() { "none" } else { "a record" }
    }) }, @r#"
[
  {
    "before": "a record",
    "entityType": "Admission",
    "operation": "recordAdmissionCeremony",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM.TN.1"
    }
  },
  {
    "before": "none",
    "entityType": "Admission",
    "operation": "admit",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM.TN.1"
    }
  },
  {
    "before": "none",
    "entityType": "Member",
    "operation": "admit",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM.TN.1"
    }
  },
  {
    "before": "a record",
    "entityType": "Enrolment",
    "operation": "recordClassResults",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM"
    }
  },
  {
    "before": "none",
    "entityType": "Enrolment",
    "operation": "enrol",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM"
    }
  },
  {
    "before": "none",
    "entityType": "Nomination",
    "operation": "nominate",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": {
      "code": "QN.BTM.TN.1"
    }
  },
  {
    "before": "none",
    "entityType": "Person",
    "operation": "createPerson",
    "person": {
      "fullName": "Hồ Thị Lan"
    },
    "unit": null
  }
]
"#);
}
