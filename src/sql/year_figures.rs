//! The statements of the maintained summary `unit_year_figures`: per unit and calendar year, the
//! admissions decided in the year under the unit (each toward every ancestor-or-self of its cell
//! on the decision date, the attribution of `unit_month_counts`, whose twelve months of the year
//! it sums) and the unit's own assigned and resolution targets for the year. They are the
//! figures a row of a dashboard's list shows for a year, in one row: a national ranking reads one
//! row per province by its primary key (`stats::row_figures`), where it probed the targets and
//! summed twelve rollup rows.
//!
//! The summary is kept exact in the transaction of every change that moves a figure:
//! - an admission recorded or corrected (`domain::rollup::admission_writes`): ±1 toward the cell's
//!   ancestors on the decision date, after the rollup's own upserts (the order every write locks
//!   the two tables in);
//! - a target of a year set, changed or cleared (`domain::targets`): the unit's row of that year;
//! - a change to the tree, from the change's year on, and bulk loads and `ketnap rebuild-rollups`,
//!   whole (`recount`, from the rollup and the targets, after the rollup's recount).
//!
//! A row whose admissions are zero and whose targets are both unset is deleted, so the table
//! always equals a full recount.

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::batch::Writes;
use super::dialect::{Part, cast_bigint, part};
use super::{enum_value, id_list, statement};
use crate::entity::target::{TargetKind, TargetPeriodKind};
use crate::error::AppResult;

/// The summary's table.
pub const TABLE: &str = "unit_year_figures";

/// The condition keeping a row: something in it is not empty.
const EMPTY: &str = "admissions = 0 AND assigned_target IS NULL AND resolution_target IS NULL";

/// The column holding a unit's target of `kind` for a year.
pub fn target_column(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Assigned => "assigned_target",
        TargetKind::Resolution => "resolution_target",
    }
}

/// Adds to `writes` the upsert that adds `delta` to the admissions of `on`'s year for every
/// ancestor-or-self of `cell` that day (and, for a removal, the cleanup of rows left empty).
pub fn admission_upsert(writes: &mut Writes, cell: i64, on: NaiveDate, delta: i64) {
    let year = on.year();
    // ORDER BY: concurrent admissions lock their shared ancestors' rows in one order (by unit);
    // the WHERE clause keeps SQLite's parser from reading ON CONFLICT as a join constraint.
    writes.upsert(
        TABLE,
        "INSERT INTO unit_year_figures (unit_id, year, admissions) \
         SELECT ancestor_id, ?, ? FROM unit_closure \
         WHERE descendant_id = ? AND valid_from <= ? AND ? < valid_to ORDER BY ancestor_id \
         ON CONFLICT (unit_id, year) DO UPDATE SET admissions = unit_year_figures.admissions + excluded.admissions"
            .to_owned(),
        vec![year.into(), delta.into(), cell.into(), on.into(), on.into()],
    );
    if delta < 0 {
        writes.then(
            format!(
                "DELETE FROM unit_year_figures WHERE year = ? AND {EMPTY} \
                 AND unit_id IN (SELECT ancestor_id FROM unit_closure \
                                 WHERE descendant_id = ? AND valid_from <= ? AND ? < valid_to)"
            ),
            vec![year.into(), cell.into(), on.into(), on.into()],
        );
    }
}

/// Writes a unit's target of `kind` for `year` into its row: `value` as set, or `None` when the
/// target was cleared. Call it in the transaction that writes the target; targets of terms are
/// not kept here.
pub async fn target_written<C: ConnectionTrait>(
    db: &C,
    unit_id: i64,
    kind: TargetKind,
    year: i32,
    value: Option<i32>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let column = target_column(kind);
    let upsert = format!(
        "INSERT INTO unit_year_figures (unit_id, year, admissions, {column}) VALUES (?, ?, 0, ?) \
         ON CONFLICT (unit_id, year) DO UPDATE SET {column} = excluded.{column}"
    );
    db.execute_raw(statement(backend, &upsert, vec![unit_id.into(), year.into(), value.into()])).await?;
    if value.is_none() {
        let cleanup = format!("DELETE FROM unit_year_figures WHERE unit_id = ? AND year = ? AND {EMPTY}");
        db.execute_raw(statement(backend, &cleanup, vec![unit_id.into(), year.into()])).await?;
    }
    Ok(())
}

/// Recounts the rows of `units` (all when none) from the year of `from` on (all when none), from
/// the rollup `unit_month_counts` and the targets as they stand; must run inside a transaction,
/// after the rollup's recount (whose rows it sums, and the order of their locks).
pub async fn recount<C: ConnectionTrait>(db: &C, units: Option<&[i64]>, from: Option<NaiveDate>) -> AppResult<()> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // As the rollup's recount: wait for the upserts under way (admissions' and targets'),
        // hold new ones until this commits.
        db.execute_raw(statement(backend, "LOCK TABLE unit_year_figures IN SHARE ROW EXCLUSIVE MODE", vec![])).await?;
    }
    let mut delete = String::from("DELETE FROM unit_year_figures WHERE 1 = 1");
    let mut delete_values: Vec<Value> = Vec::new();
    let (mut counted, mut counted_values) = (String::new(), Vec::<Value>::new());
    let (mut targeted, mut targeted_values) = (String::new(), Vec::<Value>::new());
    if let Some(units) = units {
        let (list, ids) = id_list(units);
        delete.push_str(&format!(" AND unit_id IN ({list})"));
        counted.push_str(&format!(" AND unit_id IN ({list})"));
        targeted.push_str(&format!(" AND unit_id IN ({list})"));
        delete_values.extend(ids.iter().cloned());
        counted_values.extend(ids.iter().cloned());
        targeted_values.extend(ids);
    }
    if let Some(from) = from {
        let year = from.year();
        delete.push_str(" AND year >= ?");
        delete_values.push(year.into());
        counted.push_str(" AND month >= ?");
        counted_values.push(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(from).into());
        targeted.push_str(" AND start_year >= ?");
        targeted_values.push(year.into());
    }
    db.execute_raw(statement(backend, &delete, delete_values)).await?;
    let insert = format!(
        "INSERT INTO unit_year_figures (unit_id, year, admissions, assigned_target, resolution_target) \
         SELECT unit_id, year, {admissions}, MAX(assigned), MAX(resolution) FROM ( \
           SELECT unit_id, {year} AS year, admissions, NULL AS assigned, NULL AS resolution \
           FROM unit_month_counts WHERE admissions > 0{counted} \
           UNION ALL SELECT unit_id, start_year, 0, CASE WHEN kind = ? THEN value END, \
           CASE WHEN kind = ? THEN value END FROM targets WHERE period_kind = ?{targeted}) t \
         GROUP BY unit_id, year",
        admissions = cast_bigint(backend, "SUM(admissions)"),
        year = part(backend, Part::Year, "month"),
    );
    let mut values = counted_values;
    values.extend([
        enum_value(TargetKind::Assigned),
        enum_value(TargetKind::Resolution),
        enum_value(TargetPeriodKind::Year),
    ]);
    values.extend(targeted_values);
    db.execute_raw(statement(backend, &insert, values)).await?;
    Ok(())
}
