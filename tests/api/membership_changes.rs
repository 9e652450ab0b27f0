//! Membership after admission (domain §2, "tăng / giảm"): each kind of change through its
//! mutation under the Charter's rules, the correction of a change, and the balance
//! `start + admitted + transferred in − died − expelled − names deleted − left − transferred out
//! = end` on every level, checked on a story with exact figures and on generated data.

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::people::roster_member;
use crate::common::pipeline::{Outcome, Place, citizen, place};

const CHANGE: &str =
    "change { kind reason effectiveOn decisionNumber decisionDate decidingUnit { code } cell { code } counterpart }
    member { status endedOn endReason cell { code } }";

/// Records a change of `kind` (`recordDeath`, `expelMember`…) for `member` on `on`, decided by `by`.
async fn change(app: &TestApp, mutation: &str, member: &str, reason: &str, on: &str, by: &str) -> Outcome {
    let query = format!("mutation($input: MemberChangeInput!) {{ {mutation}(input: $input) {{ {CHANGE} }} }}");
    let input = json!({ "memberId": member, "reason": reason, "effectiveOn": on,
        "decision": { "number": format!("{}-QĐ/HU", on.replace('-', "")), "date": on, "decidingUnitId": by } });
    Ok(app.attempt(&query, json!({ "input": input })).await?[mutation].clone())
}

async fn transfer_in(app: &TestApp, person: Value, cell: &str, on: &str, by: &str) -> Outcome {
    let query =
        format!("mutation($input: TransferMemberInInput!) {{ transferMemberIn(input: $input) {{ {CHANGE} }} }}");
    let mut input = json!({ "cellId": cell, "partySince": "2010-05-19", "officialSince": "2011-05-19",
        "reason": "OTHER_PROVINCE", "effectiveOn": on, "counterpart": "Đảng bộ tỉnh Kon Tum",
        "decision": { "number": "77-QĐ/HU", "date": on, "decidingUnitId": by } });
    input.as_object_mut().unwrap().extend(person.as_object().unwrap().clone());
    Ok(app.attempt(&query, json!({ "input": input })).await?["transferMemberIn"].clone())
}

const BALANCE: &str = "members membershipBalance { membersAtStart admitted transferredIn died expelled namesDeleted
    left transferredOut membersAtEnd transferredInByReason { category count }
    transferredOutByReason { category count } diedByReason { category count } }";

async fn balance(app: &TestApp, unit: &str, period: Value) -> Value {
    let query = format!(
        "query($id: ID!, $period: PeriodInput!) {{ node(id: $id) {{ ... on Unit {{ stats(period: $period) {{ {BALANCE} }} }} }} }}"
    );
    app.ok(&query, json!({ "id": unit, "period": period })).await["node"]["stats"].clone()
}

fn holds(stats: &Value) -> bool {
    let b = &stats["membershipBalance"];
    let n = |field: &str| b[field].as_i64().unwrap();
    n("membersAtStart") + n("admitted") + n("transferredIn")
        - n("died")
        - n("expelled")
        - n("namesDeleted")
        - n("left")
        - n("transferredOut")
        == n("membersAtEnd")
        && stats["members"] == b["membersAtEnd"]
}

/// Seven members of Chi bộ thôn 1 (one of them probationary) and the year 2022 of Trà Nú.
async fn story(app: &TestApp, p: &Place) -> Vec<String> {
    let mut members = Vec::new();
    for (name, official) in [("A", true), ("B", false), ("C", true), ("D", true), ("E", true), ("G", true)] {
        let official_since = official.then_some("2001-01-01");
        members.push(roster_member(app, &p.cell, &format!("Đảng viên {name}"), "2000-01-01", official_since).await);
    }
    members
}

#[tokio::test]
async fn each_change_is_recorded_under_its_rules_and_the_balance_holds_on_every_level() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let m = story(&app, &p).await;
    let (a, b, c, d, e, g) = (&m[0], &m[1], &m[2], &m[3], &m[4], &m[5]);
    app.transfer(g, &p.other_cell, "2022-03-01").await.unwrap();

    let died = change(&app, "recordDeath", a, "ILLNESS", "2022-03-10", &p.district).await.unwrap();
    assert_eq!(died["change"]["kind"], "DIED");
    assert_eq!(died["change"]["decidingUnit"]["code"], "QN.BTM");
    assert_eq!(
        died["member"],
        json!({ "status": "ENDED", "endedOn": "2022-03-10", "endReason": "DIED", "cell": null })
    );

    // Điều lệ Đảng, Điều 35 khoản 1: a probationary member is reprimanded or warned, never expelled.
    let refused = change(&app, "expelMember", b, "DISCIPLINE", "2022-04-01", &p.district).await.unwrap_err();
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "EXPULSION_OF_PROBATIONARY"));
    change(&app, "expelMember", c, "DISCIPLINE", "2022-04-01", &p.district).await.unwrap();
    change(&app, "recordMemberLeft", d, "PERSONAL", "2022-05-01", &p.commune).await.unwrap();
    let out = change(&app, "transferMemberOut", e, "ARMED_FORCES", "2022-06-01", &p.district).await.unwrap();
    assert_eq!(out["change"]["cell"]["code"], "QN.BTM.TN.1");
    change(&app, "deleteMemberName", b, "ABSENT_FROM_MEETINGS", "2022-07-01", &p.district).await.unwrap();

    // The refusals: a reason of another kind, a committee not above the cell, an ended membership.
    let wrong = change(&app, "recordDeath", g, "DISCIPLINE", "2022-08-01", &p.district).await.unwrap_err();
    assert_eq!((wrong.rule(), wrong.field.as_deref()), (("VALIDATION", "CHANGE_REASON_FOR_KIND"), Some("reason")));
    let foreign = change(&app, "recordDeath", g, "ILLNESS", "2022-08-01", &p.foreign_district).await.unwrap_err();
    assert_eq!(foreign.rule(), ("RULE_VIOLATION", "DECIDING_UNIT_NOT_ABOVE_CELL"));
    let twice = change(&app, "recordDeath", a, "ILLNESS", "2022-08-01", &p.district).await.unwrap_err();
    assert_eq!(twice.rule(), ("RULE_VIOLATION", "MEMBERSHIP_ENDED"));
    let early = change(&app, "recordMemberLeft", g, "PERSONAL", "2022-03-01", &p.district).await.unwrap_err();
    assert_eq!(early.rule(), ("RULE_VIOLATION", "CHANGE_BEFORE_ARRIVAL"));

    // A member from Kon Tum arrives in thôn 2; the member who went to the army comes back to thôn 1.
    let arrived = transfer_in(
        &app,
        json!({ "person": citizen("Y Hoa", "1985-01-01") }),
        &p.other_cell,
        "2022-08-01",
        &p.district,
    )
    .await
    .unwrap();
    assert_eq!(arrived["member"]["status"], "OFFICIAL");
    assert_eq!(arrived["change"]["counterpart"], "Đảng bộ tỉnh Kon Tum");
    let e_person =
        app.ok("query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }", json!({ "id": e })).await;
    let back = json!({ "personId": e_person["node"]["person"]["id"] });
    let returned = transfer_in(&app, back.clone(), &p.cell, "2022-09-01", &p.district).await.unwrap();
    assert_eq!(returned["member"]["cell"]["code"], "QN.BTM.TN.1");
    let again = transfer_in(&app, back, &p.cell, "2022-10-01", &p.district).await.unwrap_err();
    assert_eq!(again.rule(), ("RULE_VIOLATION", "ALREADY_MEMBER"));

    let year = json!({ "year": 2022 });
    let commune = balance(&app, &p.commune, year.clone()).await;
    let b = &commune["membershipBalance"];
    assert_eq!(
        [
            b["membersAtStart"].clone(),
            b["admitted"].clone(),
            b["transferredIn"].clone(),
            b["died"].clone(),
            b["expelled"].clone(),
            b["namesDeleted"].clone(),
            b["left"].clone(),
            b["transferredOut"].clone(),
            b["membersAtEnd"].clone(),
            commune["members"].clone()
        ],
        [6, 0, 2, 1, 1, 1, 1, 1, 3, 3].map(|n| json!(n))
    );
    assert_eq!(b["transferredInByReason"], json!([{ "category": "OTHER_PROVINCE", "count": 2 }]));
    assert_eq!(b["diedByReason"], json!([{ "category": "ILLNESS", "count": 1 }]));
    // The cell: G went to thôn 2 (within the deployment), E to the army and back.
    let cell = balance(&app, &p.cell, year.clone()).await;
    assert_eq!(
        cell["membershipBalance"]["transferredOutByReason"],
        json!([
        { "category": "ARMED_FORCES", "count": 1 }, { "category": "WITHIN_DEPLOYMENT", "count": 1 }])
    );
    assert_eq!((cell["membershipBalance"]["membersAtStart"].clone(), cell["members"].clone()), (json!(6), json!(1)));
    let other = balance(&app, &p.other_cell, year.clone()).await;
    assert_eq!(
        other["membershipBalance"]["transferredInByReason"],
        json!([
        { "category": "OTHER_PROVINCE", "count": 1 }, { "category": "WITHIN_DEPLOYMENT", "count": 1 }])
    );
    for unit in [&p.province, &p.district, &p.commune, &p.cell, &p.other_cell] {
        for period in
            [year.clone(), json!({ "half": 1, "year": 2022 }), json!({ "from": "2022-03-05", "to": "2022-08-31" })]
        {
            let stats = balance(&app, unit, period.clone()).await;
            assert!(holds(&stats), "{unit} {period}: {stats:#}");
        }
    }
}

#[tokio::test]
async fn a_change_is_corrected_and_audited_but_what_it_counted_stays() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let member = roster_member(&app, &p.cell, "Đảng viên A", "2000-01-01", Some("2001-01-01")).await;
    change(&app, "recordDeath", &member, "ILLNESS", "2022-03-10", &p.district).await.unwrap();
    let query = "mutation($input: CorrectMembershipChangeInput!) { correctMembershipChange(input: $input) {
        kind reason effectiveOn decisionNumber note } }";
    let input = json!({ "memberId": member, "kind": "DIED", "effectiveOn": "2022-03-10", "reason": "ACCIDENT",
        "note": "tai nạn giao thông",
        "decision": { "number": "12-QĐ/HU", "date": "2022-03-15", "decidingUnitId": p.district } });
    let corrected = app.ok(query, json!({ "input": input })).await;
    assert_eq!(
        corrected["correctMembershipChange"],
        json!({ "kind": "DIED", "reason": "ACCIDENT",
        "effectiveOn": "2022-03-10", "decisionNumber": "12-QĐ/HU", "note": "tai nạn giao thông" })
    );
    let wrong = json!({ "memberId": member, "kind": "DIED", "effectiveOn": "2022-03-10", "reason": "PERSONAL" });
    assert_eq!(app.error_code(query, json!({ "input": wrong })).await, "VALIDATION");
    let missing = json!({ "memberId": member, "kind": "LEFT", "effectiveOn": "2022-03-10", "reason": "PERSONAL" });
    assert_eq!(app.error_code(query, json!({ "input": missing })).await, "NOT_FOUND");
    let audit = app.ok("{ auditTrail(first: 50) { edges { node { operation entityType } } } }", json!({})).await;
    let operations: Vec<(String, String)> = audit["auditTrail"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["node"]["operation"].as_str().unwrap().to_owned(), e["node"]["entityType"].as_str().unwrap().to_owned())
        })
        .collect();
    for expected in [
        ("recordDeath", "MembershipChange"),
        ("recordDeath", "Member"),
        ("correctMembershipChange", "MembershipChange"),
    ] {
        assert!(operations.iter().any(|(o, t)| (o.as_str(), t.as_str()) == expected), "{expected:?} in {operations:?}");
    }
    let stats = balance(&app, &p.commune, json!({ "year": 2022 })).await;
    assert_eq!(stats["membershipBalance"]["diedByReason"], json!([{ "category": "ACCIDENT", "count": 1 }]));
}

#[tokio::test]
async fn not_recognised_is_a_name_deleted_in_the_balance() {
    let app = TestApp::new().await;
    let ready = crate::common::pipeline::ready_candidate(&app, "1995-04-04").await;
    let p = &ready.place;
    let admitted =
        app.admit(&ready.candidate).into(p).introduced_by(&ready.introducers()).on("2021-03-02").await.unwrap();
    let admission = crate::common::pipeline::id(&admitted);
    app.ceremony(&admission, "2021-03-20").await.unwrap();
    app.not_recognised(&admission, "2022-04-01").await.unwrap();
    let stats = balance(&app, &p.district, json!({ "year": 2022 })).await;
    assert_eq!(stats["membershipBalance"]["namesDeleted"], 1);
    assert!(holds(&stats));
    let admitted_year = balance(&app, &p.district, json!({ "year": 2021 })).await;
    assert_eq!(admitted_year["membershipBalance"]["admitted"], 1);
    assert!(holds(&admitted_year));
}

/// The small generated country: deaths, transfers in and out, names deleted and not-recognised
/// members over ten years. On every province and district and a sample of communes and cells,
/// for years, halves and ranges that start and end mid-month, the balance holds, and each flow
/// equals a direct count of the generated changes (counted by unit codes, not the closure).
#[tokio::test]
async fn the_balance_holds_on_generated_data_at_every_level_and_for_arbitrary_periods() {
    use ketnap::generate::{GenerateOptions, Scale, generate};
    use sea_orm::{ConnectionTrait, Statement};

    let app = TestApp::new().await;
    generate(&app.db, GenerateOptions { scale: Scale::Small, seed: 17, progress: false }).await.unwrap();
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT code FROM units WHERE level IN ('PROVINCE', 'DISTRICT') \
             UNION ALL SELECT code FROM (SELECT code FROM units WHERE level = 'COMMUNE' ORDER BY id LIMIT 6) x \
             UNION ALL SELECT code FROM (SELECT code FROM units WHERE level = 'CELL' ORDER BY id LIMIT 6) y",
        ))
        .await
        .unwrap();
    let codes: Vec<String> = rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect();
    assert!(codes.len() > 10, "{codes:?}");
    let periods = [
        json!({ "year": 2019 }),
        json!({ "year": 2024 }),
        json!({ "half": 2, "year": 2021 }),
        json!({ "from": "2017-02-14", "to": "2023-11-03" }),
    ];
    let query = format!(
        "query($code: String!, $period: PeriodInput!) {{ unit(code: $code) {{ stats(period: $period) {{ {BALANCE} }} }} }}"
    );
    let mut changes_seen = 0;
    for code in &codes {
        for period in &periods {
            let stats = app.ok(&query, json!({ "code": code, "period": period })).await["unit"]["stats"].clone();
            assert!(holds(&stats), "{code} {period}: {stats:#}");
            changes_seen += stats["membershipBalance"]["died"].as_i64().unwrap();
        }
    }
    assert!(changes_seen > 0, "the generated data has deaths");

    // Deaths of a province in 2024, counted from the generated changes by the cells' codes.
    let province = &codes[0];
    let direct = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT COUNT(*) FROM membership_changes mc JOIN units c ON c.id = mc.cell_id \
                 WHERE c.code LIKE '{province}.%' AND mc.kind = 'DIED' \
                 AND mc.effective_on >= '2024-01-01' AND mc.effective_on <= '2024-12-31'"
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    let stats = app.ok(&query, json!({ "code": province, "period": { "year": 2024 } })).await;
    assert_eq!(stats["unit"]["stats"]["membershipBalance"]["died"], direct);
}
