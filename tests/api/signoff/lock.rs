//! The lock of a signed-off period, and the revision: a late correction is refused with its
//! rule; the level above reopens from the top down; the correction is made; the period is signed
//! off and approved again, and `stats` and the audit trail show what changed.

use serde_json::{Value, json};

use super::helpers::{approve, committees, figure, full_round, official, reopen, sign_off};
use crate::common::TestApp;
use crate::common::pipeline::{Refusal, citizen, id, ready_candidate};

const CORRECT: &str =
    "mutation($id: ID!) { correctAdmission(input: { admissionId: $id, decisionNumber: \"126-QĐ/HU\" }) {
    admission { decisionNumber } } }";
const SET_TARGET: &str = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";
const MOVE: &str =
    "mutation($id: ID!, $to: ID!, $on: Date) { moveUnit(input: { id: $id, parentId: $to, effectiveOn: $on }) {
    unit { code } } }";
const MERGE: &str = "mutation($sources: [ID!]!, $target: ID!, $on: Date) {
    mergeUnits(input: { sourceIds: $sources, targetId: $target, effectiveOn: $on }) { target { code } } }";
const TRAIL: &str = "query($op: String!) { auditTrail(operation: $op, first: 20) { nodes { operation entityType
    actorName before after } } }";

/// PERIOD_SIGNED_OFF: "A figure of a signed-off period does not change … until the approving
/// level reopens it."
fn locked(outcome: Result<Value, Refusal>) -> String {
    let refusal = outcome.unwrap_err();
    assert_eq!(refusal.rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"), "{refusal:?}");
    refusal.message
}

#[tokio::test]
async fn a_late_correction_is_refused_until_the_period_is_reopened_and_approved_again() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let p = &ready.place;
    let admission = app.admit(&ready.candidate).into(p).introduced_by(&ready.introducers()).on("2021-03-02").await;
    let admission = id(&admission.unwrap());
    let c = committees(&app).await;
    full_round(&app, p, &c, 2021).await;

    // Corrections dated in 2021, in 2023: each refused, naming the highest committee that signed off.
    let message = locked(app.attempt(CORRECT, json!({ "id": admission })).await);
    assert!(message.contains("QN for 2021"), "{message}");
    let late = app.nominate(citizen("Hồ Văn Muộn", "2001-04-01")).into(&p.cell).on("2021-09-01").await;
    locked(late);
    let target =
        json!({ "input": { "target": { "unitId": p.commune, "kind": "ASSIGNED", "year": 2021 }, "value": 6 } });
    locked(app.attempt(SET_TARGET, target.clone()).await);
    // A move of a member into 2021, or out of it, changes the year's members.
    let member = &ready.introducers[0];
    locked(app.transfer(member, &p.other_cell, "2021-06-01").await);
    // The tree: a move, a merge, a dissolution or a new unit effective in 2021.
    let elsewhere =
        app.create_unit_on("QN.NT.TK", "Tam Kỳ", "COMMUNE", "COMMUNE", Some(&p.foreign_district), "1990-01-01").await;
    locked(app.attempt(MOVE, json!({ "id": p.other_cell, "to": elsewhere, "on": "2021-07-01" })).await);
    let merge = json!({ "sources": [p.other_cell], "target": p.cell, "on": "2021-10-01" });
    locked(app.attempt(MERGE, merge).await);
    let dissolve =
        "mutation($id: ID!) { dissolveUnit(input: { id: $id, effectiveOn: \"2021-08-01\" }) { unit { id } } }";
    locked(app.attempt(dissolve, json!({ "id": p.other_cell })).await);
    let create = json!({ "input": { "code": "QN.BTM.TN.3", "name": "Chi bộ thôn 3", "level": "CELL", "kind": "VILLAGE",
        "parentId": p.commune, "establishedOn": "2021-05-01" } });
    locked(
        app.attempt("mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }", create).await,
    );
    app.attempt(MOVE, json!({ "id": p.other_cell, "to": elsewhere, "on": "2022-07-01" })).await.unwrap();
    // 2022 is open: a fact dated in it is recorded.
    app.nominate(citizen("Hồ Văn Mới", "2001-05-01")).into(&p.cell).on("2022-02-01").await.unwrap();

    // Reopened from the top down: the district cannot reopen the commune while the province's
    // figures, which include it, stand signed off.
    let blocked = reopen(&app, &c.district, &p.commune, 2021, "a nomination was missed").await.unwrap_err();
    assert_eq!(blocked.rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"));
    assert_eq!(reopen(&app, &c.commune, &p.commune, 2021, "own").await.unwrap_err().code, "FORBIDDEN");
    let reason = "Bổ sung quần chúng được giới thiệu vào nguồn tháng 9/2021";
    for (unit, above) in
        [(&p.province, &c.country), (&p.district, &c.province), (&p.commune, &c.district), (&p.cell, &c.commune)]
    {
        let reopened = reopen(&app, above, unit, 2021, reason).await.unwrap();
        assert_eq!((reopened["status"].as_str(), reopened["locked"].as_bool()), (Some("REOPENED"), Some(false)));
    }
    // PERIOD_NOT_SIGNED_OFF: an open period is not reopened again.
    let open = reopen(&app, &c.commune, &p.cell, 2021, reason).await.unwrap_err();
    assert_eq!(open.rule(), ("RULE_VIOLATION", "PERIOD_NOT_SIGNED_OFF"));

    app.nominate(citizen("Hồ Văn Muộn", "2001-04-01")).into(&p.cell).on("2021-09-01").await.unwrap();
    app.attempt(CORRECT, json!({ "id": admission })).await.unwrap();

    // While reopened, the official figures stand and the difference shows: the nomination, and
    // Tam Kỳ, the commune created above with an establishment date of 1990 (not refused, being
    // dated before 2021), which the communes counted on 31 December 2021 now include.
    let during = official(&app, &c.country, &p.province, 2021).await;
    assert_eq!(during["official"]["signOff"]["status"], "REOPENED");
    assert_eq!(during["official"]["signOff"]["reopenedBy"], "admin of *");
    assert_eq!(during["official"]["changedSince"], true);
    assert_eq!(
        during["official"]["differences"],
        json!([{ "figure": "nominated", "official": 0, "live": 1, "difference": 1 },
               { "figure": "inSource", "official": 0, "live": 1, "difference": 1 },
               { "figure": "communes", "official": 1, "live": 2, "difference": 1 }])
    );

    // Signed off again, cell to province: revision 2, equal to the live figures again.
    let waiting = sign_off(&app, &c.commune, &p.commune, 2021).await.unwrap_err();
    assert_eq!(waiting.rule(), ("RULE_VIOLATION", "SIGN_OFF_AWAITS_CHILDREN"));
    assert!(waiting.message.contains("QN.BTM.TN.1") && !waiting.message.contains("TN.2"), "{}", waiting.message);
    for (unit, own, above) in [
        (&p.cell, &c.cell, &c.commune),
        (&p.commune, &c.commune, &c.district),
        (&p.district, &c.district, &c.province),
        (&p.province, &c.province, &c.country),
    ] {
        let signed = sign_off(&app, own, unit, 2021).await.unwrap();
        assert_eq!(signed["revision"], 2);
        approve(&app, above, unit, 2021).await.unwrap();
    }
    let after = official(&app, &c.country, &p.province, 2021).await;
    assert_eq!(after["official"]["signOff"]["revision"], 2);
    assert_eq!(after["official"]["signOff"]["status"], "APPROVED");
    assert_eq!(after["official"]["changedSince"], false);
    assert_eq!(
        figure(&after, "nominated"),
        &json!({ "figure": "nominated", "official": 1, "live": 1, "difference": 0, "previousRevision": 0 })
    );

    // The audit trail: four reopenings with their reason, and each revision's figures before and after.
    let trail = app.ok(TRAIL, json!({ "op": "reopenFigures" })).await;
    let reopenings = trail["auditTrail"]["nodes"].as_array().unwrap();
    assert_eq!(reopenings.len(), 4);
    assert!(
        reopenings.iter().all(|row| row["after"]["reopen_reason"] == reason && row["entityType"] == "PeriodSignOff")
    );
    let trail = app.ok(TRAIL, json!({ "op": "reviseOfficialFigures" })).await;
    let revisions = trail["auditTrail"]["nodes"].as_array().unwrap();
    assert_eq!(revisions.len(), 4);
    let province = revisions.iter().find(|row| row["actorName"] == "admin of QN").unwrap();
    assert_eq!((&province["before"]["nominated"], &province["after"]["nominated"]), (&json!(0), &json!(1)));
    assert_eq!((&province["before"]["admissions"], &province["after"]["admissions"]), (&json!(1), &json!(1)));
    let approvals = app.ok(TRAIL, json!({ "op": "approveFigures" })).await;
    assert_eq!(approvals["auditTrail"]["nodes"].as_array().unwrap().len(), 10);
}
