//! A province's removals from the source by reason and its classes with their attendance are
//! read from its stock rows (`sql::stocks::REMOVED`, `CLASSES`…) for any days, and equal the same
//! figures counted here from the raw rows by SQL written independently of the library's:
//! removals toward the units above the nomination's cell on the removal date, classes toward the
//! units above the organiser on the class's first day. `stock_summaries.rs` checks the rows
//! themselves after every kind of change `rollups.rs` makes.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::TestApp;

const FLOW_FIELDS: &str = "period { start countedUntil } removedFromSource removedByReason { category count } \
    classesHeld classAttendance { kind classes attendees completions }";

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

fn day_literal(app: &TestApp, day: &str) -> String {
    if app.is_postgres() { format!("DATE '{day}'") } else { format!("'{day}'") }
}

/// The removals asked alone: classes are counted as dated only (not `boundaries: PERIOD_END`).
const REMOVAL_FIELDS: &str = "removedFromSource removedByReason { category count }";

async fn flows(app: &TestApp, code: &str, period: &Value) -> Value {
    asked(app, code, period, FLOW_FIELDS).await
}

async fn asked(app: &TestApp, code: &str, period: &Value, fields: &str) -> Value {
    let query = format!(
        "query($code: String!, $period: PeriodInput!) {{ unit(code: $code) {{ stats(period: $period) {{ {fields} }} }} }}"
    );
    app.ok(&query, json!({ "code": code, "period": period })).await["unit"]["stats"].clone()
}

/// Removals by reason and (classes, attendees, completions) by kind, zeros left out.
type Figures = (BTreeMap<String, i64>, BTreeMap<String, (i64, i64, i64)>);

/// What the API shows, as `Figures`.
fn shown(stats: &Value) -> Figures {
    let removals = stats["removedByReason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["category"].as_str().unwrap().to_owned(), row["count"].as_i64().unwrap()))
        .collect();
    let classes = stats["classAttendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let n = |field: &str| row[field].as_i64().unwrap();
            (row["kind"].as_str().unwrap().to_owned(), (n("classes"), n("attendees"), n("completions")))
        })
        .filter(|(_, figures)| *figures != (0, 0, 0))
        .collect();
    (removals, classes)
}

/// The figures of `unit` over the days `from` to `to`, counted from the raw rows.
async fn raw(app: &TestApp, unit: i64, from: &str, to: &str) -> Figures {
    let (from, to) = (day_literal(app, from), day_literal(app, to));
    let removals = format!(
        "SELECT n.removal_reason AS category, COUNT(*) AS n FROM nominations n \
         JOIN unit_closure c ON c.descendant_id = n.cell_id AND c.valid_from <= n.removed_on AND n.removed_on < c.valid_to \
         WHERE c.ancestor_id = {unit} AND n.removed_on >= {from} AND n.removed_on <= {to} GROUP BY n.removal_reason"
    );
    let removals = rows(app, &removals)
        .await
        .iter()
        .map(|row| (row.try_get::<String>("", "category").unwrap(), row.try_get::<i64>("", "n").unwrap()))
        .collect();
    let classes = format!(
        "SELECT cl.kind, cl.id, (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = cl.id \
           AND e.result IN ('ATTENDED', 'COMPLETED')) AS attendees, \
         (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = cl.id AND e.result = 'COMPLETED') AS completions \
         FROM classes cl JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         WHERE c.ancestor_id = {unit} AND cl.starts_on >= {from} AND cl.starts_on <= {to}"
    );
    let mut tallies: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for row in rows(app, &classes).await {
        let tally = tallies.entry(row.try_get::<String>("", "kind").unwrap()).or_default();
        tally.0 += 1;
        tally.1 += row.try_get::<i64>("", "attendees").unwrap();
        tally.2 += row.try_get::<i64>("", "completions").unwrap();
    }
    (removals, tallies)
}

/// The years in which the demo (dated relative to today) removed someone or started a class.
async fn years_with_flows(app: &TestApp) -> Vec<i32> {
    let sql =
        "SELECT removed_on AS d FROM nominations WHERE removed_on IS NOT NULL UNION SELECT starts_on FROM classes";
    let mut years: Vec<i32> =
        rows(app, sql).await.iter().map(|row| row.try_get::<NaiveDate>("", "d").unwrap().year()).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Every province of the demo, over whole years, years so far, a quarter and ranges starting and
/// ending mid-month: the figures read from its stock rows equal the raw count of the same days.
#[tokio::test]
async fn a_provinces_removals_and_classes_come_from_its_stock_rows_and_equal_a_raw_count() {
    let app = TestApp::with_demo().await;
    let provinces = rows(&app, "SELECT id, code FROM units WHERE level = 'PROVINCE'").await;
    let years = years_with_flows(&app).await;
    assert!(!years.is_empty(), "the demo removes candidates and holds classes");
    let (mut removals_seen, mut classes_seen) = (0, 0);
    for province in &provinces {
        let (id, code) = (province.try_get::<i64>("", "id").unwrap(), province.try_get::<String>("", "code").unwrap());
        for year in &years {
            let periods = [
                json!({ "year": year }),
                json!({ "year": year, "quarter": 2 }),
                json!({ "from": format!("{year}-02-13"), "to": format!("{year}-11-07") }),
                json!({ "from": format!("{year}-07-31"), "to": format!("{}-01-01", year + 1) }),
            ];
            for period in periods {
                let stats = flows(&app, &code, &period).await;
                if stats["period"]["countedUntil"].is_null() {
                    continue; // not started yet
                }
                let (from, to) =
                    (stats["period"]["start"].as_str().unwrap(), stats["period"]["countedUntil"].as_str().unwrap());
                let expected = raw(&app, id, from, to).await;
                assert_eq!(shown(&stats), expected, "{code} {period}");
                removals_seen += expected.0.values().sum::<i64>();
                classes_seen += expected.1.values().map(|tally| tally.0).sum::<i64>();
            }
        }
    }
    assert!(
        removals_seen > 0 && classes_seen > 0,
        "the comparison covers real figures ({removals_seen}, {classes_seen})"
    );
}

/// An edit of the stock rows reaches a province's figures (they are read from the rows) and not
/// a period counted on the boundaries of its end, whose removals are counted live.
#[tokio::test]
async fn an_edit_of_the_stock_rows_shows_in_a_provinces_removals_and_classes() {
    let app = TestApp::with_demo().await;
    let n = |stats: &Value, field: &str| stats[field].as_i64().unwrap();
    for (figure, field) in [("CLASSES", "classesHeld"), ("REMOVED", "removedFromSource")] {
        let latest = format!(
            "SELECT u.id, u.code, d.day, d.category FROM unit_stock_days d JOIN units u ON u.id = d.unit_id \
             WHERE d.figure = '{figure}' ORDER BY d.day DESC"
        );
        let found = rows(&app, &latest).await;
        let row = found.first().unwrap_or_else(|| panic!("a province keeps {figure} rows"));
        let (id, code) = (row.try_get::<i64>("", "id").unwrap(), row.try_get::<String>("", "code").unwrap());
        let day = row.try_get::<NaiveDate>("", "day").unwrap();
        let category = row.try_get::<String>("", "category").unwrap();
        let period = json!({ "year": day.year() });
        let on_end = json!({ "year": day.year(), "boundaries": "PERIOD_END" });
        let before = flows(&app, &code, &period).await;
        let before_on_end = asked(&app, &code, &on_end, REMOVAL_FIELDS).await;
        // The day row and its month's row, as a write would change them (a year reads the months).
        let month = day.with_day(1).unwrap();
        for (table, column, on) in [("unit_stock_days", "day", day), ("unit_stock_months", "month", month)] {
            let edit = format!(
                "UPDATE {table} SET delta = delta + 1000 WHERE unit_id = {id} AND figure = '{figure}' \
                 AND {column} = {} AND category = '{category}'",
                day_literal(&app, &on.to_string())
            );
            app.db.execute_unprepared(&edit).await.unwrap();
        }
        // A change made behind the server's back: its read cache is told as a restore would tell it.
        app.cache.changed(&ketnap::cache::Footprint::Everything);
        let after = flows(&app, &code, &period).await;
        assert_eq!(n(&after, field), n(&before, field) + 1000, "{field} is read from the rows: {after:#}");
        let after_on_end = asked(&app, &code, &on_end, REMOVAL_FIELDS).await;
        assert_eq!(after_on_end, before_on_end, "removals on the end's tree are counted live");
    }
}
