//! The write side of the rollup `unit_month_counts`: admissions, recognitions and names deleted
//! per unit and calendar month, each fact counted toward every unit that was an ancestor-or-self
//! of its cell on the fact's own date — the same attribution the live figures make through the dated closure, so
//! a year of a province is a sum of at most 12 rows (a national ranking reads 63 × 12 rows instead
//! of grouping every admission of the country).
//!
//! The table is kept exact in the same transaction as every change that affects it:
//! - a single admission, recognition or name deletion (or a correction of one) adds and removes its
//!   own contributions with ±1 upserts (`admission_changed`);
//! - a change to the tree (a move, a merge) recounts the units whose ancestry changed, from the
//!   month of the change's effective date on (`recount_from`): history is append-only, so nothing
//!   dated before that day changes its attribution;
//! - bulk loads, and the `ketnap rebuild-rollups` maintenance command, recount everything
//!   (`rebuild_all`).
//!
//! Its companions follow the same changes here: `unit_year_figures` (a unit's year of admissions
//! beside its targets for the year, `sql::year_figures`) an admission's ±1 toward its decision's
//! year, and `unit_month_profiles` (admissions by the categories of the admitted people's
//! profiles, `sql::profiles`) its ±1 per dimension, both in `admission_writes`; their recounts
//! run beside this table's, after it.
//!
//! A row whose three counts are all zero is deleted, so the table always equals a full recount.
//! This is work done inside the domain's transactions, so it sits beside the domain; the reads
//! (`stats::rollups::sum` and `series`) answer the figures of whole months.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, TransactionSession, TransactionTrait, Value};

use crate::entity::admission::{self, AdmissionOutcome};
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::batch::Writes;
use crate::sql::dialect::{cast_bigint, month_start};
use crate::sql::{id_list, statement};
use crate::sql::{profiles, year_figures};

/// A count the rollup keeps per unit and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counted {
    /// Admission decisions, by the decision date.
    Admissions,
    /// Recognitions as official members, by the recognition decision date.
    Recognitions,
    /// Names deleted (not recognised), by that decision's date.
    NamesDeleted,
}

impl Counted {
    /// The column of `unit_month_counts` holding the count.
    pub fn column(self) -> &'static str {
        match self {
            Counted::Admissions => "admissions",
            Counted::Recognitions => "recognitions",
            Counted::NamesDeleted => "names_deleted",
        }
    }
}

/// The first day of `date`'s month: the key of its rollup rows.
pub fn month_of(date: NaiveDate) -> NaiveDate {
    crate::calendar::month_start(date)
}

/// The facts an admission row contributes to the rollup: (what, cell, date).
fn contributions(admission: &admission::Model) -> Vec<(Counted, i64, NaiveDate)> {
    let mut facts = vec![(Counted::Admissions, admission.cell_id, admission.decision_date)];
    let outcome = match admission.outcome {
        AdmissionOutcome::Recognised => Some(Counted::Recognitions),
        AdmissionOutcome::NotRecognised => Some(Counted::NamesDeleted),
        AdmissionOutcome::Probationary => None,
    };
    if let (Some(counted), Some(on)) = (outcome, admission.outcome_decision_date) {
        facts.push((counted, admission.cell_id, on));
    }
    facts
}

/// Brings the rollup in step with an admission that was recorded (`before` none), changed, or
/// removed (`after` none): the contributions `before` had and `after` lacks are taken away, the
/// new ones added, each toward the cell's ancestors on the fact's date. Call it in the
/// transaction that writes the admission.
pub async fn admission_changed<C: ConnectionTrait>(
    db: &C,
    before: Option<&admission::Model>,
    after: Option<&admission::Model>,
) -> AppResult<()> {
    admission_writes(db.get_database_backend(), before, after).run(db).await
}

/// The upserts `admission_changed` makes, for a write that sends them with its other shared
/// rows (`sql::batch`): the rollup's, then the year's figures' (`sql::year_figures`), then the
/// summary by profile's (`sql::profiles`), the order every write locks them in.
pub fn admission_writes(
    backend: DbBackend,
    before: Option<&admission::Model>,
    after: Option<&admission::Model>,
) -> Writes {
    let old = before.map(contributions).unwrap_or_default();
    let new = after.map(contributions).unwrap_or_default();
    let mut writes = Writes::default();
    for fact in old.iter().filter(|fact| !new.contains(fact)) {
        bump(&mut writes, *fact, -1);
    }
    for fact in new.iter().filter(|fact| !old.contains(fact)) {
        bump(&mut writes, *fact, 1);
    }
    // The year's figures after every month's: the order every write locks the two tables in.
    let decided = |admission: &admission::Model| (admission.cell_id, admission.decision_date);
    let (was, is) = (before.map(decided), after.map(decided));
    if was != is {
        for (decision, delta) in [(was, -1), (is, 1)] {
            if let Some((cell, on)) = decision {
                year_figures::admission_upsert(&mut writes, cell, on, delta);
            }
        }
    }
    let (old, new) = (before.map(profiled), after.map(profiled));
    if old != new {
        for (admitted, delta) in [(old, -1), (new, 1)] {
            if let Some(admitted) = admitted {
                writes.extend(profiles::upserts(backend, &admitted, delta));
            }
        }
    }
    writes
}

/// An admission's part in the summary by profile.
pub fn profiled(admission: &admission::Model) -> profiles::Admitted {
    profiles::Admitted {
        cell_id: admission.cell_id,
        decided_on: admission.decision_date,
        person_id: admission.person_id,
        nomination_id: admission.nomination_id,
    }
}

/// Adds `delta` to one count of the month of `on` for every ancestor-or-self of `cell` that day.
fn bump(writes: &mut Writes, (counted, cell, on): (Counted, i64, NaiveDate), delta: i64) {
    let month = month_of(on);
    let deltas: Vec<Value> = [Counted::Admissions, Counted::Recognitions, Counted::NamesDeleted]
        .into_iter()
        .map(|c| Value::from(if c == counted { delta } else { 0 }))
        .collect();
    let mut values = vec![Value::from(month)];
    values.extend(deltas);
    values.extend([cell.into(), on.into(), on.into()]);
    // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join constraint.
    // ORDER BY: concurrent admissions lock their shared ancestors' rows in one order (by unit),
    // else two of them can each hold a row the other waits for (PostgreSQL: deadlock detected).
    writes.upsert(
        "unit_month_counts",
        "INSERT INTO unit_month_counts (unit_id, month, admissions, recognitions, names_deleted) \
         SELECT ancestor_id, ?, ?, ?, ? FROM unit_closure \
         WHERE descendant_id = ? AND valid_from <= ? AND ? < valid_to ORDER BY ancestor_id \
         ON CONFLICT (unit_id, month) DO UPDATE SET \
         admissions = unit_month_counts.admissions + excluded.admissions, \
         recognitions = unit_month_counts.recognitions + excluded.recognitions, \
         names_deleted = unit_month_counts.names_deleted + excluded.names_deleted"
            .to_owned(),
        values,
    );
    if delta < 0 {
        writes.then(
            "DELETE FROM unit_month_counts WHERE month = ? \
             AND admissions = 0 AND recognitions = 0 AND names_deleted = 0 \
             AND unit_id IN (SELECT ancestor_id FROM unit_closure \
                             WHERE descendant_id = ? AND valid_from <= ? AND ? < valid_to)"
                .to_owned(),
            vec![month.into(), cell.into(), on.into(), on.into()],
        );
    }
}

/// Recounts the rollup rows of `units` from the month of `from` on, from the admissions as they
/// stand: what a change to the tree effective on `from` calls (with the units whose ancestry it
/// changed), in the change's transaction.
pub async fn recount_from<C: ConnectionTrait>(db: &C, units: &[UnitId], from: NaiveDate) -> AppResult<()> {
    let mut units: Vec<i64> = units.iter().map(|unit| unit.get()).collect();
    units.sort_unstable();
    units.dedup();
    if units.is_empty() {
        return Ok(());
    }
    recount(db, Some(&units), Some(month_of(from))).await?;
    year_figures::recount(db, Some(&units), Some(from)).await?;
    profiles::recount(db, Some(&units), Some(from)).await
}

/// Recounts the whole rollup from the admissions and the closure, with grouped SQL, and the stock
/// summaries (`sql::stocks`) from the memberships and nominations, and the awareness cohorts
/// (`sql::cohorts`): what bulk loads and
/// `ketnap rebuild-rollups` call. It runs in a transaction of its own (a savepoint when `db` is
/// already one), so readers never see the tables half rebuilt.
pub async fn rebuild_all<C: ConnectionTrait + TransactionTrait>(db: &C) -> AppResult<()> {
    let txn = db.begin().await?;
    crate::db::announce(&txn, "").await?;
    // The stocks first: their lock is the one the pipeline's writes take first.
    crate::sql::stocks::recount(&txn, None, None).await?;
    crate::sql::cohorts::recount(&txn, None, None).await?;
    recount(&txn, None, None).await?;
    year_figures::recount(&txn, None, None).await?;
    profiles::recount(&txn, None, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes and recounts rows; must run inside a transaction.
async fn recount<C: ConnectionTrait>(db: &C, units: Option<&[i64]>, from: Option<NaiveDate>) -> AppResult<()> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // Under READ COMMITTED a ±1 upsert running beside a recount could read the closure from
        // before the tree change, or add a row the recount's snapshot missed. This mode waits
        // for the upserts under way to commit (the recount then sees their admissions) and holds
        // new ones until the tree change commits (their statements then read the new closure).
        // SQLite writers are already serialised by BEGIN IMMEDIATE.
        db.execute_raw(statement(backend, "LOCK TABLE unit_month_counts IN SHARE ROW EXCLUSIVE MODE", vec![])).await?;
    }
    let mut delete = String::from("DELETE FROM unit_month_counts WHERE 1 = 1");
    let mut delete_values = Vec::new();
    // The conditions each branch of the recount adds, with the values of one branch.
    let mut scope = String::new();
    let mut scope_values: Vec<Value> = Vec::new();
    if let Some(units) = units {
        let (list, values) = id_list(units);
        delete.push_str(&format!(" AND unit_id IN ({list})"));
        delete_values.extend(values.iter().cloned());
        scope.push_str(&format!(" AND c.ancestor_id IN ({list})"));
        scope_values.extend(values);
    }
    if let Some(from) = from {
        delete.push_str(" AND month >= ?");
        delete_values.push(from.into());
        scope.push_str(" AND {date} >= ?");
        scope_values.push(from.into());
    }
    db.execute_raw(statement(backend, &delete, delete_values)).await?;

    let branch = |date: &str, outcome: Option<&str>| {
        let month = month_start(backend, date);
        let (admissions, recognitions, names_deleted) = match outcome {
            None => ("COUNT(*)", "0", "0"),
            Some(_) => (
                "0",
                "SUM(CASE WHEN a.outcome = 'RECOGNISED' THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN a.outcome = 'NOT_RECOGNISED' THEN 1 ELSE 0 END)",
            ),
        };
        let only_outcomes = outcome.unwrap_or("");
        format!(
            "SELECT c.ancestor_id AS unit_id, {month} AS month, {admissions} AS admissions, \
             {recognitions} AS recognitions, {names_deleted} AS names_deleted \
             FROM unit_closure c JOIN admissions a ON a.cell_id = c.descendant_id \
             AND c.valid_from <= {date} AND {date} < c.valid_to \
             WHERE 1 = 1{only_outcomes}{} GROUP BY 1, 2",
            scope.replace("{date}", date)
        )
    };
    let decided = branch("a.decision_date", None);
    let outcomes = branch("a.outcome_decision_date", Some(" AND a.outcome IN ('RECOGNISED', 'NOT_RECOGNISED')"));
    let sum = |column: &str| cast_bigint(backend, &format!("SUM({column})"));
    let insert = format!(
        "INSERT INTO unit_month_counts (unit_id, month, admissions, recognitions, names_deleted) \
         SELECT unit_id, month, {}, {}, {} FROM ({decided} UNION ALL {outcomes}) t GROUP BY unit_id, month",
        sum("admissions"),
        sum("recognitions"),
        sum("names_deleted"),
    );
    let mut values = scope_values.clone();
    values.extend(scope_values);
    db.execute_raw(statement(backend, &insert, values)).await?;
    Ok(())
}
