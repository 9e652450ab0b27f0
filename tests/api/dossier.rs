//! The admission dossier (issue 17 §3): forms recorded and corrected with the audit trail, the
//! cell secretary's checklist of missing forms, and `admit` refused with DOSSIER_FORM_MISSING
//! while a required form is not received by the decision — for decisions on or after the
//! deployment's `--dossier-required-from` day (2026-01-01 by default), so that admissions of
//! earlier years (every other test's, and migrated records) are not checked.

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::people::roster_member;
use crate::common::pipeline::{citizen, id, place};

const RECORD: &str = "mutation($input: RecordDossierFormsInput!) { recordDossierForms(input: $input) {
    forms { form number receivedOn } } }";
const CHECKLIST: &str = "query($within: ID!) { candidates(within: $within) { nodes {
    person { fullName } dossier { form receivedOn } missingDossierForms { form number } } } }";

/// Every required form for a candidate the Youth Union did not nominate, received on `on`.
fn every_form(on: &str) -> Value {
    let forms = [
        "APPLICATION",
        "BACKGROUND_DECLARATION",
        "BACKGROUND_VERIFICATION",
        "INTRODUCERS_LETTERS",
        "RESIDENCE_OPINIONS",
        "CELL_RESOLUTION",
        "GRASSROOTS_PROPOSAL",
    ];
    forms.iter().map(|form| json!({ "form": form, "receivedOn": on })).collect()
}

#[tokio::test]
async fn admit_needs_every_required_form_received_by_the_decision() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let first = roster_member(&app, &p.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await;
    let second = roster_member(&app, &p.cell, "Hồ Văn Hai", "2005-01-01", Some("2006-01-01")).await;
    let nomination = app.nominate(citizen("Hồ Thị Lan", "2000-02-10")).into(&p.cell).by("CELL").await.unwrap();
    let lan = id(&nomination["person"]);
    app.trained(&p.district, &[&lan], "2025-09-10").await;
    let admit = || app.admit(&lan).into(&p).introduced_by(&[&first, &second]).on("2026-03-02");

    // Nothing received: the checklist lists the seven forms an admission needs.
    let checklist = app.ok(CHECKLIST, json!({ "within": p.commune })).await;
    let missing = checklist["candidates"]["nodes"][0]["missingDossierForms"].as_array().unwrap().len();
    assert_eq!(missing, 7);
    let refusal = admit().await.expect_err("no dossier");
    assert_eq!(refusal.rule(), ("RULE_VIOLATION", "DOSSIER_FORM_MISSING"));

    // All but the cell's resolution, and the proposal received after the decision.
    let mut forms = every_form("2026-02-01");
    forms.as_array_mut().unwrap().retain(|form| form["form"] != "CELL_RESOLUTION");
    forms[5]["receivedOn"] = json!("2026-03-05");
    let recorded = app.ok(RECORD, json!({ "input": { "personId": lan, "forms": forms } })).await;
    assert_eq!(
        recorded["recordDossierForms"]["forms"][0],
        json!({ "form": "APPLICATION", "number": "1-KNĐ", "receivedOn": "2026-02-01" })
    );
    let refusal = admit().await.expect_err("two forms missing by the decision");
    assert_eq!(refusal.rule(), ("RULE_VIOLATION", "DOSSIER_FORM_MISSING"));
    assert!(
        refusal.message.contains("CELL_RESOLUTION") && refusal.message.contains("GRASSROOTS_PROPOSAL"),
        "{}",
        refusal.message
    );
    let checklist = app.ok(CHECKLIST, json!({ "within": p.commune })).await;
    assert_eq!(
        checklist["candidates"]["nodes"][0]["missingDossierForms"],
        json!([{ "form": "CELL_RESOLUTION", "number": "7-KNĐ" }])
    );

    // Recording a form again corrects its day; with every form in by the decision, admit passes.
    let rest = json!([{ "form": "CELL_RESOLUTION", "receivedOn": "2026-02-20" }, { "form": "GRASSROOTS_PROPOSAL", "receivedOn": "2026-02-25" }]);
    app.ok(RECORD, json!({ "input": { "personId": lan, "forms": rest } })).await;
    let admitted = admit().await.expect("a complete dossier");
    assert_eq!(admitted["decisionDate"], "2026-03-02");

    let trail = app
        .ok(
            "query($person: ID) { auditTrail(person: $person, operation: \"recordDossierForms\") { totalCount } }",
            json!({ "person": lan }),
        )
        .await;
    assert_eq!(trail["auditTrail"]["totalCount"], 8, "six forms, then two (one of them a correction)");
}

#[tokio::test]
async fn admissions_before_the_switch_day_are_not_checked() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let first = roster_member(&app, &p.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await;
    let second = roster_member(&app, &p.cell, "Hồ Văn Hai", "2005-01-01", Some("2006-01-01")).await;
    let nomination = app.nominate(citizen("Hồ Thị Lan", "2000-02-10")).into(&p.cell).await.unwrap();
    let lan = id(&nomination["person"]);
    app.trained(&p.district, &[&lan], "2020-05-08").await;
    let admitted = app.admit(&lan).into(&p).introduced_by(&[&first, &second]).on("2021-03-02").await;
    assert!(admitted.is_ok(), "a 2021 admission is a migrated record: {admitted:?}");
}
