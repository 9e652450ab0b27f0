//! Corrections that reach a signed-off period other than through a fact dated in it: a profile
//! correction that changes the breakdowns of an admission the period counts, and a certificate
//! date moved into the period or out of it (the funnel counts its cohort by certificate date).

use serde_json::{Value, json};

use super::helpers::{committees, full_round, reopen};
use crate::common::TestApp;
use crate::common::pipeline::{
    CREATE_CLASS, ENROL, Outcome, RECORD_RESULTS, Refusal, citizen, id, place, ready_candidate,
};

const CORRECT_PERSON: &str = "mutation($id: ID!, $person: PersonInput!) {
    correctPerson(input: { personId: $id, person: $person }) { person { ethnicity gender dateOfBirth address } } }";

fn refused(outcome: Result<Value, Refusal>) {
    let refusal = outcome.unwrap_err();
    assert_eq!(refusal.rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"), "{refusal:?}");
}

async fn correct(app: &TestApp, person: &str, profile: Value) -> Outcome {
    app.attempt(CORRECT_PERSON, json!({ "id": person, "person": profile })).await
}

#[tokio::test]
async fn a_profile_correction_that_changes_a_signed_off_breakdown_is_refused() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let p = &ready.place;
    app.admit(&ready.candidate).into(p).introduced_by(&ready.introducers()).on("2021-03-02").await.unwrap();
    let c = committees(&app).await;
    full_round(&app, p, &c, 2021).await;

    // Hồ Thị Lan, Xơ Đăng, admitted in 2021: the year's ethnicity, gender and age breakdowns count her.
    let lan = citizen("Hồ Thị Lan", "2000-02-10");
    let mut kinh = lan.clone();
    kinh["ethnicity"] = json!("Kinh");
    refused(correct(&app, &ready.candidate, kinh.clone()).await);
    let mut male = lan.clone();
    male["gender"] = json!("MALE");
    refused(correct(&app, &ready.candidate, male).await);
    let mut older = lan.clone();
    older["dateOfBirth"] = json!("1980-02-10");
    refused(correct(&app, &ready.candidate, older).await);

    // A field no figure counts (the address, a name's spelling) is corrected as before.
    let mut address = lan.clone();
    address["address"] = json!("Thôn 1, xã Trà Nú");
    address["fullName"] = json!("Hồ Thị Lân");
    let corrected = correct(&app, &ready.candidate, address).await.unwrap();
    assert_eq!(corrected["correctPerson"]["person"]["address"], "Thôn 1, xã Trà Nú");
    // A member loaded from the roster has no admission in 2021: nothing of the year counts them.
    let mut introducer = citizen("Hồ Văn Một", "2000-01-01");
    introducer["gender"] = json!("MALE");
    let member_person = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }",
            json!({ "id": ready.introducers[0] }),
        )
        .await["node"]["person"]["id"]
        .clone();
    correct(&app, member_person.as_str().expect("an id"), introducer).await.unwrap();

    // Reopened from the top down, the correction goes through.
    for (unit, above) in
        [(&p.province, &c.country), (&p.district, &c.province), (&p.commune, &c.district), (&p.cell, &c.commune)]
    {
        reopen(&app, above, unit, 2021, "Sửa dân tộc khai nhầm").await.unwrap();
    }
    let fixed = correct(&app, &ready.candidate, kinh).await.unwrap();
    assert_eq!(fixed["correctPerson"]["person"]["ethnicity"], "Kinh");

    // The cell's breakdowns as signed off stay beside the live ones: its admission by ethnicity
    // was Xơ Đăng when signed off and is Kinh now; no figure differs, the breakdown does.
    let cell = ethnicity_as_signed_off(&app, &c.cell, &p.cell).await;
    assert_eq!(cell["official"]["differences"], json!([]), "{cell:#}");
    assert_eq!(cell["official"]["changedSince"], true, "{cell:#}");
    let breakdown = &cell["official"]["breakdowns"][0];
    assert_eq!(breakdown["breakdown"], "admissionsByEthnicity");
    assert_eq!(breakdown["official"], json!([{ "category": "Xơ Đăng", "count": 1, "disclosure": "SHOWN" }]));
    assert_eq!(breakdown["live"], json!([{ "category": "Kinh", "count": 1, "disclosure": "SHOWN" }]));
    assert_eq!(breakdown["changed"], true);
    let kept: Vec<(&str, bool)> = cell["official"]["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["breakdown"].as_str().unwrap(), b["changed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        kept,
        [
            ("admissionsByEthnicity", true),
            ("admissionsByGender", false),
            ("admissionsByAgeBand", false),
            ("admissionsByGeneralEducation", false),
            ("admissionsByProfessionalEducation", false),
            ("admissionsByReligion", false),
            ("admissionsByNominatingBody", false),
            ("admissionsByOccupation", false),
            ("removedByReason", false),
            ("membershipInflows", false),
            ("membershipOutflows", false),
            ("membersAtOpening", false),
            ("timeSeries.admissions", false),
            ("timeSeries.recognitions", false),
            ("classAttendance", false),
            ("candidateTraining", false),
            ("funnel.removedByReason", false),
        ]
    );
    // A figures-only role sees one admission neither way: both sides withheld alike, no change shown.
    let dashboard = app.user(ketnap::auth::Role::Dashboard, "QN.BTM.TN.1").await;
    let withheld = ethnicity_as_signed_off(&app, &dashboard, &p.cell).await;
    let breakdown = &withheld["official"]["breakdowns"][0];
    let suppressed = json!([{ "category": "SUPPRESSED", "count": null, "disclosure": "SUPPRESSED" }]);
    assert_eq!((&breakdown["official"], &breakdown["live"]), (&suppressed, &suppressed), "{withheld:#}");
    assert_eq!((&breakdown["changed"], &withheld["official"]["changedSince"]), (&json!(false), &json!(false)));
}

/// The unit's 2021 official figures with the first kept breakdown (admissions by ethnicity).
async fn ethnicity_as_signed_off(app: &TestApp, who: &ketnap::auth::Principal, unit: &str) -> Value {
    let query = "query($id: ID!) { node(id: $id) { ... on Unit { stats(period: { year: 2021 }) {
        official { changedSince differences { figure } breakdowns { breakdown changed
            official { category count disclosure } live { category count disclosure } } } } } } }";
    let response = app.run_as(who, query, json!({ "id": unit })).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["node"]["stats"].clone()
}

/// An awareness class of the district that started on 14 December 2020 (an open year).
async fn december_class(app: &TestApp, district: &str, person: &str) -> String {
    let input = json!({ "organiserId": district, "kind": "AWARENESS", "title": "Lớp cảm tình Đảng 12/2020",
                        "startsOn": "2020-12-14", "endsOn": "2020-12-18", "place": "Trung tâm Chính trị" });
    let class = app.ok(CREATE_CLASS, json!({ "input": input })).await;
    let class = id(&class["createTrainingClass"]["trainingClass"]);
    app.ok(ENROL, json!({ "class": class, "people": [person] })).await;
    class
}

async fn certify(app: &TestApp, class: &str, person: &str, on: &str) -> Outcome {
    let results = json!([{ "personId": person, "result": "COMPLETED", "certificateNumber": "GCN-7",
                           "certificateDate": on }]);
    app.attempt(RECORD_RESULTS, json!({ "input": { "classId": class, "results": results } })).await
}

#[tokio::test]
async fn a_certificate_date_moved_into_or_out_of_a_signed_off_year_is_refused() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let nominate = |name: &'static str| app.nominate(citizen(name, "2001-04-01")).into(&p.cell).on("2020-06-01");
    let early = id(&nominate("Hồ Văn Sớm").await.unwrap()["person"]);
    let late = id(&nominate("Hồ Văn Muộn").await.unwrap()["person"]);
    let class = december_class(&app, &p.district, &early).await;
    app.ok(ENROL, json!({ "class": class, "people": [late] })).await;
    // Before 2021 is signed off: one certificate dated in 2021, the other in 2020.
    certify(&app, &class, &early, "2021-01-05").await.unwrap();
    certify(&app, &class, &late, "2020-12-18").await.unwrap();
    let c = committees(&app).await;
    full_round(&app, &p, &c, 2021).await;

    // The class started in 2020, which is open; but 2021's funnel counts the first certificate.
    refused(certify(&app, &class, &early, "2020-12-18").await);
    refused(certify(&app, &class, &late, "2021-01-04").await);
    // Within 2020, nothing of 2021 changes.
    certify(&app, &class, &late, "2020-12-17").await.unwrap();
}
