//! The per-unit, per-month rollup (`unit_month_counts`): after every kind of change it equals a
//! full recount from the raw rows (compared whole, by grouped SQL written here independently of
//! the library's), a failing mutation leaves it untouched, and the figures the API reads from it
//! equal raw counts over the dated closure. The provinces' stock summaries are checked after
//! the same changes (`stock_summaries`).

use std::collections::BTreeMap;

use ketnap::domain::audit::Actor;
use ketnap::domain::rollup as rollups;
use ketnap::domain::stocks::Revision;
use ketnap::entity::admission;
use ketnap::import::members::import_members;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, Statement, TransactionTrait};
use serde_json::{Value, json};

use crate::cohort_summary::{assert_cohorts_exact, cohort_rows};
use crate::common::{TestApp, rule_of};
use crate::profile_summary::{assert_profiles_exact, profile_rows};
use crate::stock_summaries::{assert_stocks_exact, stock_rows};
use crate::year_figures::{assert_year_figures_exact, year_figure_rows};

/// (unit, `YYYY-MM`) → (admissions, recognitions, names deleted).
type Counts = BTreeMap<(i64, String), (i64, i64, i64)>;

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

fn month_text(app: &TestApp, column: &str) -> String {
    if app.is_postgres() { format!("to_char({column}, 'YYYY-MM')") } else { format!("strftime('%Y-%m', {column})") }
}

/// The rollup table, whole.
async fn rollup(app: &TestApp) -> Counts {
    let sql = format!(
        "SELECT unit_id, {} AS month, admissions, recognitions, names_deleted FROM unit_month_counts",
        month_text(app, "month")
    );
    let mut counts = Counts::new();
    for row in rows(app, &sql).await {
        let key = (row.try_get::<i64>("", "unit_id").unwrap(), row.try_get::<String>("", "month").unwrap());
        let value = (
            row.try_get::<i64>("", "admissions").unwrap(),
            row.try_get::<i64>("", "recognitions").unwrap(),
            row.try_get::<i64>("", "names_deleted").unwrap(),
        );
        assert!(counts.insert(key, value).is_none(), "one row per unit and month");
    }
    counts
}

/// A full recount from the admissions and the dated closure: each fact toward every
/// ancestor-or-self of its cell on the fact's date.
async fn recount(app: &TestApp) -> Counts {
    let mut counts = Counts::new();
    let facts = [
        ("a.decision_date", "1 = 1", 0),
        ("a.outcome_decision_date", "a.outcome = 'RECOGNISED'", 1),
        ("a.outcome_decision_date", "a.outcome = 'NOT_RECOGNISED'", 2),
    ];
    for (date, condition, slot) in facts {
        let sql = format!(
            "SELECT c.ancestor_id AS unit_id, {} AS month, COUNT(*) AS n FROM admissions a \
             JOIN unit_closure c ON c.descendant_id = a.cell_id AND c.valid_from <= {date} AND {date} < c.valid_to \
             WHERE {condition} GROUP BY c.ancestor_id, {}",
            month_text(app, date),
            month_text(app, date)
        );
        for row in rows(app, &sql).await {
            let key = (row.try_get::<i64>("", "unit_id").unwrap(), row.try_get::<String>("", "month").unwrap());
            let n = row.try_get::<i64>("", "n").unwrap();
            let entry = counts.entry(key).or_default();
            match slot {
                0 => entry.0 += n,
                1 => entry.1 += n,
                _ => entry.2 += n,
            }
        }
    }
    counts
}

/// Asserts that the rollup equals a full recount, row for row, and the stock summaries live
/// counts, the figures of each year, the summary by profile and the awareness cohorts their
/// recounts, after `step`.
async fn assert_exact(app: &TestApp, step: &str) {
    let (kept, recounted) = (rollup(app).await, recount(app).await);
    assert_eq!(kept, recounted, "the rollup differs from a recount after {step}");
    assert_year_figures_exact(app, step).await;
    assert_stocks_exact(app, step).await;
    assert_profiles_exact(app, step).await;
    assert_cohorts_exact(app, step).await;
}

/// Quảng Nam-like test tree: P → D1 → C1 → S1, S2; P → D2 → C2 → S3; and a second province Q → D3.
struct Org {
    province: String,
    d1: String,
    d2: String,
    c1: String,
    c2: String,
    s1: String,
    s2: String,
    s3: String,
}

async fn org(app: &TestApp) -> Org {
    let province = app.create_unit("P", "Tỉnh P", "PROVINCE", "PROVINCE", None).await;
    let d1 = app.create_unit("P.D1", "Huyện 1", "DISTRICT", "RURAL_DISTRICT", Some(&province)).await;
    let d2 = app.create_unit("P.D2", "Huyện 2", "DISTRICT", "RURAL_DISTRICT", Some(&province)).await;
    let c1 = app.create_unit("P.D1.C1", "Xã 1", "COMMUNE", "COMMUNE", Some(&d1)).await;
    let c2 = app.create_unit("P.D2.C2", "Xã 2", "COMMUNE", "COMMUNE", Some(&d2)).await;
    let s1 = app.create_unit("P.D1.C1.S1", "Chi bộ 1", "CELL", "VILLAGE", Some(&c1)).await;
    let s2 = app.create_unit("P.D1.C1.S2", "Chi bộ 2", "CELL", "VILLAGE", Some(&c1)).await;
    let s3 = app.create_unit("P.D2.C2.S3", "Chi bộ 3", "CELL", "VILLAGE", Some(&c2)).await;
    let q = app.create_unit("Q", "Tỉnh Q", "PROVINCE", "PROVINCE", None).await;
    app.create_unit("Q.D3", "Huyện 3", "DISTRICT", "RURAL_DISTRICT", Some(&q)).await;
    Org { province, d1, d2, c1, c2, s1, s2, s3 }
}

const ROSTER: &str = "cell_code,full_name,gender,date_of_birth,ethnicity,general_education,party_since,official_since
P.D1.C1.S1,Nguyễn Văn Một,MALE,1970-01-01,Kinh,UPPER_SECONDARY,2005-01-01,2006-01-01
P.D1.C1.S1,Trần Thị Hai,FEMALE,1972-02-02,Kinh,UPPER_SECONDARY,2008-01-01,2009-01-01
P.D2.C2.S3,Lê Văn Ba,MALE,1975-03-03,Kinh,UPPER_SECONDARY,2010-01-01,2011-01-01
";

/// The official members' IDs, in roster order.
async fn introducers(app: &TestApp, org: &Org) -> Vec<String> {
    let data = app
        .ok(
            "query($p: ID!) { members(within: $p, first: 10) { nodes { id person { fullName } } } }",
            json!({ "p": org.province }),
        )
        .await;
    let mut members: Vec<(String, String)> = data["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["person"]["fullName"].as_str().unwrap().to_owned(), m["id"].as_str().unwrap().to_owned()))
        .collect();
    members.sort_by_key(|(name, _)| ["Nguyễn Văn Một", "Trần Thị Hai", "Lê Văn Ba"].iter().position(|n| n == name));
    members.into_iter().map(|(_, id)| id).collect()
}

/// Nominates `name` into `cell` and has them complete the district's awareness class; returns the
/// person's ID.
async fn trained(app: &TestApp, cell: &str, district: &str, name: &str) -> String {
    let data = app
        .ok(
            "mutation($input: NominateInput!) { nominate(input: $input) { nomination { person { id } } } }",
            json!({ "input": { "cellId": cell, "nominatingBody": "YOUTH_UNION", "nominatedOn": "2020-03-01",
                    "person": { "fullName": name, "gender": "FEMALE", "dateOfBirth": "1995-01-01",
                                "ethnicity": "Kinh", "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" } } }),
        )
        .await;
    let person = data["nominate"]["nomination"]["person"]["id"].as_str().unwrap().to_owned();
    let data = app
        .ok(
            "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }",
            json!({ "input": { "organiserId": district, "kind": "AWARENESS", "title": format!("Lớp {name}"),
                               "startsOn": "2020-05-04", "endsOn": "2020-05-08" } }),
        )
        .await;
    let class = data["createTrainingClass"]["trainingClass"]["id"].as_str().unwrap().to_owned();
    app.ok(
        "mutation($c: ID!, $p: [ID!]!) { enrol(input: { classId: $c, personIds: $p }) { enrolments { id } } }",
        json!({ "c": class, "p": [person] }),
    )
    .await;
    // Attended first, then corrected to completed: the class's attendance counts once either way.
    let record =
        "mutation($input: RecordClassResultsInput!) { recordClassResults(input: $input) { enrolments { result } } }";
    let attended = json!({ "personId": person, "result": "ATTENDED" });
    app.ok(record, json!({ "input": { "classId": class, "results": [attended] } })).await;
    let completed = json!({ "personId": person, "result": "COMPLETED",
        "certificateNumber": format!("GCN-{name}"), "certificateDate": "2020-05-08" });
    app.ok(record, json!({ "input": { "classId": class, "results": [completed] } })).await;
    person
}

const ADMIT: &str = "mutation($input: AdmitInput!) { admit(input: $input) { admission { id } } }";

fn admit_input(person: &str, cell: &str, deciding: &str, introducers: &[String], decided: &str) -> Value {
    json!({ "input": { "personId": person, "cellId": cell, "decisionNumber": format!("{decided}-QĐ/HU"),
        "decisionDate": decided, "ceremonyDate": decided, "decidingUnitId": deciding,
        "introducers": [{ "memberId": introducers[0], "workedWithSince": "2018-01-01" },
                        { "memberId": introducers[1], "workedWithSince": "2018-01-01" }] } })
}

/// Admissions, recognitions and names deleted of the unit `code` for `period`, through the API.
async fn figures(app: &TestApp, code: &str, period: Value) -> (i64, i64, i64) {
    let data = app
        .ok(
            "query($code: String!, $period: PeriodInput!) { unit(code: $code) { stats(period: $period) {
                admissions recognitions namesDeleted } } }",
            json!({ "code": code, "period": period }),
        )
        .await;
    let stats = &data["unit"]["stats"];
    let n = |field: &str| stats[field].as_i64().unwrap();
    (n("admissions"), n("recognitions"), n("namesDeleted"))
}

/// The same three figures counted from the raw rows, day by day, for `from` to `to`.
async fn raw_figures(app: &TestApp, unit_id: i64, from: &str, to: &str) -> (i64, i64, i64) {
    let mut found = [0; 3];
    let facts = [
        ("a.decision_date", "1 = 1"),
        ("a.outcome_decision_date", "a.outcome = 'RECOGNISED'"),
        ("a.outcome_decision_date", "a.outcome = 'NOT_RECOGNISED'"),
    ];
    let cast = |day: &str| if app.is_postgres() { format!("DATE '{day}'") } else { format!("'{day}'") };
    for (slot, (date, condition)) in facts.into_iter().enumerate() {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM admissions a JOIN unit_closure c ON c.descendant_id = a.cell_id \
             AND c.valid_from <= {date} AND {date} < c.valid_to \
             WHERE c.ancestor_id = {unit_id} AND {condition} AND {date} >= {} AND {date} <= {}",
            cast(from),
            cast(to)
        );
        found[slot] = rows(app, &sql).await[0].try_get::<i64>("", "n").unwrap();
    }
    (found[0], found[1], found[2])
}

#[tokio::test]
async fn the_rollup_equals_a_recount_after_every_kind_of_change() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    assert_exact(&app, "createUnit").await;

    let report = import_members(&app.db, &Actor::system("test"), ROSTER.as_bytes()).await;
    let report = report.unwrap_or_else(|err| panic!("the roster loads: {err:?}"));
    assert_eq!(report.created, 3);
    assert_exact(&app, "import-members").await;
    let members = introducers(&app, &org).await;

    // Admissions on both sides of month and year ends, in three cells.
    let plan = [
        ("A", &org.s1, "2020-12-31"),
        ("B", &org.s1, "2021-01-15"),
        ("C", &org.s3, "2021-03-02"),
        ("D", &org.s2, "2021-06-30"),
        ("E", &org.s2, "2021-02-20"),
        ("F", &org.s1, "2021-02-05"),
        ("G", &org.s2, "2021-10-05"),
    ];
    let mut admitted = BTreeMap::new();
    for (name, cell, decided) in plan {
        let district = if *cell == org.s3 { &org.d2 } else { &org.d1 };
        let person = trained(&app, cell, district, name).await;
        assert_exact(&app, &format!("createTrainingClass, enrol and recordClassResults for {name}")).await;
        let data = app.ok(ADMIT, admit_input(&person, cell, &org.province, &members, decided)).await;
        admitted.insert(name, data["admit"]["admission"]["id"].as_str().unwrap().to_owned());
        assert_exact(&app, &format!("admit {name}")).await;
    }
    assert!(rollup(&app).await.len() > 20, "the rollup is not trivially empty");
    targets_set_changed_and_cleared(&app, &org).await;

    let not_recognised = "mutation($id: ID!, $on: Date!) { notRecognised(input: { admissionId: $id,
        decisionNumber: \"9-QĐ/HU\", decisionDate: $on, reason: \"Vi phạm tư cách\" }) { admission { outcome } } }";
    app.ok(not_recognised, json!({ "id": admitted["B"], "on": "2021-12-31" })).await;
    assert_exact(&app, "notRecognised").await;

    let correct = "mutation($id: ID!) { correctAdmission(input: { admissionId: $id, decisionNumber: \"12-QĐ/HU\",
        ceremonyDate: \"2021-03-10\" }) { admission { decisionNumber } } }";
    app.ok(correct, json!({ "id": admitted["C"] })).await;
    assert_exact(&app, "correctAdmission").await;

    // An admitted person's profile corrected: every dimension but the nominating body moves
    // (born in 1960, D is over 60 on her decision day).
    let correct_person = "mutation($id: ID!, $person: PersonInput!) {
        correctPerson(input: { personId: $id, person: $person }) { person { ethnicity } } }";
    let d = app
        .ok("query($id: ID!) { node(id: $id) { ... on Admission { person { id } } } }", json!({ "id": admitted["D"] }))
        .await["node"]["person"]["id"]
        .clone();
    let profile = json!({ "fullName": "D", "gender": "MALE", "dateOfBirth": "1960-06-30", "ethnicity": "Tày",
        "religion": "BUDDHISM", "generalEducation": "LOWER_SECONDARY", "professionalEducation": "UNIVERSITY",
        "occupation": "TEACHER" });
    let before_correction = profile_rows(&app).await;
    app.ok(correct_person, json!({ "id": d, "person": profile })).await;
    assert_exact(&app, "correctPerson").await;
    assert_ne!(profile_rows(&app).await, before_correction, "the correction moved D's counts");

    // Failing mutations leave the rollup exactly as it was.
    let person = trained(&app, &org.s1, &org.d1, "H").await;
    let before = rollup(&app).await;
    let too_early = app.error(ADMIT, admit_input(&person, &org.s1, &org.province, &members, "2020-05-01")).await;
    assert_eq!(rule_of(&too_early), ("RULE_VIOLATION", "AWARENESS_CERTIFICATE_MISSING"));
    assert_eq!(rollup(&app).await, before, "a refused admission changed the rollup");
    app.ok(ADMIT, admit_input(&person, &org.s1, &org.province, &members, "2021-04-01")).await;
    assert_exact(&app, "admit H").await;
    let before = rollup(&app).await;
    let again = app.error(ADMIT, admit_input(&person, &org.s1, &org.province, &members, "2021-05-01")).await;
    assert_eq!(again["extensions"]["code"], "CONFLICT");
    assert_eq!(rollup(&app).await, before, "a refused admission changed the rollup");

    // A commune moves to the other district, backdated into a month with admissions on both sides.
    let move_unit = "mutation($id: ID!, $to: ID!, $on: Date!) {
        moveUnit(input: { id: $id, parentId: $to, effectiveOn: $on }) { unit { code } } }";
    app.ok(move_unit, json!({ "id": org.c1, "to": org.d2, "on": "2021-02-10" })).await;
    assert_exact(&app, "moveUnit").await;
    assert_eq!(figures(&app, "P.D1", json!({ "year": 2021 })).await, (2, 0, 0), "B and F, before the move");
    assert_eq!(figures(&app, "P.D2", json!({ "year": 2021 })).await, (5, 0, 1), "C, D, E, G, H; B's deletion");
    assert_eq!(figures(&app, "P.D1", json!({ "year": 2021, "month": 2 })).await, (1, 0, 0));
    assert_eq!(figures(&app, "P.D2", json!({ "year": 2021, "month": 2 })).await, (1, 0, 0));
    assert_eq!(figures(&app, "P.D1", json!({ "year": 2020 })).await, (1, 0, 0));

    let before_failures = rollup(&app).await;
    let error = app.error(move_unit, json!({ "id": org.c1, "to": org.d1, "on": "2021-01-01" })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "CHANGE_BEFORE_LAST_CHANGE"));
    let merge = "mutation($s: [ID!]!, $t: ID!, $on: Date!) {
        mergeUnits(input: { sourceIds: $s, targetId: $t, effectiveOn: $on }) { target { code } } }";
    // The first source is merged before the second is refused: the whole merge rolls back.
    let error = app.error(merge, json!({ "s": [org.s3, org.c2], "t": org.s1, "on": "2021-09-01" })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "MERGE_LEVEL"));
    assert_eq!(rollup(&app).await, before_failures, "a refused tree change altered the rollup");

    let recognise = "mutation($id: ID!, $on: Date!) { recogniseOfficial(input: { admissionId: $id,
        decisionNumber: \"310-QĐ/HU\", decisionDate: $on }) { admission { outcome } } }";
    app.ok(recognise, json!({ "id": admitted["A"], "on": "2022-01-10" })).await;
    assert_exact(&app, "recogniseOfficial").await;
    assert_eq!(figures(&app, "P.D2", json!({ "year": 2022 })).await, (0, 1, 0));

    let transfer = "mutation($id: ID!, $cell: ID!) { transferMember(input: { memberId: $id, cellId: $cell,
        effectiveOn: \"2022-02-01\" }) { member { id } } }";
    app.ok(transfer, json!({ "id": members[0], "cell": org.s3 })).await;
    assert_exact(&app, "transferMember").await;
    source_and_membership_ends(&app, &org, &members).await;

    // S2 merges into S1 from September 2021: G's admission in October now counts for S1 too.
    app.ok(merge, json!({ "s": [org.s2], "t": org.s1, "on": "2021-09-01" })).await;
    assert_exact(&app, "mergeUnits").await;
    assert_eq!(figures(&app, "P.D1.C1.S1", json!({ "year": 2021 })).await, (4, 0, 1), "B, F, H, and G");
    assert_eq!(figures(&app, "P.D1.C1.S2", json!({ "year": 2021 })).await, (3, 0, 0), "D, E, G");

    let empty = app.create_unit("P.D2.C2.S4", "Chi bộ 4", "CELL", "VILLAGE", Some(&org.c2)).await;
    assert_exact(&app, "createUnit").await;
    let dissolve =
        "mutation($id: ID!) { dissolveUnit(input: { id: $id, effectiveOn: \"2022-03-01\" }) { unit { code } } }";
    app.ok(dissolve, json!({ "id": empty })).await;
    assert_exact(&app, "dissolveUnit").await;

    // A commune with members and candidates moves to the other province.
    let q_district = app.ok("{ unit(code: \"Q.D3\") { id } }", json!({})).await["unit"]["id"].clone();
    app.ok(move_unit, json!({ "id": org.c2, "to": q_district, "on": "2022-06-15" })).await;
    assert_exact(&app, "moveUnit across provinces").await;

    // A full rebuild gives the tables they already hold.
    let (kept, kept_stocks, kept_profiles) = (rollup(&app).await, stock_rows(&app).await, profile_rows(&app).await);
    let (kept_cohorts, kept_years) = (cohort_rows(&app).await, year_figure_rows(&app).await);
    assert!(kept_stocks.len() > 10, "the stock summaries are not trivially empty");
    assert!(kept_profiles.len() > 20, "the summary by profile is not trivially empty");
    assert!(kept_cohorts.len() > 5, "the awareness cohorts are not trivially empty");
    rollups::rebuild_all(&app.db).await.unwrap();
    assert_eq!(rollup(&app).await, kept);
    assert_eq!(stock_rows(&app).await, kept_stocks);
    assert_eq!(profile_rows(&app).await, kept_profiles);
    assert_eq!(cohort_rows(&app).await, kept_cohorts);
    assert_eq!(year_figure_rows(&app).await, kept_years);
}

/// Targets of years set, changed and cleared (one at a time and several in one transaction),
/// a term's target, and a refused one, each checked against the recount; a target of a year
/// without admissions is a row of its own until it is cleared.
async fn targets_set_changed_and_cleared(app: &TestApp, org: &Org) {
    let set = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";
    let target = |unit: &str, kind: &str, period: Value, value: i64| {
        let mut target = json!({ "unitId": unit, "kind": kind });
        target.as_object_mut().unwrap().extend(period.as_object().unwrap().clone());
        json!({ "input": { "target": target, "value": value } })
    };
    let (y2021, y2023) = (json!({ "year": 2021 }), json!({ "year": 2023 }));
    app.ok(set, target(&org.province, "ASSIGNED", y2021.clone(), 10)).await;
    assert_exact(app, "setTarget of a year").await;
    app.ok(set, target(&org.province, "ASSIGNED", y2021.clone(), 12)).await;
    app.ok(set, target(&org.d1, "RESOLUTION", y2021.clone(), 4)).await;
    assert_exact(app, "setTarget changing one").await;
    app.ok(set, target(&org.d2, "ASSIGNED", y2023.clone(), 3)).await;
    assert_exact(app, "setTarget of a year without admissions").await;
    let term = json!({ "term": { "startYear": 2020, "endYear": 2025 } });
    app.ok(set, target(&org.province, "ASSIGNED", term, 50)).await;
    assert_exact(app, "setTarget of a term").await;
    let many = "mutation($inputs: [SetTargetInput!]!) { setTargets(inputs: $inputs) { value } }";
    let inputs: Vec<Value> = [(&org.c1, 2), (&org.c2, 1)]
        .into_iter()
        .map(|(unit, value)| target(unit, "ASSIGNED", y2021.clone(), value)["input"].clone())
        .collect();
    app.ok(many, json!({ "inputs": inputs })).await;
    assert_exact(app, "setTargets").await;
    let province_id = rows(app, "SELECT id FROM units WHERE code = 'P'").await[0].try_get::<i64>("", "id").unwrap();
    let d2_id = rows(app, "SELECT id FROM units WHERE code = 'P.D2'").await[0].try_get::<i64>("", "id").unwrap();
    let kept = year_figure_rows(app).await;
    assert_eq!(kept[&(province_id, 2021)].1, Some(12), "the province's changed target of 2021");
    assert_eq!(kept[&(d2_id, 2023)], (0, Some(3), None), "a target alone keeps a row");

    let before = year_figure_rows(app).await;
    let refused = app.error(set, target(&org.d2, "ASSIGNED", y2023.clone(), -1)).await;
    assert_eq!(refused["extensions"]["code"], "VALIDATION");
    assert_eq!(year_figure_rows(app).await, before, "a refused target changed the figures");

    let clear = "mutation($input: TargetRefInput!) { clearTarget(input: $input) { target { value } } }";
    app.ok(clear, json!({ "input": { "unitId": org.d2, "kind": "ASSIGNED", "year": 2023 } })).await;
    assert_exact(app, "clearTarget of a year without admissions").await;
    assert!(!year_figure_rows(app).await.contains_key(&(d2_id, 2023)), "an empty row is not kept");
    app.ok(clear, json!({ "input": { "unitId": org.d1, "kind": "RESOLUTION", "year": 2021 } })).await;
    assert_exact(app, "clearTarget of a year with admissions").await;
}

/// A candidate nominated and removed from the source, a member's death, and a member's transfer
/// out and back in, each checked.
async fn source_and_membership_ends(app: &TestApp, org: &Org, members: &[String]) {
    let nominate = "mutation($input: NominateInput!) { nominate(input: $input) { nomination { id } } }";
    let person = json!({ "fullName": "Phạm Văn Rời", "gender": "MALE", "dateOfBirth": "1996-01-01",
        "ethnicity": "Kinh", "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" });
    let input = json!({ "cellId": org.s3, "nominatingBody": "YOUTH_UNION", "nominatedOn": "2021-05-01",
        "person": person });
    let nomination = app.ok(nominate, json!({ "input": input })).await["nominate"]["nomination"]["id"].clone();
    assert_exact(app, "nominate").await;
    let remove = "mutation($id: ID!) { removeFromSource(input: { nominationId: $id, reason: MOVED_AWAY,
        removedOn: \"2021-11-20\" }) { nomination { status } } }";
    app.ok(remove, json!({ "id": nomination })).await;
    assert_exact(app, "removeFromSource").await;

    let change = |mutation: &str, member: &str, reason: &str, on: &str| {
        let query =
            format!("mutation($input: MemberChangeInput!) {{ {mutation}(input: $input) {{ change {{ kind }} }} }}");
        let input = json!({ "memberId": member, "reason": reason, "effectiveOn": on,
            "decision": { "number": "5-QĐ/TU", "date": on, "decidingUnitId": org.province } });
        (query, json!({ "input": input }))
    };
    let (query, variables) = change("recordDeath", &members[1], "ILLNESS", "2022-03-10");
    app.ok(&query, variables).await;
    assert_exact(app, "recordDeath").await;
    let (query, variables) = change("transferMemberOut", &members[2], "ARMED_FORCES", "2022-04-01");
    app.ok(&query, variables).await;
    assert_exact(app, "transferMemberOut").await;
    let person = app
        .ok("query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }", json!({ "id": members[2] }))
        .await["node"]["person"]["id"]
        .clone();
    let transfer_in =
        "mutation($input: TransferMemberInInput!) { transferMemberIn(input: $input) { change { kind } } }";
    let input = json!({ "personId": person, "cellId": org.s1, "partySince": "2010-01-01",
        "officialSince": "2011-01-01", "reason": "OTHER_PROVINCE", "effectiveOn": "2022-05-02",
        "decision": { "number": "6-QĐ/TU", "date": "2022-05-02", "decidingUnitId": org.province } });
    app.ok(transfer_in, json!({ "input": input })).await;
    assert_exact(app, "transferMemberIn").await;
}

#[tokio::test]
async fn a_corrected_decision_date_or_cell_moves_its_counts() {
    // `correctAdmission` corrects the decision number and the ceremony; should it come to correct
    // the decision date or the cell, the rollup follows through `admission_changed` and the stock
    // summaries through a `Revision` around the change, shown here on the rows directly.
    let app = TestApp::new().await;
    let org = org(&app).await;
    import_members(&app.db, &Actor::system("test"), ROSTER.as_bytes()).await.unwrap_or_else(|_| panic!("roster"));
    let members = introducers(&app, &org).await;
    let person = trained(&app, &org.s1, &org.d1, "K").await;
    app.ok(ADMIT, admit_input(&person, &org.s1, &org.province, &members, "2021-12-31")).await;
    let before = admission::Entity::find().one(&app.db).await.unwrap().unwrap();
    let s3_id = rows(&app, "SELECT id FROM units WHERE code = 'P.D2.C2.S3'").await[0].try_get::<i64>("", "id").unwrap();

    let txn = app.db.begin().await.unwrap();
    let revision = Revision::of_persons(&txn, &[before.person_id]).await.unwrap();
    let mut changed: admission::ActiveModel = before.clone().into();
    changed.decision_date = Set("2022-01-03".parse().unwrap());
    changed.cell_id = Set(s3_id);
    let after = changed.update(&txn).await.unwrap();
    rollups::admission_changed(&txn, Some(&before), Some(&after)).await.unwrap();
    revision.finish(&txn).await.unwrap();
    txn.commit().await.unwrap();
    assert_exact(&app, "a new decision date and cell").await;
    assert_eq!(figures(&app, "P.D1", json!({ "year": 2021 })).await, (0, 0, 0));
    assert_eq!(figures(&app, "P.D2", json!({ "year": 2022 })).await, (1, 0, 0));
    assert_eq!(figures(&app, "P", json!({ "year": 2021 })).await, (0, 0, 0));
    assert_eq!(figures(&app, "P", json!({ "year": 2022 })).await, (1, 0, 0));
}

#[tokio::test]
async fn figures_read_from_the_rollup_equal_raw_counts() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    import_members(&app.db, &Actor::system("test"), ROSTER.as_bytes()).await.unwrap_or_else(|_| panic!("roster"));
    let members = introducers(&app, &org).await;
    for (i, (cell, decided)) in [
        (&org.s1, "2020-11-30"),
        (&org.s1, "2021-01-01"),
        (&org.s2, "2021-03-31"),
        (&org.s2, "2021-04-01"),
        (&org.s3, "2021-06-15"),
        (&org.s3, "2021-12-31"),
        (&org.s1, "2022-02-28"),
    ]
    .into_iter()
    .enumerate()
    {
        let district = if *cell == org.s3 { &org.d2 } else { &org.d1 };
        let person = trained(&app, cell, district, &format!("Người {i}")).await;
        let data = app.ok(ADMIT, admit_input(&person, cell, &org.province, &members, decided)).await;
        if i < 2 {
            let recognise = "mutation($id: ID!, $on: Date!) { recogniseOfficial(input: { admissionId: $id,
                decisionNumber: \"1-QĐ/HU\", decisionDate: $on }) { admission { outcome } } }";
            let on = if i == 0 { "2021-12-01" } else { "2022-01-31" };
            app.ok(recognise, json!({ "id": data["admit"]["admission"]["id"], "on": on })).await;
        }
    }
    let move_unit = "mutation($id: ID!, $to: ID!) {
        moveUnit(input: { id: $id, parentId: $to, effectiveOn: \"2021-04-01\" }) { unit { code } } }";
    app.ok(move_unit, json!({ "id": org.c1, "to": org.d2 })).await;

    let units = rows(&app, "SELECT id, code FROM units").await;
    let periods = [
        (json!({ "year": 2020 }), "2020-01-01", "2020-12-31"),
        (json!({ "year": 2021 }), "2021-01-01", "2021-12-31"),
        (json!({ "year": 2022 }), "2022-01-01", "2022-12-31"),
        (json!({ "year": 2021, "quarter": 1 }), "2021-01-01", "2021-03-31"),
        (json!({ "year": 2021, "half": 2 }), "2021-07-01", "2021-12-31"),
        (json!({ "term": { "startYear": 2020, "endYear": 2025 } }), "2021-01-01", "2025-12-31"),
        // Day-granular: counted live.
        (json!({ "from": "2021-01-02", "to": "2021-12-31" }), "2021-01-02", "2021-12-31"),
        (json!({ "year": 2021, "asOf": "2021-06-15" }), "2021-01-01", "2021-06-15"),
        // A whole-month asOf: from the rollup again.
        (json!({ "year": 2021, "asOf": "2021-03-31" }), "2021-01-01", "2021-03-31"),
    ];
    let mut nonzero = 0;
    for unit in &units {
        let id = unit.try_get::<i64>("", "id").unwrap();
        let code = unit.try_get::<String>("", "code").unwrap();
        for (period, from, to) in &periods {
            let expected = raw_figures(&app, id, from, to).await;
            assert_eq!(figures(&app, &code, period.clone()).await, expected, "{code} {period}");
            nonzero += usize::from(expected != (0, 0, 0));
        }
    }
    assert!(nonzero > 20, "the comparison covers real counts ({nonzero})");

    // The quarterly series of the province, from the rollup, against raw counts per quarter.
    let data = app
        .ok(
            "{ unit(code: \"P\") { stats(period: { year: 2021 }) { timeSeries(granularity: QUARTER) {
                start end admissions recognitions } } } }",
            json!({}),
        )
        .await;
    let province_id = rows(&app, "SELECT id FROM units WHERE code = 'P'").await[0].try_get::<i64>("", "id").unwrap();
    for bucket in data["unit"]["stats"]["timeSeries"].as_array().unwrap() {
        let (start, end) = (bucket["start"].as_str().unwrap(), bucket["end"].as_str().unwrap());
        let (admissions, recognitions, _) = raw_figures(&app, province_id, start, end).await;
        assert_eq!(
            (bucket["admissions"].as_i64(), bucket["recognitions"].as_i64()),
            (Some(admissions), Some(recognitions))
        );
    }
}

#[tokio::test]
async fn the_demo_loader_keeps_the_rollup_exact() {
    let app = TestApp::with_demo().await;
    assert!(!rollup(&app).await.is_empty());
    assert_exact(&app, "the demo loader").await;
}

/// Admissions committed side by side into cells that share ancestors: each locks the shared
/// rollup rows, and none may fail (a deadlock would surface as CONFLICT) or be lost. On the
/// benchmark's generated database, where closure rows come back in varying orders, this
/// deadlocked until the upsert locked them in unit order; this small tree does not reproduce
/// that order, so here it guards the counts under concurrency rather than that fix.
#[tokio::test]
async fn concurrent_admissions_under_shared_ancestors_all_commit() {
    let app = TestApp::new().await;
    let tree = crate::common::article_tree(&app).await;
    let ids = |global: &str| ketnap::graphql::ids::from_global(&async_graphql::ID(global.to_owned())).unwrap().1;
    let commune = ids(&tree.xa_nhe);
    let mut cells = vec![ids(&tree.san_sui)];
    for n in 2..=4 {
        let id = app
            .create_unit(&format!("DB.TC.XN.{n}"), &format!("Chi bộ {n}"), "CELL", "VILLAGE", Some(&tree.xa_nhe))
            .await;
        cells.push(ids(&id));
    }
    let (per_task, tasks) = (25, 4);
    let date = |day: u32| chrono::NaiveDate::from_ymd_opt(2024, 5, day).unwrap();
    let work = (0..tasks).map(|task| {
        let (db, cell) = (app.db.clone(), cells[task % 2]);
        async move {
            for i in 0..per_task {
                let admission = admission::Model {
                    id: 0,
                    person_id: 0,
                    nomination_id: None,
                    cell_id: cell,
                    decision_number: format!("{task}-{i}"),
                    decision_date: date(1 + (i % 28) as u32),
                    deciding_unit_id: cell,
                    ceremony_date: None,
                    introducer1_id: None,
                    introducer1_since: None,
                    introducer2_id: None,
                    introducer2_since: None,
                    youth_union_resolution: None,
                    youth_union_resolution_date: None,
                    exception_reference: None,
                    exception_note: None,
                    outcome: admission::AdmissionOutcome::Probationary,
                    outcome_decision_number: None,
                    outcome_decision_date: None,
                    outcome_reason: None,
                    created_at: chrono::Utc::now(),
                    updated_at: chrono::Utc::now(),
                };
                let txn = ketnap::db::begin_write(&db).await?;
                rollups::admission_changed(&txn, None, Some(&admission)).await?;
                txn.commit().await?;
            }
            Ok::<_, ketnap::error::AppError>(())
        }
    });
    for outcome in futures::future::join_all(work).await {
        outcome.expect("every admission commits");
    }
    let counts = rollup(&app).await;
    assert_eq!(counts[&(commune, "2024-05".to_owned())].0, (per_task * tasks) as i64);
}
