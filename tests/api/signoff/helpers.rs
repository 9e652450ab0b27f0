//! Sign-off in the domain's words: `sign_off(&app, &admin, &unit, 2021)`, `approve(…)`,
//! `reopen(…)`, a whole round up the `Place` tree, and a unit's official figures.

use ketnap::auth::{Principal, Role};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::pipeline::{Outcome, Place};

const SIGN_OFF: &str = "signOff { unit { code } periodLabel revision status locked signedOffBy approvedBy
    reopenedBy reopenReason }";

/// The unit and year of a sign-off mutation.
fn figures(unit: &str, year: i32) -> Value {
    json!({ "input": { "unitId": unit, "period": { "year": year } } })
}

async fn step(app: &TestApp, who: &Principal, mutation: &str, input_type: &str, variables: Value) -> Outcome {
    let query = format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {SIGN_OFF} }} }}");
    Ok(app.attempt_as(who, &query, variables).await?[mutation]["signOff"].clone())
}

/// The unit's committee signs off its figures for `year`.
pub async fn sign_off(app: &TestApp, who: &Principal, unit: &str, year: i32) -> Outcome {
    step(app, who, "signOffFigures", "FiguresInput", figures(unit, year)).await
}

/// The level above approves the unit's figures for `year`.
pub async fn approve(app: &TestApp, who: &Principal, unit: &str, year: i32) -> Outcome {
    step(app, who, "approveFigures", "FiguresInput", figures(unit, year)).await
}

/// The level above reopens the unit's `year` for a correction.
pub async fn reopen(app: &TestApp, who: &Principal, unit: &str, year: i32, reason: &str) -> Outcome {
    let mut variables = figures(unit, year);
    variables["input"]["reason"] = json!(reason);
    step(app, who, "reopenFigures", "ReopenFiguresInput", variables).await
}

/// The administrators of each level of `Place`, and the country's.
pub struct Committees {
    pub country: Principal,
    pub province: Principal,
    pub district: Principal,
    pub commune: Principal,
    pub cell: Principal,
}

pub async fn committees(app: &TestApp) -> Committees {
    Committees {
        country: app.user(Role::Admin, "*").await,
        province: app.user(Role::Admin, "QN").await,
        district: app.user(Role::Admin, "QN.BTM").await,
        commune: app.user(Role::Admin, "QN.BTM.TN").await,
        cell: app.user(Role::Admin, "QN.BTM.TN.1").await,
    }
}

/// Every unit of `Place` signs off `year`, each approved by the committee above it: both cells
/// → Trà Nú → Bắc Trà My, Núi Thành → Quảng Nam (approved by the country).
pub async fn full_round(app: &TestApp, p: &Place, c: &Committees, year: i32) {
    let cell2 = app.user(Role::Admin, "QN.BTM.TN.2").await;
    let nt = app.user(Role::Admin, "QN.NT").await;
    for (unit, own, above) in [
        (&p.cell, &c.cell, &c.commune),
        (&p.other_cell, &cell2, &c.commune),
        (&p.commune, &c.commune, &c.district),
        (&p.district, &c.district, &c.province),
        (&p.foreign_district, &nt, &c.province),
        (&p.province, &c.province, &c.country),
    ] {
        let signed = sign_off(app, own, unit, year).await.unwrap();
        assert_eq!(signed["status"], "SIGNED_OFF", "{signed:#}");
        let approved = approve(app, above, unit, year).await.unwrap();
        assert_eq!((approved["status"].as_str(), approved["locked"].as_bool()), (Some("APPROVED"), Some(true)));
    }
}

pub const OFFICIAL: &str =
    "query($id: ID!, $year: Int!) { node(id: $id) { ... on Unit { stats(period: { year: $year }) {
    admissions nominated inSource official { signOff { revision status signedOffBy approvedBy reopenedBy reopenReason }
    changedSince figures { figure official live difference previousRevision }
    differences { figure official live difference } } } } } }";

/// The unit's `stats(period: { year })` with its official figures, as `who` reads them.
pub async fn official(app: &TestApp, who: &Principal, unit: &str, year: i32) -> Value {
    let response = app.run_as(who, OFFICIAL, json!({ "id": unit, "year": year })).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["node"]["stats"].clone()
}

/// One figure of `official.figures` by name.
pub fn figure<'a>(stats: &'a Value, name: &str) -> &'a Value {
    stats["official"]["figures"]
        .as_array()
        .and_then(|figures| figures.iter().find(|f| f["figure"] == name))
        .unwrap_or_else(|| panic!("no figure {name} in {stats:#}"))
}
