//! The provinces' stock summaries (`unit_stock_days`, `unit_stock_months`) checked against live
//! counts, by SQL written here independently of the library's: on every day a stock can change
//! (each date the base rows hold) and the day before it, the rows summed up to that day equal
//! the members by standing, the candidates in the source, the nominations and the removals by
//! reason so far (with the removed people's disclosure keys), the classes so far with their
//! attendance and completions, and the units by level counted from the stints, members,
//! nominations, admissions, classes, enrolments, units and the dated closure;
//! and each month row is the sum of its days. `rollups.rs` runs the check after every kind of
//! change its scenario makes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement};

use crate::common::TestApp;

/// (province, figure, category) → the stock.
type Stocks = BTreeMap<(i64, String, String), i64>;

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

fn day_literal(app: &TestApp, day: NaiveDate) -> String {
    if app.is_postgres() { format!("DATE '{day}'") } else { format!("'{day}'") }
}

async fn stocks(app: &TestApp, sql: &str) -> Stocks {
    let mut found = Stocks::new();
    for row in rows(app, sql).await {
        let n = row.try_get::<i64>("", "n").unwrap();
        if n != 0 {
            let key = (
                row.try_get::<i64>("", "unit_id").unwrap(),
                row.try_get::<String>("", "figure").unwrap(),
                row.try_get::<String>("", "category").unwrap(),
            );
            found.insert(key, n);
        }
    }
    found
}

/// The provinces' stocks on `day`, counted live from the base rows.
async fn live(app: &TestApp, day: NaiveDate) -> Stocks {
    let d = day_literal(app, day);
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, 'MEMBERS' AS figure, \
         CASE WHEN m.official_since <= {d} THEN 'OFFICIAL' ELSE 'PROBATIONARY' END AS category, COUNT(*) AS n \
         FROM member_stints s JOIN members m ON m.id = s.member_id \
         JOIN unit_closure c ON c.descendant_id = s.cell_id AND c.valid_from <= {d} AND {d} < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' \
         WHERE s.valid_from <= {d} AND {d} < s.valid_to AND (m.ended_on IS NULL OR {d} < m.ended_on) \
         GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'IN_SOURCE', '', COUNT(*) FROM nominations n \
         JOIN unit_closure c ON c.descendant_id = n.cell_id AND c.valid_from <= {d} AND {d} < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' \
         WHERE n.nominated_on <= {d} AND (n.removed_on IS NULL OR {d} < n.removed_on) \
         AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.person_id = n.person_id AND a.decision_date <= {d}) \
         GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'NOMINATED', '', COUNT(*) FROM nominations n \
         JOIN unit_closure c ON c.descendant_id = n.cell_id \
         AND c.valid_from <= n.nominated_on AND n.nominated_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' WHERE n.nominated_on <= {d} GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'REMOVED', COALESCE(n.removal_reason, ''), COUNT(*) FROM nominations n \
         JOIN unit_closure c ON c.descendant_id = n.cell_id AND c.valid_from <= n.removed_on AND n.removed_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' WHERE n.removed_on <= {d} GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'REMOVED_KEYS', COALESCE(n.removal_reason, ''), SUM(pe.disclosure_key) FROM nominations n \
         JOIN persons pe ON pe.id = n.person_id \
         JOIN unit_closure c ON c.descendant_id = n.cell_id AND c.valid_from <= n.removed_on AND n.removed_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' WHERE n.removed_on <= {d} GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'CLASSES', cl.kind, COUNT(*) FROM classes cl \
         JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' WHERE cl.starts_on <= {d} GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'ATTENDEES', cl.kind, COUNT(*) FROM enrolments e JOIN classes cl ON cl.id = e.class_id \
         JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' \
         WHERE cl.starts_on <= {d} AND e.result IN ('ATTENDED', 'COMPLETED') GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'COMPLETIONS', cl.kind, COUNT(*) FROM enrolments e JOIN classes cl ON cl.id = e.class_id \
         JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
         JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' \
         WHERE cl.starts_on <= {d} AND e.result = 'COMPLETED' GROUP BY 1, 2, 3 \
         UNION ALL \
         SELECT c.ancestor_id, 'UNITS', c.descendant_level, COUNT(*) FROM unit_closure c \
         JOIN units u ON u.id = c.descendant_id JOIN units p ON p.id = c.ancestor_id AND p.level = 'PROVINCE' \
         WHERE c.descendant_level <> 'PROVINCE' AND c.valid_from <= {d} AND {d} < c.valid_to \
         AND u.established_on <= {d} AND (u.dissolved_on IS NULL OR {d} < u.dissolved_on) \
         GROUP BY 1, 2, 3"
    );
    stocks(app, &sql).await
}

/// The provinces' stocks on `day`, summed from the kept day rows.
async fn kept(app: &TestApp, day: NaiveDate) -> Stocks {
    let d = day_literal(app, day);
    let sum = if app.is_postgres() { "CAST(SUM(delta) AS BIGINT)" } else { "SUM(delta)" };
    let sql =
        format!("SELECT unit_id, figure, category, {sum} AS n FROM unit_stock_days WHERE day <= {d} GROUP BY 1, 2, 3");
    stocks(app, &sql).await
}

/// Every date the base rows hold, and the day before each: the stocks change on no other day.
async fn days_that_matter(app: &TestApp) -> BTreeSet<NaiveDate> {
    let sql = "SELECT valid_from AS d FROM member_stints UNION SELECT valid_to FROM member_stints \
               UNION SELECT official_since FROM members UNION SELECT ended_on FROM members \
               UNION SELECT nominated_on FROM nominations UNION SELECT removed_on FROM nominations \
               UNION SELECT decision_date FROM admissions UNION SELECT starts_on FROM classes \
               UNION SELECT valid_from FROM unit_closure UNION SELECT valid_to FROM unit_closure \
               UNION SELECT established_on FROM units UNION SELECT dissolved_on FROM units";
    let mut days = BTreeSet::new();
    for row in rows(app, sql).await {
        if let Ok(Some(day)) = row.try_get::<Option<NaiveDate>>("", "d")
            && day.format("%Y").to_string() != "9999"
        {
            days.insert(day);
            days.extend(day.pred_opt());
        }
    }
    days
}

/// Asserts that the month rows are the sums of their days' rows.
async fn assert_months_sum_their_days(app: &TestApp, step: &str) {
    let month = |column: &str| {
        if app.is_postgres() { format!("to_char({column}, 'YYYY-MM')") } else { format!("strftime('%Y-%m', {column})") }
    };
    let sum = if app.is_postgres() { "CAST(SUM(delta) AS BIGINT)" } else { "SUM(delta)" };
    let read = |table: &str, column: &str| {
        format!(
            "SELECT unit_id, figure || ' ' || {} AS figure, category, {sum} AS n FROM {table} GROUP BY 1, 2, 3",
            month(column)
        )
    };
    let months = stocks(app, &read("unit_stock_months", "month")).await;
    let days = stocks(app, &read("unit_stock_days", "day")).await;
    assert_eq!(months, days, "the month rows are not the sums of their days after {step}");
}

/// Both stock tables, whole (rows whose change is zero left out).
pub async fn stock_rows(app: &TestApp) -> BTreeSet<(String, i64, String, String, String, i64)> {
    let mut found = BTreeSet::new();
    for (table, column) in [("unit_stock_days", "day"), ("unit_stock_months", "month")] {
        let sql = format!("SELECT unit_id, figure, category, {column} AS d, delta FROM {table} WHERE delta <> 0");
        for row in rows(app, &sql).await {
            found.insert((
                table.to_owned(),
                row.try_get::<i64>("", "unit_id").unwrap(),
                row.try_get::<String>("", "figure").unwrap(),
                row.try_get::<String>("", "category").unwrap(),
                row.try_get::<NaiveDate>("", "d").unwrap().to_string(),
                row.try_get::<i64>("", "delta").unwrap(),
            ));
        }
    }
    found
}

/// Asserts that the kept stocks equal live counts on every day that matters, after `step`.
pub async fn assert_stocks_exact(app: &TestApp, step: &str) {
    assert_months_sum_their_days(app, step).await;
    for day in days_that_matter(app).await {
        let (kept, live) = (kept(app, day).await, live(app, day).await);
        assert_eq!(kept, live, "the stock summaries differ from a live count on {day} after {step}");
    }
}

/// Applying the migration that adds the tables to a database that already holds memberships,
/// nominations and units fills them from those rows: here the demo's data, with the tables
/// dropped and the migration marked pending again as before an upgrade.
#[tokio::test]
async fn the_migration_that_adds_the_summaries_fills_them_from_the_rows_already_there() {
    let app = TestApp::with_demo().await;
    let kept = stock_rows(&app).await;
    assert!(kept.len() > 10, "the demo's stocks are not trivially empty");
    for sql in [
        "DROP TABLE unit_stock_days",
        "DROP TABLE unit_stock_months",
        "DELETE FROM seaql_migrations WHERE version = 'm20261209_000016_unit_stocks'",
    ] {
        app.db.execute_unprepared(sql).await.unwrap();
    }
    ketnap::db::migrate(&app.db).await.unwrap();
    assert_eq!(stock_rows(&app).await, kept, "the upgrade fills the summaries as the writes kept them");
    assert_stocks_exact(&app, "the upgrade").await;
}

/// Applying the migration that adds removals and classes to the summaries recounts them: here the
/// demo's data, with those rows deleted and the migration marked pending again as before an
/// upgrade.
#[tokio::test]
async fn the_migration_that_adds_removals_and_classes_recounts_the_summaries() {
    let app = TestApp::with_demo().await;
    let kept = stock_rows(&app).await;
    let figures = ["REMOVED", "REMOVED_KEYS", "CLASSES", "ATTENDEES", "COMPLETIONS"];
    for figure in figures {
        assert!(kept.iter().any(|row| row.2 == figure), "the demo keeps {figure} rows");
    }
    let listed = figures.map(|figure| format!("'{figure}'")).join(", ");
    for sql in [
        format!("DELETE FROM unit_stock_days WHERE figure IN ({listed})"),
        format!("DELETE FROM unit_stock_months WHERE figure IN ({listed})"),
        "DELETE FROM seaql_migrations WHERE version = 'm20261212_000019_stock_flows'".to_owned(),
    ] {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    ketnap::db::migrate(&app.db).await.unwrap();
    assert_eq!(stock_rows(&app).await, kept, "the upgrade recounts the summaries as the writes kept them");
}
