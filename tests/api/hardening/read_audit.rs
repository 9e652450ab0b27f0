//! Issue 15, item 7: 34 reads of people with citizen ID, birth date and address, and a search by
//! citizen ID, wrote nothing. Every read of a personal or sensitive field of a person, and every
//! search by citizen ID, is now recorded in the audit trail (who, when, which person, which
//! fields), in one statement after the request, and `auditTrail(operation:)` finds them.

use ketnap::auth::Role;
use serde_json::{Value, json};

use super::{call, token};
use crate::common::TestApp;
use crate::common::pipeline::{citizen, id, place};
use crate::http::{admin_token, start_with, test_settings};

const CITIZEN_ID: &str = "049172000123";

async fn trail(base: &str, operation: &str, actor: &str) -> Value {
    let query = "query($operation: String!, $actor: String!) { auditTrail(operation: $operation, actor: $actor) {
        totalCount nodes { actorSubject operation entityType entityId after } } }";
    let response = call(base, &admin_token(), query, json!({ "operation": operation, "actor": actor })).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["auditTrail"].clone()
}

#[tokio::test]
async fn reads_of_personal_fields_and_citizen_id_searches_are_on_the_audit_trail() {
    let test = TestApp::new().await;
    let place = place(&test).await;
    let mut profile = citizen("Hồ Thị Lượng", "1972-09-02");
    profile["citizenId"] = json!(CITIZEN_ID);
    let nominated = test.nominate(profile).into(&place.cell).await.expect("nominated");
    let person = id(&nominated["person"]);
    let base = start_with(&test, &test_settings()).await;
    let viewer = token(Role::Viewer, "QN.BTM");
    let actor = "viewer@QN.BTM";

    // Names only: nothing personal was read, nothing is written.
    let names = call(&base, &viewer, "{ people(search: \"Lượng\") { nodes { fullName } } }", json!({})).await;
    assert_eq!(names["data"]["people"]["nodes"][0]["fullName"], "Hồ Thị Lượng", "{names:#}");
    assert_eq!(trail(&base, "readPersonalData", actor).await["totalCount"], 0);

    // The profile with its personal and sensitive fields, asked twice in one request: one row.
    let read = "{ people(search: \"Lượng\") { nodes { id citizenId dateOfBirth address ethnicity religion } }
                  again: people(search: \"Lượng\") { nodes { citizenId } } }";
    let response = call(&base, &viewer, read, json!({})).await;
    assert_eq!(response["data"]["people"]["nodes"][0]["citizenId"], CITIZEN_ID, "{response:#}");
    let reads = trail(&base, "readPersonalData", actor).await;
    assert_eq!(reads["totalCount"], 1, "{reads:#}");
    let row = &reads["nodes"][0];
    assert_eq!((&row["entityType"], &row["actorSubject"]), (&json!("Person"), &json!(actor)));
    assert_eq!(
        row["after"]["fields"],
        json!(["address", "citizenId", "dateOfBirth", "ethnicity", "religion"]),
        "{row:#}"
    );

    // A search by citizen ID, found or not, is recorded with whom it found.
    for search in [CITIZEN_ID, "049172999999"] {
        let query = "query($s: String!) { people(search: $s) { nodes { fullName } } }";
        call(&base, &viewer, query, json!({ "s": search })).await;
    }
    let searches = trail(&base, "searchByCitizenId", actor).await;
    assert_eq!(searches["totalCount"], 2, "{searches:#}");
    let found: Vec<(Value, Value)> = searches["nodes"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| (row["entityType"].clone(), row["after"]["found"].clone()))
        .collect();
    assert!(found.contains(&(json!("Search"), json!(0))), "{searches:#}");
    assert!(found.contains(&(json!("Person"), json!(1))), "{searches:#}");

    // The person's own trail shows who read them.
    let query = "query($p: ID!) { auditTrail(person: $p, operation: \"readPersonalData\") { totalCount } }";
    let mine = call(&base, &admin_token(), query, json!({ "p": person })).await;
    assert!(mine["data"]["auditTrail"]["totalCount"].as_i64().unwrap_or(0) >= 1, "{mine:#}");
}
