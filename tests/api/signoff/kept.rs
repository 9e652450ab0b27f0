//! The figures kept beyond the counts of the pipeline: the members in all, the communes and
//! districts beside the cells, the resolution target, the funnel observed on the period's last
//! day, and the time series by month — each kept at the sign-off, each shown beside its live
//! value after a reopening lets a correction change it, and each in the revision's audit record.

use std::collections::BTreeMap;

use ketnap::auth::{Principal, Role};
use serde_json::{Value, json};

use super::helpers::{approve, committees, full_round, reopen, sign_off};
use crate::common::TestApp;
use crate::common::pipeline::{Outcome, RECORD_RESULTS, citizen, id, ready_candidate};

const SET_TARGET: &str = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";
const REMOVE: &str = "mutation($id: ID!, $reason: RemovalReason!, $on: Date!) {
    removeFromSource(input: { nominationId: $id, reason: $reason, removedOn: $on }) { nomination { status } } }";
const KEPT: &str = "query($id: ID!) { node(id: $id) { ... on Unit { stats(period: { year: 2021 }) {
    official { signOff { revision } changedSince figures { figure official live difference previousRevision }
      breakdowns { breakdown changed official { category count disclosure } live { category count disclosure } } }
    } } } }";
const TRAIL: &str = "query { auditTrail(operation: \"reviseOfficialFigures\", first: 20) { nodes { actorName
    before after } } }";

/// The figures this test follows, by name.
const FOLLOWED: [&str; 12] = [
    "members",
    "probationaryMembers",
    "cells",
    "communes",
    "districts",
    "resolutionTarget",
    "assignedTarget",
    "funnel.completed",
    "funnel.admitted",
    "funnel.removed",
    "funnel.stillInSource",
    "funnel.other",
];

/// The unit's 2021 official figures as `who` reads them.
async fn kept(app: &TestApp, who: &Principal, unit: &str) -> Value {
    let response = app.run_as(who, KEPT, json!({ "id": unit })).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["node"]["stats"]["official"].clone()
}

/// The followed figures: (official, live, previousRevision) by name.
fn followed(official: &Value) -> BTreeMap<String, (Value, Value, Value)> {
    let figures = official["figures"].as_array().expect("figures");
    FOLLOWED
        .iter()
        .map(|name| {
            let f = figures.iter().find(|f| f["figure"] == *name).unwrap_or_else(|| panic!("no {name}"));
            ((*name).to_owned(), (f["official"].clone(), f["live"].clone(), f["previousRevision"].clone()))
        })
        .collect()
}

fn expected(rows: &[(&str, Value, Value, Value)]) -> BTreeMap<String, (Value, Value, Value)> {
    rows.iter().map(|(name, a, b, c)| ((*name).to_owned(), (a.clone(), b.clone(), c.clone()))).collect()
}

/// One kept breakdown by name: (official, live, changed), categories as `[category, count]`.
fn breakdown(official: &Value, name: &str) -> (Value, Value, Value) {
    let b = official["breakdowns"]
        .as_array()
        .and_then(|all| all.iter().find(|b| b["breakdown"] == name))
        .unwrap_or_else(|| panic!("no breakdown {name} in {official:#}"));
    let pairs = |side: &Value| -> Value {
        side.as_array().unwrap().iter().map(|c| json!([c["category"], c["count"]])).collect::<Vec<_>>().into()
    };
    (pairs(&b["official"]), pairs(&b["live"]), b["changed"].clone())
}

/// Nominates `name` into the cell on `on`; answers (nomination, person).
async fn nominated(app: &TestApp, cell: &str, name: &str, on: &str) -> (String, String) {
    let nomination = app.nominate(citizen(name, "2001-04-01")).into(cell).on(on).await.unwrap();
    (id(&nomination), id(&nomination["person"]))
}

async fn removed(app: &TestApp, nomination: &str, reason: &str, on: &str) -> Outcome {
    app.attempt(REMOVE, json!({ "id": nomination, "reason": reason, "on": on })).await
}

async fn resolution_target(app: &TestApp, unit: &str, value: i32) -> Outcome {
    let target = json!({ "unitId": unit, "kind": "RESOLUTION", "year": 2021 });
    app.attempt(SET_TARGET, json!({ "input": { "target": target, "value": value } })).await
}

/// Signs off and approves 2021 again from the cell up, the new units included.
async fn sign_again(app: &TestApp, units: &[(&str, &Principal, &Principal)]) {
    for (unit, own, above) in units {
        let signed = sign_off(app, own, unit, 2021).await.unwrap();
        assert_eq!(signed["status"], "SIGNED_OFF", "{signed:#}");
        approve(app, above, unit, 2021).await.unwrap();
    }
}

#[tokio::test]
async fn every_figure_of_the_year_is_kept_and_a_correction_of_each_shows_beside_it() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    let p = &ready.place;
    let introducers = ready.introducers();
    app.admit(&ready.candidate).into(p).introduced_by(&introducers).on("2021-03-02").await.unwrap();
    // A second candidate, trained in 2020, to be admitted once the year is reopened.
    let nam = app.nominate(citizen("Hồ Thị Năm", "2000-05-05")).into(&p.cell).mentored_by(&introducers[..1]).await;
    let nam = id(&nam.unwrap()["person"]);
    app.trained(&p.district, &[&nam], "2020-05-08").await;
    // 2021's cohort: Lan again (certified in January, admitted in March), Sáu still in the
    // source at the year's end, Bảy removed in June.
    let lan_class = app.trained(&p.district, &[&ready.candidate], "2021-01-20").await;
    let (sau_nomination, sau) = nominated(&app, &p.cell, "Hồ Văn Sáu", "2021-02-01").await;
    let (bay_nomination, bay) = nominated(&app, &p.cell, "Hồ Văn Bảy", "2021-02-01").await;
    app.trained(&p.district, &[&sau, &bay], "2021-04-10").await;
    removed(&app, &bay_nomination, "MOVED_AWAY", "2021-06-01").await.unwrap();
    resolution_target(&app, &p.province, 4).await.unwrap();
    let c = committees(&app).await;
    full_round(&app, p, &c, 2021).await;

    let province = kept(&app, &c.country, &p.province).await;
    assert_eq!(province["changedSince"], false, "{province:#}");
    let same = |n: Value| (n.clone(), n, json!(null));
    let first = |name: &'static str, n: Value| {
        let (a, b, c) = same(n);
        (name, a, b, c)
    };
    assert_eq!(
        followed(&province),
        expected(&[
            first("members", json!(3)),
            first("probationaryMembers", json!(1)),
            first("cells", json!(2)),
            first("communes", json!(1)),
            first("districts", json!(2)),
            first("resolutionTarget", json!(4)),
            first("assignedTarget", json!(null)),
            first("funnel.completed", json!(3)),
            first("funnel.admitted", json!(1)),
            first("funnel.removed", json!(1)),
            first("funnel.stillInSource", json!(1)),
            first("funnel.other", json!(0)),
        ])
    );
    let march = json!([["2021-03", 1]]);
    assert_eq!(breakdown(&province, "timeSeries.admissions"), (march.clone(), march.clone(), json!(false)));
    assert_eq!(breakdown(&province, "timeSeries.recognitions"), (json!([]), json!([]), json!(false)));
    let moved = json!([["MOVED_AWAY", 1]]);
    assert_eq!(breakdown(&province, "funnel.removedByReason"), (moved.clone(), moved.clone(), json!(false)));
    // The district keeps its own: one commune, one district (itself), the same cohort.
    let district = followed(&kept(&app, &c.country, &p.district).await);
    assert_eq!((&district["communes"].0, &district["districts"].0), (&json!(1), &json!(1)));
    assert_eq!(district["funnel.completed"].0, 3);

    // Locked: a unit established in 2021 or a resolution target for 2021 is refused.
    let late = resolution_target(&app, &p.province, 6).await.unwrap_err();
    assert_eq!(late.rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"));

    let nt = app.user(Role::Admin, "QN.NT").await;
    let reason = "Rà soát số liệu năm 2021";
    for (unit, above) in [
        (&p.province, &c.country),
        (&p.district, &c.province),
        (&p.foreign_district, &c.province),
        (&p.commune, &c.district),
        (&p.cell, &c.commune),
    ] {
        reopen(&app, above, unit, 2021, reason).await.unwrap();
    }
    // Năm admitted in June; Lan's January certificate was of December 2020; Sáu removed in
    // November; Tám and Mười, trained in October 2021 but nominated only in 2022; a commune of
    // Núi Thành and the district of Tam Kỳ established in May; the resolution target raised.
    app.admit(&nam).into(p).introduced_by(&introducers).on("2021-06-01").await.unwrap();
    let results = json!([{ "personId": ready.candidate, "result": "COMPLETED", "certificateNumber": "GCN-0",
                           "certificateDate": "2020-12-18" }]);
    app.ok(RECORD_RESULTS, json!({ "input": { "classId": lan_class, "results": results } })).await;
    removed(&app, &sau_nomination, "NO_LONGER_MEETS_STANDARDS", "2021-11-15").await.unwrap();
    let (_, tam) = nominated(&app, &p.cell, "Hồ Văn Tám", "2022-01-10").await;
    let (_, muoi) = nominated(&app, &p.cell, "Hồ Văn Mười", "2022-01-10").await;
    app.trained(&p.district, &[&tam, &muoi], "2021-10-01").await;
    let new_commune =
        app.create_unit_on("QN.NT.TK", "Tam Xuân", "COMMUNE", "COMMUNE", Some(&p.foreign_district), "2021-05-01").await;
    let new_district =
        app.create_unit_on("QN.TK", "Tam Kỳ", "DISTRICT", "RURAL_DISTRICT", Some(&p.province), "2021-05-01").await;
    resolution_target(&app, &p.province, 6).await.unwrap();

    let during = kept(&app, &c.country, &p.province).await;
    assert_eq!(during["changedSince"], true);
    let changed = |name: &'static str, official: i64, live: i64| (name, json!(official), json!(live), json!(null));
    assert_eq!(
        followed(&during),
        expected(&[
            changed("members", 3, 4),
            changed("probationaryMembers", 1, 2),
            changed("cells", 2, 2),
            changed("communes", 1, 2),
            changed("districts", 2, 3),
            changed("resolutionTarget", 4, 6),
            first("assignedTarget", json!(null)),
            changed("funnel.completed", 3, 4),
            changed("funnel.admitted", 1, 0),
            changed("funnel.removed", 1, 2),
            changed("funnel.stillInSource", 1, 0),
            changed("funnel.other", 0, 2),
        ])
    );
    let differences: Vec<(&str, i64)> = during["figures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["difference"] != 0)
        .map(|f| (f["figure"].as_str().unwrap(), f["difference"].as_i64().unwrap()))
        .collect();
    assert!(differences.contains(&("members", 1)) && differences.contains(&("funnel.other", 2)), "{differences:?}");
    let june = json!([["2021-03", 1], ["2021-06", 1]]);
    assert_eq!(breakdown(&during, "timeSeries.admissions"), (march, june, json!(true)));
    let both = json!([["MOVED_AWAY", 1], ["NO_LONGER_MEETS_STANDARDS", 1]]);
    assert_eq!(breakdown(&during, "funnel.removedByReason"), (moved, both, json!(true)));
    // A dashboard role reads the funnel's removals under disclosure control, both sides alike.
    let dashboard = app.user(Role::Dashboard, "QN").await;
    let withheld = breakdown(&kept(&app, &dashboard, &p.province).await, "funnel.removedByReason");
    assert_eq!(withheld, (json!([["SUPPRESSED", null]]), json!([["SUPPRESSED", null]]), json!(false)));

    // Signed off again with the new units: revision 2 equals the live figures, revision 1 beside it.
    let tk = app.user(Role::Admin, "QN.TK").await;
    let txk = app.user(Role::Admin, "QN.NT.TK").await;
    sign_again(
        &app,
        &[
            (&p.cell, &c.cell, &c.commune),
            (&p.commune, &c.commune, &c.district),
            (&p.district, &c.district, &c.province),
            (&new_commune, &txk, &nt),
            (&p.foreign_district, &nt, &c.province),
            (&new_district, &tk, &c.province),
            (&p.province, &c.province, &c.country),
        ],
    )
    .await;
    let after = kept(&app, &c.country, &p.province).await;
    assert_eq!((&after["signOff"]["revision"], &after["changedSince"]), (&json!(2), &json!(false)));
    let revised = |name: &'static str, now: i64, before: i64| (name, json!(now), json!(now), json!(before));
    assert_eq!(
        followed(&after),
        expected(&[
            revised("members", 4, 3),
            revised("probationaryMembers", 2, 1),
            revised("cells", 2, 2),
            revised("communes", 2, 1),
            revised("districts", 3, 2),
            revised("resolutionTarget", 6, 4),
            first("assignedTarget", json!(null)),
            revised("funnel.completed", 4, 3),
            revised("funnel.admitted", 0, 1),
            revised("funnel.removed", 2, 1),
            revised("funnel.stillInSource", 0, 1),
            revised("funnel.other", 2, 0),
        ])
    );
    // The province's revision in the audit trail: every kept figure before and after.
    let trail = app.ok(TRAIL, json!({})).await;
    let rows = trail["auditTrail"]["nodes"].as_array().unwrap();
    let row = rows.iter().find(|row| row["actorName"] == "admin of QN").expect("the province's revision");
    for (name, before, after) in [
        ("members", json!(3), json!(4)),
        ("communes", json!(1), json!(2)),
        ("districts", json!(2), json!(3)),
        ("resolutionTarget", json!(4), json!(6)),
        ("assignedTarget", json!(null), json!(null)),
        ("funnel.completed", json!(3), json!(4)),
        ("funnel.other", json!(0), json!(2)),
    ] {
        assert_eq!((&row["before"][name], &row["after"][name]), (&before, &after), "{name}");
    }
}
