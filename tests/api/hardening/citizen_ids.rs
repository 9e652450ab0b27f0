//! A citizen ID probed from another district: the errors carry nothing of the recorded person,
//! and taking over a person who moved is an explicit, audited link whose result each side sees.

use ketnap::auth::Role;
use serde_json::{Value, json};

use super::{call, refusals, token};
use crate::common::TestApp;
use crate::common::people::roster_member;
use crate::common::pipeline::{NOMINATE, Place, citizen, id, place};
use crate::http::{admin_token, start_with, test_settings};

const CITIZEN_ID: &str = "049172000123";

fn profile(name: &str, born: &str) -> Value {
    let mut profile = citizen(name, born);
    profile["citizenId"] = json!(CITIZEN_ID);
    profile
}

fn nomination(person: Value, cell: &str, link: bool) -> Value {
    json!({ "input": { "person": person, "cellId": cell, "nominatingBody": "CELL", "nominatedOn": "2021-06-01",
                       "linkExistingPerson": link } })
}

/// Bắc Trà My recorded Hồ Thị Lượng (with a mentor) and removed her from the source when she
/// moved; Núi Thành has a commune and cell of its own. Answers the place, Núi Thành's cell and her ID.
async fn moved_away(test: &TestApp) -> (Place, String, String) {
    let place = place(test).await;
    let on = "1990-01-01";
    let commune = test.create_unit_on("QN.NT.TT", "Tam Tiến", "COMMUNE", "COMMUNE", Some(&place.foreign_district), on);
    let commune = commune.await;
    let cell = test.create_unit_on("QN.NT.TT.1", "Chi bộ thôn 1", "CELL", "VILLAGE", Some(&commune), on).await;
    let mentor = roster_member(test, &place.cell, "Hồ Văn Giúp", "2000-01-01", Some("2001-01-01")).await;
    let nominated = test.nominate(profile("Hồ Thị Lượng", "1972-09-02")).into(&place.cell).mentored_by(&[&mentor]);
    let nominated = nominated.await.expect("nominated in Bắc Trà My");
    let remove = "mutation($id: ID!) { removeFromSource(input: { nominationId: $id, reason: MOVED_AWAY,
        removedOn: \"2021-01-15\", note: \"Chuyển về Núi Thành; lý lịch có vấn đề cần xác minh\" }) { nomination { id } } }";
    test.ok(remove, json!({ "id": id(&nominated) })).await;
    (place, cell, id(&nominated["person"]))
}

#[tokio::test]
async fn a_probe_by_citizen_id_learns_nothing_of_the_person() {
    let test = TestApp::new().await;
    let (place, cell, _) = moved_away(&test).await;
    let settings = ketnap::config::ServeArgs { body_limit_bytes: 1 << 20, ..test_settings() };
    let base = start_with(&test, &settings).await;
    let nui_thanh = token(Role::Editor, "QN.NT");

    // Fifty aliased probes in one request, as the attacker sent them: the first error ends the
    // request (a non-null mutation field), it is a CONFLICT, and it carries neither the recorded
    // name nor the date of birth.
    let probes: String = (0..50)
        .map(|i| {
            format!(
                r#"p{i}: nominate(input: {{ cellId: "{cell}", nominatingBody: CELL, nominatedOn: "2021-06-01",
                   person: {{ fullName: "Nguyễn Thị {i}", gender: FEMALE, dateOfBirth: "1972-01-01", ethnicity: "Kinh",
                   generalEducation: UPPER_SECONDARY, occupation: FARMER, citizenId: "{CITIZEN_ID}" }} }}) {{ nomination {{ id }} }} "#
            )
        })
        .collect();
    let response = call(&base, &nui_thanh, &format!("mutation {{ {probes} }}"), json!({})).await;
    let errors = response["errors"].as_array().expect("refused");
    assert!(!errors.is_empty(), "{response:#}");
    let text = response.to_string();
    for secret in ["Lượng", "1972-09-02", "02/09/1972", "Hồ", "Bắc Trà My", "MOVED", "source pool", "member"] {
        assert!(!text.contains(secret), "the probe answer carries {secret}: {response:#}");
    }
    assert!(refusals(&response).iter().all(|(code, _)| code == "CONFLICT"), "{response:#}");

    // A mismatch inside one's own scope answers in the very same words: the answer does not say
    // whether the recorded person is the caller's to see.
    let bac_tra_my = token(Role::Editor, "QN.BTM");
    let own = call(&base, &bac_tra_my, NOMINATE, nomination(profile("Nguyễn Thị 0", "1972-01-01"), &place.cell, false));
    let own = own.await;
    assert_eq!(own["errors"][0]["message"], errors[0]["message"], "{own:#}");

    // The right name and date of birth without the explicit link: refused, naming no one, and not
    // telling membership or pipeline (ALREADY_MEMBER, ACTIVE_NOMINATION_EXISTS are not reached).
    let right = call(&base, &nui_thanh, NOMINATE, nomination(profile("Hồ Thị Lượng", "1972-09-02"), &cell, false));
    let right = right.await;
    assert_eq!(refusals(&right), [("RULE_VIOLATION".to_owned(), "PERSON_RECORDED_ELSEWHERE".to_owned())]);
    assert!(!right.to_string().contains("Bắc Trà My"), "{right:#}");
}

#[tokio::test]
async fn linking_a_person_who_moved_is_explicit_audited_and_shows_each_side_its_own() {
    let test = TestApp::new().await;
    let (_, cell, person) = moved_away(&test).await;
    let base = start_with(&test, &test_settings()).await;

    let linked = call(
        &base,
        &token(Role::Editor, "QN.NT"),
        NOMINATE,
        nomination(profile("Hồ Thị Lượng", "1972-09-02"), &cell, true),
    )
    .await;
    assert!(linked.get("errors").is_none(), "{linked:#}");
    assert_eq!(linked["data"]["nominate"]["nomination"]["person"]["id"], json!(person), "one person, linked");

    let trail = "{ auditTrail(operation: \"linkPerson\") { nodes { actorSubject entityType unit { code } } } }";
    let trail = call(&base, &admin_token(), trail, json!({})).await;
    assert_eq!(
        trail["data"]["auditTrail"]["nodes"],
        json!([{ "actorSubject": "editor@QN.NT", "entityType": "Person", "unit": { "code": "QN.NT.TT.1" } }]),
        "{trail:#}"
    );

    // Each side sees the person (Núi Thành has her papers now), and of the other side's
    // nomination only its cell's name, date and status: its removal note and mentors stay there.
    let timeline = "query($id: ID!) { node(id: $id) { ... on Person { fullName citizenId
        nominations { cell { code } status removalNote } } } }";
    let mentors = "query($id: ID!) { node(id: $id) { ... on Person { nominations { mentors { member { id } } } } } }";
    for (side, other) in [("QN.NT", 0), ("QN.BTM", 1)] {
        let viewer = token(Role::Viewer, side);
        let seen = call(&base, &viewer, timeline, json!({ "id": person })).await;
        let node = &seen["data"]["node"];
        assert_eq!(node["citizenId"], CITIZEN_ID, "{side}: {seen:#}");
        let nominations = node["nominations"].as_array().expect("the timeline");
        assert_eq!(nominations.len(), 2, "{side}: {seen:#}");
        assert!(nominations[other]["cell"]["code"].is_string(), "{side}: {seen:#}");
        assert!(nominations[other]["removalNote"].is_null(), "{side}: {seen:#}");
        assert!(nominations[1 - other]["status"].is_string(), "{side}: {seen:#}");
        assert_eq!(forbidden(&seen), [json!(["node", "nominations", other, "removalNote"])], "{side}: {seen:#}");
        let seen = call(&base, &viewer, mentors, json!({ "id": person })).await;
        assert_eq!(forbidden(&seen), [json!(["node", "nominations", other, "mentors"])], "{side}: {seen:#}");
    }
}

/// The paths of the FORBIDDEN errors of a response.
fn forbidden(response: &Value) -> Vec<Value> {
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    errors.into_iter().filter(|e| e["extensions"]["code"] == "FORBIDDEN").map(|e| e["path"].clone()).collect()
}
