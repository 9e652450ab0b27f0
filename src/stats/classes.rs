//! Classes (lớp bồi dưỡng) held in a period: per kind, how many started, how many attended and
//! how many completed, counted toward the organiser's ancestors on the class's first day — a
//! province's from its stock summary, any other unit's live.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Iterable, Value};

use crate::domain::period::Period;
use crate::entity::class::ClassKind;
use crate::error::AppResult;
use crate::sql::stocks::{ATTENDEES, CLASSES, COMPLETIONS};
use crate::sql::{id_list, statement};
use crate::stats::stocks::{self, Split};

/// One kind of class in one unit's subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassTally {
    pub kind: ClassKind,
    /// Classes starting in the period.
    pub classes: i64,
    /// Enrolments in them with the result ATTENDED or COMPLETED (a person in two classes counts twice).
    pub attendees: i64,
    /// Enrolments in them with the result COMPLETED.
    pub completions: i64,
}

#[derive(FromQueryResult)]
struct Row {
    unit_id: i64,
    kind: ClassKind,
    classes: i64,
    attendees: i64,
    completions: i64,
}

/// Classes starting in the period, organised by units in each unit's subtree (the organiser's
/// ancestry on the start date), by kind; every kind is listed, in vocabulary order, zeros included.
/// A province's are read from its stock summary (`sql::stocks::CLASSES`, `ATTENDEES`,
/// `COMPLETIONS`: the changes of the period's days), any other unit's counted live, in one
/// statement.
pub async fn tally<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, Vec<ClassTally>>> {
    if units.is_empty() || period.not_started() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let days = (period.start, period.counted_end());
    let (sql, values) = Split::of(db, units).await?.select(
        |kept| {
            let figures = [("classes", CLASSES), ("attendees", ATTENDEES), ("completions", COMPLETIONS)];
            stocks::changes_by_category_between_select(backend, "kind", &figures, kept, days)
        },
        |live| {
            let select = "SELECT c.ancestor_id AS unit_id, cl.kind AS kind, COUNT(DISTINCT cl.id) AS classes, \
                 COALESCE(SUM(CASE WHEN e.result IN ('ATTENDED', 'COMPLETED') THEN 1 ELSE 0 END), 0) AS attendees, \
                 COALESCE(SUM(CASE WHEN e.result = 'COMPLETED' THEN 1 ELSE 0 END), 0) AS completions \
                 FROM classes cl \
                 JOIN unit_closure c ON c.descendant_id = cl.organiser_unit_id \
                 AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to \
                 LEFT JOIN enrolments e ON e.class_id = cl.id";
            in_period_select(select, live, days)
        },
    );
    let rows = Row::find_by_statement(statement(backend, &sql, values)).all(db).await?;
    let tally = |kind, row: Option<&Row>| ClassTally {
        kind,
        classes: row.map_or(0, |row| row.classes),
        attendees: row.map_or(0, |row| row.attendees),
        completions: row.map_or(0, |row| row.completions),
    };
    Ok(every_kind(units, rows, |row: &Row| (row.unit_id, row.kind), tally))
}

/// The one frame of the organiser's view and the candidates' (`training`): `select` (up to its
/// `WHERE`) reads a row per unit and kind over classes `cl` and closure rows `c`, each class
/// joined to the units above the cell it counts toward as they stood on its first day; this
/// keeps the classes starting in `period` counted toward `units`, and gives per unit a tally for
/// every kind of class in vocabulary order, made by `tally` from the unit's row of that kind or
/// from none (zeros).
pub(super) async fn by_kind<C, R, T>(
    db: &C,
    select: &str,
    units: &[i64],
    period: &Period,
    key: impl Fn(&R) -> (i64, ClassKind),
    tally: impl Fn(ClassKind, Option<&R>) -> T,
) -> AppResult<HashMap<i64, Vec<T>>>
where
    C: ConnectionTrait,
    R: FromQueryResult,
{
    if units.is_empty() || period.not_started() {
        return Ok(HashMap::new());
    }
    let (sql, values) = in_period_select(select, units, (period.start, period.counted_end()));
    let rows = R::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(every_kind(units, rows, key, tally))
}

/// `select` (up to its `WHERE`) kept to the classes starting from `from` to `to` counted toward
/// `units`, a row per unit and kind.
fn in_period_select(select: &str, units: &[i64], (from, to): (NaiveDate, NaiveDate)) -> (String, Vec<Value>) {
    let (list, mut values) = id_list(units);
    let sql =
        format!("{select} WHERE c.ancestor_id IN ({list}) AND cl.starts_on >= ? AND cl.starts_on <= ? GROUP BY 1, 2");
    values.extend([from.into(), to.into()]);
    (sql, values)
}

/// Per unit, a tally for every kind of class in vocabulary order, made by `tally` from the
/// unit's row of that kind (`key` names a row's unit and kind) or from none (zeros).
fn every_kind<R, T>(
    units: &[i64],
    rows: Vec<R>,
    key: impl Fn(&R) -> (i64, ClassKind),
    tally: impl Fn(ClassKind, Option<&R>) -> T,
) -> HashMap<i64, Vec<T>> {
    let found: HashMap<(i64, ClassKind), R> = rows.into_iter().map(|row| (key(&row), row)).collect();
    units
        .iter()
        .map(|&unit| (unit, ClassKind::iter().map(|kind| tally(kind, found.get(&(unit, kind)))).collect()))
        .collect()
}
