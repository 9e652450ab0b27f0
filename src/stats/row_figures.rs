//! The figures a dashboard's row of units shows — admissions, the assigned and resolution
//! targets — for a whole list of units in one statement, as plain values: what a drill-down or a
//! ranking reads ahead (`graphql::stats::read_ahead`) instead of one statement per figure and one
//! loader lookup per row and field. The figures are columns (`FigureColumns`) a statement selects
//! for each unit it reads: `read` selects them for units by id, and a list selects them beside its
//! own page (`domain::tree_read::page_with`, `children_of_code`), so a page and its figures are
//! one statement.
//!
//! The admissions come from the rollup exactly as `stats::count` reads them (whole calendar
//! months counted on each fact's date); a period the rollup does not answer leaves them unread,
//! and the row's `admissions` is counted live as before. The targets are those `domain::targets`
//! keeps for the period's target period. A whole calendar year's admissions and a year's targets
//! are one joined row of `unit_year_figures`, their sum and copies kept in step by the writes.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, QueryResult};

use super::{answers_from_rollup, rollups};
use crate::domain::period::Period;
use crate::domain::rollup::{Counted, month_of};
use crate::entity::target::{TargetKind, TargetPeriodKind};
use crate::error::AppResult;
use crate::sql::dialect::cast_bigint;
use crate::sql::query::Columns;
use crate::sql::read::Column;
use crate::sql::year_figures;
use crate::sql::{enum_value, id_list, statement};

/// One unit's row figures for one period. `None` where the figure was not read ahead: the
/// period's admissions are not in the rollup, or the period compares to no target period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowFigures {
    /// Admissions decided in the period in the unit's subtree, when the rollup answers the period.
    pub admissions: Option<i64>,
    /// The assigned and the resolution target (each null when not set), when the period compares
    /// to a target period.
    pub targets: Option<Targets>,
}

/// A unit's two targets for one target period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    pub assigned: Option<i32>,
    /// The resolution target; `None` when the statement did not read it (a list whose rows ask
    /// only for the assigned target and attainment against it), so whoever needs it loads it.
    pub resolution: Option<Option<i32>>,
}

impl Targets {
    /// The target of `kind` (null when not set); `None` when it was not read.
    pub fn of(self, kind: TargetKind) -> Option<Option<i32>> {
        match kind {
            TargetKind::Assigned => Some(self.assigned),
            TargetKind::Resolution => self.resolution,
        }
    }
}

/// Which of a row's figures a statement reads. The admissions and the assigned target are read
/// whenever a row asks for any figure (attainment compares the two); the resolution target only
/// when something asks for it, which a ranking's rows seldom do: its index probe is a third of
/// the row's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub resolution: bool,
}

impl Reading {
    /// Every figure: what a loader reads for the shared cache and any field.
    pub const ALL: Reading = Reading { resolution: true };
}

/// Whether a row of `period` has anything to read ahead.
pub fn worth_reading(period: &Period) -> bool {
    reads_admissions(period) || period.target_period.is_some()
}

/// The rollup answers the period's admissions (as `stats::count` decides), and the period has begun.
fn reads_admissions(period: &Period) -> bool {
    !period.not_started() && answers_from_rollup(period)
}

/// The row figure columns of some periods for the unit a statement calls `u`: for the period at
/// index `i`, `admissions_i`, `assigned_i` and `resolution_i`. A list statement selects them
/// beside its units (`tree_read::page_with`), so a page and its figures are one statement.
pub struct FigureColumns {
    periods: Vec<Period>,
    reading: Reading,
    columns: Columns,
}

impl FigureColumns {
    /// The columns of each of `periods` (each one `worth_reading`), reading the figures `reading` names.
    pub fn of(backend: DbBackend, periods: &[Period], reading: Reading) -> Self {
        let mut columns = Columns {
            names: (0..periods.len())
                .flat_map(|index| ["admissions", "assigned", "resolution"].map(|figure| format!("{figure}_{index}")))
                .collect(),
            ..Columns::default()
        };
        columns.text = periods
            .iter()
            .enumerate()
            .map(|(index, period)| period_columns(backend, period, index, reading, &mut columns))
            .collect::<Vec<_>>()
            .join(", ");
        FigureColumns { periods: periods.to_vec(), reading, columns }
    }

    /// Whether there are no columns (no period with anything to read).
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The columns' text and values.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The figures a row of a statement selecting these columns holds, by period, the first
    /// column at position `first` of the row. Read by position: three a period in the periods'
    /// order, as `of` made them (by name, each read would hash the column's name).
    pub fn figures(&self, row: &QueryResult, first: usize) -> AppResult<Vec<(Period, RowFigures)>> {
        self.periods
            .iter()
            .enumerate()
            .map(|(index, period)| {
                let at = first + 3 * index;
                let admissions = Option::<i64>::read(row, at)?;
                let assigned = Option::<i32>::read(row, at + 1)?;
                let resolution = if self.reading.resolution { Option::<i32>::read(row, at + 2)? } else { None };
                let figures = RowFigures {
                    admissions: reads_admissions(period).then_some(admissions.unwrap_or(0)),
                    targets: period
                        .target_period
                        .map(|_| Targets { assigned, resolution: self.reading.resolution.then_some(resolution) }),
                };
                Ok((*period, figures))
            })
            .collect()
    }
}

/// The three columns of `period`, the `index`th, their values appended to `columns`' (and the
/// join they read from to its joins). A year's figures — a whole calendar year's admissions, a
/// year's targets — are the unit's row of `unit_year_figures`, joined by its (unit, year) key as
/// `y{index}`: one probe a row, where correlated subqueries cost one each (the ranking's
/// statement ran at 4,100–4,500 tps with two subqueries on that table, 8,500–8,700 with the join;
/// BENCHMARKS.md, "The year's figures in one row"). Any other period's admissions are a sum of
/// the rollup's months (its (unit, month) key), a term's targets a probe of the targets' (unit,
/// kind, period) key.
fn period_columns(
    backend: DbBackend,
    period: &Period,
    index: usize,
    reading: Reading,
    columns: &mut Columns,
) -> String {
    let target_year = period.target_period.filter(|target| target.kind == TargetPeriodKind::Year).map(|t| t.start_year);
    let whole_year = whole_year(period);
    let joined = target_year.or(whole_year);
    if let Some(year) = joined {
        columns.joins.push_str(&format!(
            " LEFT JOIN unit_year_figures y{index} ON y{index}.unit_id = u.id AND y{index}.year = ?"
        ));
        columns.join_values.push(year.into());
    }
    let from_join = |column: &str| format!("y{index}.{column}");
    let values = &mut columns.values;
    let admissions = if whole_year.is_some() && whole_year == joined {
        from_join("admissions")
    } else if reads_admissions(period) {
        values.extend([month_of(period.start).into(), month_of(period.counted_end()).into()]);
        let column = Counted::Admissions.column();
        format!(
            "(SELECT {} FROM unit_month_counts r WHERE r.unit_id = u.id AND r.month >= ? AND r.month <= ?)",
            cast_bigint(backend, &format!("SUM(r.{column})"))
        )
    } else {
        "NULL".to_owned()
    };
    let mut target = |kind: TargetKind| match period.target_period {
        Some(_) if target_year.is_some() => from_join(year_figures::target_column(kind)),
        Some(target_period) => {
            values.extend([
                enum_value(kind),
                enum_value(target_period.kind),
                target_period.start_year.into(),
                target_period.end_year.into(),
            ]);
            "(SELECT t.value FROM targets t WHERE t.unit_id = u.id AND t.kind = ? AND t.period_kind = ? \
             AND t.start_year = ? AND t.end_year = ?)"
                .to_owned()
        }
        None => "NULL".to_owned(),
    };
    let assigned = target(TargetKind::Assigned);
    let resolution = if reading.resolution { target(TargetKind::Resolution) } else { "NULL".to_owned() };
    format!("{admissions} AS admissions_{index}, {assigned} AS assigned_{index}, {resolution} AS resolution_{index}")
}

/// The calendar year `period` counts whole, when the rollup answers its admissions: its row of
/// `unit_year_figures` holds them (the sum of the year's twelve months).
fn whole_year(period: &Period) -> Option<i32> {
    rollups::whole_year(period.start, period.counted_end()).filter(|_| reads_admissions(period))
}

/// The row figures of each of `units` for `period`: one statement, one row per unit that exists.
pub async fn read<C: ConnectionTrait>(db: &C, units: &[i64], period: &Period) -> AppResult<HashMap<i64, RowFigures>> {
    if units.is_empty() || !worth_reading(period) {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let figures = FigureColumns::of(backend, std::slice::from_ref(period), Reading::ALL);
    let (list, ids) = id_list(units);
    let columns = figures.columns();
    let mut values = columns.values.clone();
    values.extend(columns.join_values.iter().cloned());
    values.extend(ids);
    let sql = format!("SELECT u.id AS unit_id, {} FROM units u{} WHERE u.id IN ({list})", columns.text, columns.joins);
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    let mut read = HashMap::new();
    for row in &rows {
        let unit_id = i64::read(row, 0)?;
        read.extend(figures.figures(row, 1)?.into_iter().map(|(_, figures)| (unit_id, figures)));
    }
    Ok(read)
}
