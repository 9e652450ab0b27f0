//! Outside the scope a person shows their name only: reached through a transferred member's
//! introducers, an out-of-scope person's every other field is FORBIDDEN.

use ketnap::auth::Role;
use serde_json::json;

use super::{call, token};
use crate::common::TestApp;
use crate::common::pipeline::{id, ready_candidate};
use crate::http::{start_with, test_settings};

/// Every field of `Person` and `Member` but the ID and full name, as a selection on the introducer.
const GUARDED: &[&str] = &[
    "person { otherNames }",
    "person { gender }",
    "person { dateOfBirth }",
    "person { ethnicity }",
    "person { isEthnicMinority }",
    "person { religion }",
    "person { generalEducation }",
    "person { professionalEducation }",
    "person { politicalTheory }",
    "person { occupation }",
    "person { position }",
    "person { citizenId }",
    "person { address }",
    "person { ageOn }",
    "person { nominations { id } }",
    "person { enrolments { id } }",
    "person { admission { id } }",
    "person { membership { id } }",
    "person { createdAt }",
    "status",
    "partySince",
    "officialSince",
    "endedOn",
    "endReason",
    "cell { code }",
    "stints { from }",
    "admission { id }",
    "createdAt",
];

#[tokio::test]
async fn an_introducer_from_another_district_shows_a_name_and_nothing_else() {
    let test = TestApp::new().await;
    let ready = ready_candidate(&test, "1995-01-01").await;
    let admitted = test.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers()).on("2021-03-02");
    admitted.await.expect("admitted in Bắc Trà My");
    let on = "1990-01-01";
    let district = Some(ready.place.foreign_district.as_str());
    let commune = test.create_unit_on("QN.NT.TT", "Tam Tiến", "COMMUNE", "COMMUNE", district, on).await;
    let cell = test.create_unit_on("QN.NT.TT.1", "Chi bộ thôn 1", "CELL", "VILLAGE", Some(&commune), on).await;
    let member = "query($id: ID!) { node(id: $id) { ... on Person { membership { id } } } }";
    let member = test.ok(member, json!({ "id": ready.candidate })).await;
    test.transfer(&id(&member["node"]["membership"]), &cell, "2022-01-03").await.expect("moved to Núi Thành");
    let base = start_with(&test, &test_settings()).await;
    let viewer = token(Role::Viewer, "QN.NT");

    // Her own record is Núi Thành's now; her introducers stayed in Bắc Trà My.
    let path = |selection: &str| {
        format!(
            "query($id: ID!) {{ node(id: $id) {{ ... on Person {{ fullName ethnicity
               admission {{ introducers {{ member {{ id person {{ id fullName }} {selection} }} }} }} }} }} }}"
        )
    };
    let names = call(&base, &viewer, &path(""), json!({ "id": ready.candidate })).await;
    assert!(names.get("errors").is_none(), "{names:#}");
    let introducers = &names["data"]["node"]["admission"]["introducers"];
    assert_eq!(introducers[0]["member"]["person"]["fullName"], "Hồ Văn Một", "{names:#}");
    assert_eq!(names["data"]["node"]["ethnicity"], "Xơ Đăng", "her own profile is in scope");

    for selection in GUARDED {
        let response = call(&base, &viewer, &path(selection), json!({ "id": ready.candidate })).await;
        let error = &response["errors"][0];
        assert_eq!(error["extensions"]["code"], "FORBIDDEN", "{selection}: {response:#}");
        assert_eq!(response["errors"].as_array().map(Vec::len), Some(2), "{selection}: one per introducer");
        assert!(!response.to_string().contains("Kinh") && !response.to_string().contains("1990-"), "{selection}");
    }

    // Bắc Trà My, where the introducers are, reads them whole.
    let (home, selection) = (token(Role::Viewer, "QN.BTM"), path("person { ethnicity } partySince"));
    let home = call(&base, &home, &selection, json!({ "id": ready.candidate })).await;
    assert!(home.get("errors").is_none(), "{home:#}");
}
