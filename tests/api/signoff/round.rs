//! The approval up the tree: who may take each step, in which order, and what a signed-off
//! period's `stats` says.

use chrono::Datelike;
use ketnap::auth::Role;
use serde_json::json;

use super::helpers::{approve, committees, figure, full_round, official, sign_off};
use crate::common::TestApp;
use crate::common::pipeline::ready_candidate;

#[tokio::test]
async fn a_full_round_runs_from_the_cells_to_the_province_and_keeps_every_figure() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let p = &ready.place;
    let admitted = app.admit(&ready.candidate).into(p).introduced_by(&ready.introducers()).on("2021-03-02").await;
    admitted.unwrap();
    let c = committees(&app).await;

    // SIGN_OFF_AWAITS_CHILDREN: "A unit signs off a period only once it has approved the figures
    // of every unit directly below it."
    let early = sign_off(&app, &c.commune, &p.commune, 2021).await.unwrap_err();
    assert_eq!(early.rule(), ("RULE_VIOLATION", "SIGN_OFF_AWAITS_CHILDREN"));
    assert!(early.message.contains("QN.BTM.TN.1, QN.BTM.TN.2"), "{}", early.message);
    // PERIOD_NOT_SIGNED_OFF: "The level above approves only figures the unit signed off…"
    let unsigned = approve(&app, &c.commune, &p.cell, 2021).await.unwrap_err();
    assert_eq!(unsigned.rule(), ("RULE_VIOLATION", "PERIOD_NOT_SIGNED_OFF"));
    // PERIOD_NOT_ENDED: "Figures are signed off only for a period that has ended."
    let this_year = chrono::Utc::now().year();
    let running = sign_off(&app, &c.cell, &p.cell, this_year).await.unwrap_err();
    assert_eq!(running.rule(), ("VALIDATION", "PERIOD_NOT_ENDED"));
    assert_eq!(official(&app, &c.country, &p.province, 2021).await["official"], json!(null));

    full_round(&app, p, &c, 2021).await;

    let province = official(&app, &c.country, &p.province, 2021).await;
    let sign = &province["official"]["signOff"];
    assert_eq!(sign["status"], "APPROVED");
    assert_eq!(sign["revision"], 1);
    assert_eq!(sign["signedOffBy"], "admin of QN");
    assert_eq!(sign["approvedBy"], "admin of *");
    assert_eq!(province["official"]["changedSince"], false);
    assert_eq!(province["official"]["differences"], json!([]));
    assert_eq!(
        figure(&province, "admissions"),
        &json!({ "figure": "admissions", "official": 1, "live": 1, "difference": 0, "previousRevision": null })
    );
    assert_eq!(figure(&province, "officialMembers")["official"], 2);
    assert_eq!(figure(&province, "probationaryMembers")["official"], 1);
    assert_eq!(figure(&province, "cells")["official"], 2);
    assert_eq!(figure(&province, "assignedTarget")["official"], json!(null));
    // A cell keeps its own sign-off, signed by its own committee and approved by the commune's.
    let cell = official(&app, &c.country, &p.cell, 2021).await;
    assert_eq!(cell["official"]["signOff"]["signedOffBy"], "admin of QN.BTM.TN.1");
    assert_eq!(cell["official"]["signOff"]["approvedBy"], "admin of QN.BTM.TN");
    assert_eq!(figure(&cell, "admissions")["official"], 1);
    // Another period of the same units is not official; a quarter of 2021 neither.
    assert_eq!(official(&app, &c.country, &p.province, 2022).await["official"], json!(null));
    // The year on the boundaries of its end is not what was signed off: no official figures.
    let on_end = "query($id: ID!) { node(id: $id) { ... on Unit {
        stats(period: { year: 2021, boundaries: PERIOD_END }) { admissions official { changedSince } } } } }";
    let on_end = app.run_as(&c.country, on_end, json!({ "id": p.province })).await;
    assert_eq!(on_end["data"]["node"]["stats"], json!({ "admissions": 1, "official": null }), "{on_end:#}");

    // PERIOD_SIGNED_OFF: "… the period is not signed off again, until the approving level reopens it."
    let again = sign_off(&app, &c.cell, &p.cell, 2021).await.unwrap_err();
    assert_eq!(again.rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"));
    let twice = approve(&app, &c.commune, &p.cell, 2021).await.unwrap_err();
    assert_eq!(twice.rule(), ("RULE_VIOLATION", "PERIOD_NOT_SIGNED_OFF"));
}

#[tokio::test]
async fn only_the_unit_s_administrators_sign_off_and_only_those_above_approve() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let p = &ready.place;
    let c = committees(&app).await;

    for role in [Role::Dashboard, Role::Viewer, Role::Editor] {
        let user = app.user(role, "QN.BTM.TN.1").await;
        let refused = sign_off(&app, &user, &p.cell, 2021).await.unwrap_err();
        assert_eq!(refused.code, "FORBIDDEN", "{role}");
    }
    // A committee elsewhere does not see the cell at all.
    let elsewhere = app.user(Role::Admin, "QN.NT").await;
    assert_eq!(sign_off(&app, &elsewhere, &p.cell, 2021).await.unwrap_err().code, "NOT_FOUND");

    sign_off(&app, &c.cell, &p.cell, 2021).await.unwrap();
    // A unit does not approve its own figures: the level above does.
    let own = approve(&app, &c.cell, &p.cell, 2021).await.unwrap_err();
    assert_eq!(own.code, "FORBIDDEN");
    let editor_above = app.user(Role::Editor, "QN.BTM.TN").await;
    assert_eq!(approve(&app, &editor_above, &p.cell, 2021).await.unwrap_err().code, "FORBIDDEN");
    assert_eq!(approve(&app, &elsewhere, &p.cell, 2021).await.unwrap_err().code, "NOT_FOUND");
    // A dashboard reads the official figures (no personal data in them).
    let dashboard = app.user(Role::Dashboard, "QN.BTM").await;
    let seen = official(&app, &dashboard, &p.cell, 2021).await;
    assert_eq!(seen["official"]["signOff"]["status"], "SIGNED_OFF");
    assert_eq!(seen["official"]["signOff"]["approvedBy"], json!(null));
    // A month or an `asOf` is not a period figures are signed off for.
    let month = app
        .attempt_as(
            &c.cell,
            "mutation($u: ID!) { signOffFigures(input: { unitId: $u, period: { year: 2021, month: 3 } }) { signOff { status } } }",
            json!({ "u": p.cell }),
        )
        .await
        .unwrap_err();
    assert_eq!(month.code, "VALIDATION");
}
