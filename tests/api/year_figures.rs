//! The figures of a unit's year (`unit_year_figures`) checked against a recount written here
//! independently of the library's SQL: every admission toward each ancestor-or-self of its cell
//! on the decision date, counted by calendar year in Rust, beside each unit's targets of years as
//! the targets table holds them. `rollups.rs` runs the check after every kind of change its
//! scenario makes (targets of years and terms set, changed and cleared among them). Here: a list's
//! rows read a whole year's figures from the table and equal raw counts, and the migration that
//! adds the table fills it from the records already there.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::TestApp;

/// (unit, year) → (admissions, assigned target, resolution target).
pub type YearFigures = BTreeMap<(i64, i32), (i64, Option<i32>, Option<i32>)>;

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

/// The table, whole.
pub async fn year_figure_rows(app: &TestApp) -> YearFigures {
    let sql = "SELECT unit_id, year, admissions, assigned_target, resolution_target FROM unit_year_figures";
    let mut found = YearFigures::new();
    for row in rows(app, sql).await {
        let key = (row.try_get::<i64>("", "unit_id").unwrap(), row.try_get::<i32>("", "year").unwrap());
        let value = (
            row.try_get::<i64>("", "admissions").unwrap(),
            row.try_get::<Option<i32>>("", "assigned_target").unwrap(),
            row.try_get::<Option<i32>>("", "resolution_target").unwrap(),
        );
        assert!(found.insert(key, value).is_none(), "one row per unit and year");
    }
    found
}

/// A full recount: each admission toward every ancestor-or-self of its cell on the decision
/// date, by the decision's year; each target of a year on its unit's row; no row left empty.
pub async fn year_figures_recount(app: &TestApp) -> YearFigures {
    let mut counted = YearFigures::new();
    let admitted = "SELECT c.ancestor_id AS unit_id, a.decision_date AS decided FROM admissions a \
                    JOIN unit_closure c ON c.descendant_id = a.cell_id \
                    AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to";
    for row in rows(app, admitted).await {
        let decided = row.try_get::<NaiveDate>("", "decided").unwrap();
        let key = (row.try_get::<i64>("", "unit_id").unwrap(), decided.year());
        counted.entry(key).or_default().0 += 1;
    }
    let targets = "SELECT unit_id, kind, start_year, end_year, value FROM targets WHERE period_kind = 'YEAR'";
    for row in rows(app, targets).await {
        let year = row.try_get::<i32>("", "start_year").unwrap();
        assert_eq!(row.try_get::<i32>("", "end_year").unwrap(), year, "a year target covers one year");
        let entry = counted.entry((row.try_get::<i64>("", "unit_id").unwrap(), year)).or_default();
        let value = Some(row.try_get::<i32>("", "value").unwrap());
        match row.try_get::<String>("", "kind").unwrap().as_str() {
            "ASSIGNED" => entry.1 = value,
            _ => entry.2 = value,
        }
    }
    counted
}

/// Asserts that the table equals a full recount after `step`.
pub async fn assert_year_figures_exact(app: &TestApp, step: &str) {
    let (kept, recounted) = (year_figure_rows(app).await, year_figures_recount(app).await);
    assert_eq!(kept, recounted, "the figures of each year differ from a recount after {step}");
}

/// The rows of `list` (a connection of units under `unit(code: "QNM")`) for `period`: code →
/// (admissions, assigned, resolution).
async fn list_rows(app: &TestApp, list: &str, period: Value) -> BTreeMap<String, (i64, Option<i64>, Option<i64>)> {
    let query = format!(
        "query($period: PeriodInput!) {{ unit(code: \"QNM\") {{ {list} {{ nodes {{ code
            stats(period: $period) {{ admissions assignedTarget resolutionTarget }} }} }} }} }}"
    );
    let data = app.ok(&query, json!({ "period": period })).await;
    let list_name = list.split('(').next().unwrap();
    data["unit"][list_name]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let stats = &node["stats"];
            let figures = (
                stats["admissions"].as_i64().unwrap(),
                stats["assignedTarget"].as_i64(),
                stats["resolutionTarget"].as_i64(),
            );
            (node["code"].as_str().unwrap().to_owned(), figures)
        })
        .collect()
}

/// A list's rows read a whole year's admissions and its targets from the table (the read ahead
/// of `stats::row_figures`), and they equal the admissions counted from the raw rows and the
/// targets as set — a year with targets and admissions, one with targets cleared, and a quarter
/// and a term, which still read the rollup's months and the targets table.
#[tokio::test]
async fn a_list_s_rows_read_the_year_s_figures_and_equal_raw_counts() {
    let app = TestApp::with_demo().await;
    let year = ketnap::calendar::today_in_vietnam().year() - 1;
    // One district's resolution target cleared: its row keeps the admissions, the target is null.
    let district = app.ok("{ unit(code: \"QNM\") { children(first: 1) { nodes { id code } } } }", json!({})).await;
    let (district_id, district_code) = {
        let node = &district["unit"]["children"]["nodes"][0];
        (node["id"].clone(), node["code"].as_str().unwrap().to_owned())
    };
    let clear = "mutation($input: TargetRefInput!) { clearTarget(input: $input) { target { value } } }";
    app.ok(clear, json!({ "input": { "unitId": district_id, "kind": "RESOLUTION", "year": year } })).await;
    assert_year_figures_exact(&app, "the demo and a cleared target").await;

    let units = rows(&app, "SELECT id, code FROM units").await;
    let id_of: BTreeMap<String, i64> = units
        .iter()
        .map(|row| (row.try_get::<String>("", "code").unwrap(), row.try_get::<i64>("", "id").unwrap()))
        .collect();
    // The demo sets targets for this year and the last; the year before gets some here, so that
    // its admissions meet targets too (one unit's assigned target only).
    let listed = "{ unit(code: \"QNM\") { descendants(first: 100) { nodes { id code level } } } }";
    let listed = app.ok(listed, json!({})).await;
    let mut inputs = Vec::new();
    for (n, node) in listed["unit"]["descendants"]["nodes"].as_array().unwrap().iter().enumerate() {
        if node["level"] == "CELL" {
            continue;
        }
        for kind in if n == 0 { vec!["ASSIGNED"] } else { vec!["ASSIGNED", "RESOLUTION"] } {
            let value = 1 + n as i64 + i64::from(kind == "RESOLUTION");
            inputs.push(json!({ "target": { "unitId": node["id"], "kind": kind, "year": year - 1 }, "value": value }));
        }
    }
    let many = "mutation($inputs: [SetTargetInput!]!) { setTargets(inputs: $inputs) { value } }";
    app.ok(many, json!({ "inputs": inputs })).await;
    assert_year_figures_exact(&app, "setTargets").await;
    let periods = [
        (json!({ "year": year }), format!("{year}-01-01"), format!("{year}-12-31"), year),
        (json!({ "year": year - 1 }), format!("{}-01-01", year - 1), format!("{}-12-31", year - 1), year - 1),
        (json!({ "year": year, "quarter": 2 }), format!("{year}-04-01"), format!("{year}-06-30"), year),
    ];
    let mut compared = 0;
    for (period, from, to, target_year) in &periods {
        for list in ["children(first: 100)", "descendants(first: 100, level: COMMUNE)"] {
            for (code, figures) in list_rows(&app, list, period.clone()).await {
                let unit_id = id_of[&code];
                let mut targets = Vec::new();
                for kind in ["ASSIGNED", "RESOLUTION"] {
                    let sql = format!(
                        "SELECT value FROM targets WHERE unit_id = {unit_id} AND kind = '{kind}' \
                         AND period_kind = 'YEAR' AND start_year = {target_year}"
                    );
                    let found = rows(&app, &sql).await;
                    targets.push(found.first().map(|row| i64::from(row.try_get::<i32>("", "value").unwrap())));
                }
                let admissions = raw_admissions(&app, unit_id, from, to).await;
                assert_eq!(figures, (admissions, targets[0], targets[1]), "{code} {period} in {list}");
                compared += usize::from(admissions > 0 && targets[0].is_some());
                if code == district_code && period["quarter"].is_null() && period["year"] == year {
                    assert_eq!(figures.2, None, "{code}: the cleared resolution target");
                }
            }
        }
    }
    assert!(compared >= 6, "the comparison covers units with admissions and targets ({compared})");
}

/// Admissions decided from `from` to `to` under `unit_id` on each decision date's tree.
async fn raw_admissions(app: &TestApp, unit_id: i64, from: &str, to: &str) -> i64 {
    let day = |text: &str| if app.is_postgres() { format!("DATE '{text}'") } else { format!("'{text}'") };
    let sql = format!(
        "SELECT COUNT(*) AS n FROM admissions a JOIN unit_closure c ON c.descendant_id = a.cell_id \
         AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to \
         WHERE c.ancestor_id = {unit_id} AND a.decision_date >= {} AND a.decision_date <= {}",
        day(from),
        day(to)
    );
    rows(app, &sql).await[0].try_get::<i64>("", "n").unwrap()
}

/// Applying the migration that adds the table to a database that already holds admissions and
/// targets fills it from them: here the demo's, with the table dropped and the migration marked
/// pending again as before an upgrade.
#[tokio::test]
async fn the_migration_that_adds_the_year_figures_fills_them_from_the_records_already_there() {
    let app = TestApp::with_demo().await;
    let kept = year_figure_rows(&app).await;
    let with_both = kept.values().filter(|(admissions, assigned, _)| *admissions > 0 && assigned.is_some()).count();
    assert!(with_both > 10, "the demo's rows are not trivially empty ({with_both} with admissions and a target)");
    assert_year_figures_exact(&app, "the demo loader").await;
    app.upgrade_from_before("unit_year_figures", "m20261214_000022_unit_year_figures").await;
    assert_eq!(year_figure_rows(&app).await, kept, "the upgrade fills the table as the writes kept it");
    if app.is_postgres() {
        // Analysed once filled: a new table's `reltuples` is -1 until ANALYZE (or VACUUM) counts it.
        let sql = "SELECT CAST(reltuples AS BIGINT) AS n FROM pg_class WHERE oid = 'unit_year_figures'::regclass";
        let counted = rows(&app, sql).await[0].try_get::<i64>("", "n").unwrap();
        assert_eq!(counted, kept.len() as i64, "the planner's statistics count the filled rows");
    }
}
