//! The 2025 reorganisation end to end (issue 17 §5): the generated provinces P01 and P02 lose
//! their districts (communes placed directly under the province), their communes merge three into
//! one, and P02 merges into P01, all on 2025-07-01 through `ketnap reorganise`'s plan; then the
//! public API still serves every 2024 figure of every old unit unchanged, the new units' figures
//! for the second half of 2025 count what happened in their cells, and the merged province's 2025
//! admissions — its one 2025 figure on the boundaries of the year's end (`boundaries: PERIOD_END`),
//! and P01's and P02's 2025 rows as dated together — are both old provinces' first halves plus its
//! own second half.

use std::collections::BTreeMap;

use ketnap::domain::audit::Actor;
use ketnap::entity::unit::{self, UnitLevel};
use ketnap::generate::{GenerateOptions, Scale, generate};
use ketnap::import::ImportError;
use ketnap::import::reorganisation::{ReorganisationReport, reorganise};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Statement};
use serde_json::{Value, json};

use crate::common::TestApp;

const ON: &str = "2025-07-01";
const HEADER: &str = "operation,unit_code,target_code,effective_on\n";
/// Every figure `stats` serves as a plain number for a period, and the attainment.
const FIGURES: &str = "admissions recognitions namesDeleted probationaryMembers officialMembers members \
    cells communes districts inSource nominated removedFromSource classesHeld assignedTarget resolutionTarget \
    attainment { percent } membershipBalance { membersAtStart membersAtEnd admitted transferredIn died \
    expelled namesDeleted left transferredOut }";

/// The single integer `sql` selects.
async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The figures of each unit of `codes` for `period`, as the API serves them, by code.
async fn figures(app: &TestApp, codes: &[String], period: Value, fields: &str) -> BTreeMap<String, Value> {
    let mut found = BTreeMap::new();
    for batch in codes.chunks(25) {
        let aliases: Vec<String> = batch
            .iter()
            .enumerate()
            .map(|(i, code)| format!("u{i}: unit(code: \"{code}\") {{ stats(period: $period) {{ {fields} }} }}"))
            .collect();
        let query = format!("query($period: PeriodInput!) {{ {} }}", aliases.join(" "));
        let data = app.ok(&query, json!({ "period": period })).await;
        for (i, code) in batch.iter().enumerate() {
            found.insert(code.clone(), data[format!("u{i}")]["stats"].clone());
        }
    }
    found
}

/// The units of the two provinces by level, ordered by code.
async fn tree(app: &TestApp) -> BTreeMap<UnitLevel, Vec<unit::Model>> {
    let mut levels: BTreeMap<UnitLevel, Vec<unit::Model>> = BTreeMap::new();
    for unit in unit::Entity::find().order_by_asc(unit::Column::Code).all(&app.db).await.unwrap() {
        if unit.code.starts_with("P01") || unit.code.starts_with("P02") {
            levels.entry(unit.level).or_default().push(unit);
        }
    }
    levels
}

/// The plan of the 2025 reorganisation of P01 and P02, and the merged communes: each surviving
/// commune with the communes merged into it (itself first).
fn plan(tree: &BTreeMap<UnitLevel, Vec<unit::Model>>) -> (String, Vec<Vec<String>>) {
    let mut plan = String::from(HEADER);
    let mut groups = Vec::new();
    for district in &tree[&UnitLevel::District] {
        let province = district.code.split('.').next().unwrap();
        let communes: Vec<&str> = tree[&UnitLevel::Commune]
            .iter()
            .filter(|c| c.parent_id == Some(district.id))
            .map(|c| c.code.as_str())
            .collect();
        // The district level goes: its communes are placed directly under the province first,
        // since only an empty unit is dissolved.
        for commune in &communes {
            plan.push_str(&format!("MOVE,{commune},{province},{ON}\n"));
        }
        plan.push_str(&format!("DISSOLVE,{},,{ON}\n", district.code));
        // Three communes into one, within the former district: the first of each three survives.
        for group in communes.chunks(3) {
            for merged in &group[1..] {
                plan.push_str(&format!("MERGE,{merged},{},{ON}\n", group[0]));
            }
            groups.push(group.iter().map(|c| c.to_string()).collect());
        }
    }
    // P02's communes move under P01 and P02 is dissolved, hung under P01 (what `mergeUnits` does).
    plan.push_str(&format!("MERGE,P02,P01,{ON}\n"));
    (plan, groups)
}

async fn apply(app: &TestApp, plan: &str) -> Result<ReorganisationReport, ImportError> {
    let applied = reorganise(&app.db, &Actor::system("reorganise"), plan.as_bytes()).await;
    // Written behind the API's back, as the command does: a server learns of it through the
    // database's change announcement on PostgreSQL, which these tests do not listen to.
    app.cache.changed(&ketnap::cache::Footprint::Everything);
    applied
}

/// Facts of `table` (its `cell_id`, dated by `date`) in the second half of 2025 in the cells under
/// any of `codes`, counted by the cells' codes rather than through the closure the API reads.
async fn in_h2(app: &TestApp, table: &str, date: &str, codes: &[String]) -> i64 {
    let under: Vec<String> = codes.iter().map(|code| format!("c.code LIKE '{code}.%'")).collect();
    count(
        app,
        &format!(
            "SELECT COUNT(*) FROM {table} f JOIN units c ON c.id = f.cell_id WHERE ({}) \
             AND f.{date} >= '2025-07-01' AND f.{date} <= '2025-12-31'",
            under.join(" OR ")
        ),
    )
    .await
}

/// Admissions decided in the second half of 2025 in the cells under any of `codes`.
async fn admitted_in_h2(app: &TestApp, codes: &[String]) -> i64 {
    in_h2(app, "admissions", "decision_date", codes).await
}

/// Nominations of the second half of 2025 in the cells under any of `codes`.
async fn nominated_in_h2(app: &TestApp, codes: &[String]) -> i64 {
    in_h2(app, "nominations", "nominated_on", codes).await
}

#[tokio::test]
async fn the_2025_reorganisation_keeps_2024_and_counts_2025_in_the_new_units() {
    let app = TestApp::new().await;
    generate(&app.db, GenerateOptions { scale: Scale::Small, seed: 17, progress: false }).await.unwrap();
    let before = tree(&app).await;
    assert!(before[&UnitLevel::District].len() >= 4, "two provinces with districts");
    let old: Vec<String> = before.values().flatten().map(|u| u.code.clone()).collect();
    let (plan, groups) = plan(&before);
    let year_2024 = json!({ "year": 2024 });
    let h1 = json!({ "year": 2025, "half": 1 });
    let h2 = json!({ "year": 2025, "half": 2 });
    let figures_2024 = figures(&app, &old, year_2024.clone(), FIGURES).await;
    let provinces = ["P01".to_owned(), "P02".to_owned()];
    let h1_before = figures(&app, &provinces, h1.clone(), "admissions").await;

    let report = apply(&app, &plan).await.unwrap_or_else(|err| panic!("the plan applies: {err:?}"));
    let communes = before[&UnitLevel::Commune].len();
    assert_eq!(report.moved, communes);
    assert_eq!(report.dissolved, before[&UnitLevel::District].len());
    assert_eq!(report.merged, communes - groups.len() + 1);

    // Every figure of 2024 of every old unit, the dissolved and merged ones too, is unchanged.
    let after_2024 = figures(&app, &old, year_2024, FIGURES).await;
    for code in &old {
        assert_eq!(after_2024[code], figures_2024[code], "{code}: 2024 figures");
    }
    assert!(figures_2024["P02"]["admissions"].as_i64().unwrap() > 0);

    // The merged communes count, from 2025-07-01, what happened in all their cells.
    let survivors: Vec<String> = groups.iter().map(|group| group[0].clone()).collect();
    let new_h2 = figures(&app, &survivors, h2.clone(), "admissions nominated cells districts").await;
    for group in &groups {
        let served = &new_h2[&group[0]];
        assert_eq!(served["admissions"], json!(admitted_in_h2(&app, group).await), "{group:?}");
        assert_eq!(served["nominated"], json!(nominated_in_h2(&app, group).await), "{group:?}");
        let cells = format!(
            "SELECT COUNT(*) FROM units c WHERE c.level = 'CELL' AND ({})",
            group.iter().map(|code| format!("c.code LIKE '{code}.%'")).collect::<Vec<_>>().join(" OR ")
        );
        assert_eq!(served["cells"], json!(count(&app, &cells).await), "{group:?}");
    }
    assert!(new_h2.values().map(|f| f["admissions"].as_i64().unwrap()).sum::<i64>() > 0);

    // The merged province: no districts, the surviving communes, and both provinces' cells.
    let merged = &figures(&app, &provinces[..1], h2, "admissions communes districts cells").await["P01"];
    assert_eq!(merged["districts"], json!(0));
    assert_eq!(merged["communes"], json!(groups.len()));
    assert_eq!(merged["cells"], json!(before[&UnitLevel::Cell].len()));
    let merged_h2 = admitted_in_h2(&app, &provinces).await;
    assert_eq!(merged["admissions"], json!(merged_h2));
    assert!(merged_h2 > 0, "the generated history has admissions after 2025-07-01");

    // Its 2025 total: P01's first half + P02's first half + its own second half.
    let h1_after = figures(&app, &provinces, h1, "admissions").await;
    assert_eq!(h1_after, h1_before, "the first half stays with each old province");
    let half = |p: &str| h1_after[p]["admissions"].as_i64().unwrap();
    let year = figures(&app, &provinces, json!({ "year": 2025 }), "admissions").await;
    let year = |p: &str| year[p]["admissions"].as_i64().unwrap();
    // A fact counts toward the units above its cell on its own date: P01's own 2025 row holds its
    // first half and the merged second half; P02's first half stays in P02's row (P02, dissolved
    // and hung under P01, has nothing left to count after 2025-07-01).
    assert_eq!(year("P01"), half("P01") + merged_h2);
    assert_eq!(year("P02"), half("P02"));
    assert_eq!(year("P01") + year("P02"), half("P01") + half("P02") + merged_h2);
    assert!(half("P02") > 0);

    // On the boundaries of the year's end the merged province's one 2025 figure is both old
    // provinces' first halves plus its own second half; P02, dissolved by then, counts nothing.
    let on_end = json!({ "year": 2025, "boundaries": "PERIOD_END" });
    let whole = figures(&app, &provinces, on_end.clone(), "admissions period { boundaries label }").await;
    assert_eq!(whole["P01"]["period"]["label"], "2025 (địa giới 31/12/2025)");
    assert_eq!(whole["P01"]["admissions"], json!(half("P01") + half("P02") + merged_h2));
    assert_eq!(whole["P01"]["period"]["boundaries"], "PERIOD_END");
    assert_eq!(whole["P02"]["admissions"], json!(0));
    // Each merged commune's 2025: the first halves of the three communes merged into it + its own
    // second half; and 2024 on its own end's boundaries (before the reform) is 2024 as dated.
    let communes_h1 = figures(&app, &old, json!({ "year": 2025, "half": 1 }), "admissions").await;
    let communes_2025 = figures(&app, &survivors, on_end, "admissions").await;
    for group in &groups {
        let first_halves: i64 = group.iter().map(|c| communes_h1[c]["admissions"].as_i64().unwrap()).sum();
        let own_h2 = new_h2[&group[0]]["admissions"].as_i64().unwrap();
        assert_eq!(communes_2025[&group[0]]["admissions"], json!(first_halves + own_h2), "{group:?}");
    }
    let as_dated_2024 = figures(&app, &old, json!({ "year": 2024, "boundaries": "PERIOD_END" }), "admissions").await;
    for code in &old {
        assert_eq!(as_dated_2024[code]["admissions"], after_2024[code]["admissions"], "{code}: 2024 on its end");
    }
}

/// `boundaries: PERIOD_END` counts flows on the tree of the period's end; what is kept as dated
/// only says so: the membership balance, classes, training and the funnel are refused with
/// VALIDATION at their field (GraphQL spec, "Handling Execution Errors": the error names the
/// field's path, and null propagates to the nearest nullable parent), and no sign-off takes it.
#[tokio::test]
async fn figures_on_the_boundaries_of_the_period_end_refuse_what_is_counted_as_dated_only() {
    let app = TestApp::new().await;
    generate(&app.db, GenerateOptions { scale: Scale::Small, seed: 17, progress: false }).await.unwrap();
    let query = "query($period: PeriodInput!) { unit(code: \"P01\") { id stats(period: $period) { admissions } } }";
    let period = json!({ "year": 2024, "boundaries": "PERIOD_END" });
    let on_end = app.ok(query, json!({ "period": period })).await;
    assert!(on_end["unit"]["stats"]["admissions"].as_i64().unwrap() > 0);
    let dated = app.ok(query, json!({ "period": { "year": 2024 } })).await;
    assert_eq!(dated["unit"]["stats"]["admissions"], on_end["unit"]["stats"]["admissions"], "no reform in 2024");
    for (field, selection) in [
        ("membershipBalance", "membershipBalance { membersAtEnd }"),
        ("classesHeld", "classesHeld"),
        ("classAttendance", "classAttendance { classes }"),
        ("candidateTraining", "candidateTraining { enrolled }"),
        ("funnel", "funnel { completed }"),
    ] {
        let query = format!(
            "query($period: PeriodInput!) {{ unit(code: \"P01\") {{ stats(period: $period) {{ {selection} }} }} }}"
        );
        let refused = app.error(&query, json!({ "period": period })).await;
        assert_eq!(refused["extensions"]["code"], "VALIDATION", "{refused:#}");
        assert_eq!(refused["path"], json!(["unit", "stats", field]));
        assert!(refused["message"].as_str().unwrap().contains("PERIOD_END"), "{refused:#}");
    }

    let sign_off = "mutation($unit: ID!, $period: PeriodInput!) {
        signOffFigures(input: { unitId: $unit, period: $period }) { signOff { status } } }";
    let unit = dated["unit"]["id"].clone();
    let refused = app.error(sign_off, json!({ "unit": unit, "period": period })).await;
    assert_eq!(refused["extensions"]["code"], "VALIDATION");
    assert!(refused["message"].as_str().unwrap().contains("boundaries"), "{refused:#}");
}

#[tokio::test]
async fn a_refused_line_is_reported_by_number_and_nothing_is_written() {
    let app = TestApp::new().await;
    generate(&app.db, GenerateOptions { scale: Scale::Small, seed: 17, progress: false }).await.unwrap();
    let history = "SELECT (SELECT COUNT(*) FROM unit_events) + (SELECT COUNT(*) FROM audit_log) \
                   + (SELECT COUNT(*) FROM unit_closure)";
    let written = count(&app, history).await;
    // Line 3 dissolves a district that still has its communes (line 2 moved only one of them).
    let plan = format!("{HEADER}MOVE,P01.D01.C001,P01,{ON}\nDISSOLVE,P01.D01,,{ON}\n");
    let Err(ImportError::Invalid(lines)) = apply(&app, &plan).await else { panic!("the plan must be refused") };
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].line, 3);
    assert!(lines[0].message.starts_with("DISSOLVE P01.D01: "), "{}", lines[0].message);
    assert!(lines[0].message.ends_with("(UNIT_NOT_EMPTY)"), "{}", lines[0].message);
    assert_eq!(count(&app, history).await, written, "nothing written, the move of line 2 included");
    let data = app.ok("{ unit(code: \"P01.D01.C001\") { parent { code } } }", json!({})).await;
    assert_eq!(data["unit"]["parent"]["code"], "P01.D01");

    // Malformed lines are all reported before anything is tried.
    let plan = format!("{HEADER}MOVE,P01.D01.C001,P01,{ON}\nMERGE,P01.D01.C002,,{ON}\nSPLIT,P01,,{ON}\n");
    let Err(ImportError::Invalid(lines)) = apply(&app, &plan).await else { panic!("the plan must be refused") };
    let reported: Vec<String> = lines.iter().map(ToString::to_string).collect();
    assert_eq!(
        reported,
        vec![
            "line 3: MOVE and MERGE need a target_code",
            "line 4: unknown operation 'SPLIT' (expected MOVE, MERGE or DISSOLVE)",
        ]
    );
    // A code that names no unit.
    let plan = format!("{HEADER}MOVE,P09.D01.C001,P01,{ON}\n");
    let Err(ImportError::Invalid(lines)) = apply(&app, &plan).await else { panic!("the plan must be refused") };
    assert_eq!(lines[0].to_string(), "line 2: MOVE P09.D01.C001: no unit with code 'P09.D01.C001' (NOT_FOUND)");
    assert_eq!(count(&app, history).await, written);
}
