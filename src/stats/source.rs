//! The source pool (nguồn): candidates in it on a day, nominations into it and removals from it
//! in a period.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use crate::error::AppResult;
use crate::sql::dated::{
    Category, Counted, DatedFacts, Tree, Units, Window, count_dated, count_dated_by, dated_select, disclosure_key_of,
    fetch_counts, fetch_keyed_categories,
};
use crate::sql::stocks::{IN_SOURCE, NOMINATED as KEPT_NOMINATED, REMOVED as KEPT_REMOVED, REMOVED_KEYS};
use crate::stats::disclosure::Keys;
use crate::stats::stocks::{self, Split};

/// Nominations into the source, on their date.
pub const NOMINATED: DatedFacts<'static> =
    DatedFacts { source: "nominations n", cell: "n.cell_id", date: "n.nominated_on", condition: None, key: None };

/// Removals from the source, on their date.
pub const REMOVED: DatedFacts<'static> =
    DatedFacts { source: "nominations n", cell: "n.cell_id", date: "n.removed_on", condition: None, key: None };

/// Candidates in the source on `day` under each unit: nominated by then, not removed by then
/// (`removed_on` after the day or none), and not admitted by then (no admission of the person
/// decided on or before the day). Counted toward the ancestors the nomination's cell had that day;
/// a province's count is read from its stock summary (`stats::stocks`), any other unit's live.
pub async fn in_source<C: ConnectionTrait>(db: &C, units: &[i64], day: NaiveDate) -> AppResult<HashMap<i64, i64>> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let (sql, values) = Split::of(db, units).await?.select(
        |kept| {
            let (sql, values) = stocks::on_day_select(backend, IN_SOURCE, kept, day);
            (format!("SELECT unit_id, n FROM ({sql}) kept"), values)
        },
        |live| in_source_select(&Units::Ids(live), day),
    );
    fetch_counts(db, &sql, values).await
}

/// The statement of `in_source`, selecting `unit_id, n`.
pub fn in_source_select(units: &Units<'_>, day: NaiveDate) -> (String, Vec<Value>) {
    let (list, mut values) = units.clause();
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, COUNT(*) AS n \
         FROM unit_closure c JOIN nominations n ON n.cell_id = c.descendant_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level = 'CELL' AND c.valid_from <= ? AND ? < c.valid_to \
         AND n.nominated_on <= ? AND (n.removed_on IS NULL OR n.removed_on > ?) \
         AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.person_id = n.person_id AND a.decision_date <= ?) \
         GROUP BY 1"
    );
    values.extend(std::iter::repeat_n(Value::from(day), 5));
    (sql, values)
}

/// Nominations into the source dated in the period, toward the cell's ancestors on that date.
pub async fn nominated<C: ConnectionTrait>(db: &C, windows: &[Window]) -> AppResult<HashMap<i64, i64>> {
    count_dated(db, NOMINATED, windows).await
}

/// `nominated` for units sharing the days `from` to `to`, counted on each nomination's date: a
/// province's from its stock summary (the changes of those days), any other unit's live.
pub async fn nominated_between<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i64, i64>> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let (sql, values) = Split::of(db, units).await?.select(
        |kept| stocks::changes_between_select(backend, KEPT_NOMINATED, kept, (from, to)),
        |live| {
            let counted = Counted::Shared { units: Units::Ids(live), from, to, tree: Tree::OnFactDate };
            dated_select(&NOMINATED, &counted, None)
        },
    );
    fetch_counts(db, &sql, values).await
}

/// Removals from the source dated in the period, by reason, toward the cell's ancestors on the
/// removal date. When every unit counts the same days on each removal's date, a province's are
/// read from its stock summary (the changes of those days, with the people's keys) and any other
/// unit's counted live, in one statement; units with days of their own are counted live.
pub async fn removals_by_reason<C: ConnectionTrait>(
    db: &C,
    windows: &[Window],
    keys: Keys,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let key = disclosure_key_of("n.person_id");
    let key = (keys == Keys::Summed).then_some(key.as_str());
    let facts = DatedFacts { key, ..REMOVED };
    let Some((units, from, to)) = on_fact_dates(windows) else {
        return count_dated_by(db, facts, windows, REMOVAL_REASON).await;
    };
    let backend = db.get_database_backend();
    let (sql, values) = Split::of(db, &units).await?.select(
        |kept| {
            let figures = [("k", REMOVED_KEYS), ("n", KEPT_REMOVED)];
            stocks::changes_by_category_between_select(backend, "category", &figures, kept, (from, to))
        },
        |live| {
            let counted = Counted::Shared { units: Units::Ids(live), from, to, tree: Tree::OnFactDate };
            dated_select(&facts, &counted, Some(REMOVAL_REASON))
        },
    );
    fetch_keyed_categories(db, &sql, values).await
}

/// What removals are broken down by.
const REMOVAL_REASON: &str = "n.removal_reason";

/// The units of `windows` and their shared days, when every window counts the same days on each
/// fact's date.
fn on_fact_dates(windows: &[Window]) -> Option<(Vec<i64>, NaiveDate, NaiveDate)> {
    let first = windows.first()?;
    let shared = windows.iter().all(|w| (w.from, w.to, w.tree) == (first.from, first.to, Tree::OnFactDate));
    shared.then(|| (windows.iter().map(|w| w.unit_id).collect(), first.from, first.to))
}
