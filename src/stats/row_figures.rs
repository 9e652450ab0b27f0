//! The figures a dashboard's row of units shows — admissions, the assigned and resolution
//! targets — for a whole list of units in one statement, as plain values: what a drill-down or a
//! ranking reads ahead (`graphql::stats::read_ahead`) instead of one statement per figure and one
//! loader lookup per row and field.
//!
//! The admissions come from the rollup exactly as `stats::count` reads them (whole calendar
//! months counted on each fact's date); a period the rollup does not answer leaves them unread,
//! and the row's `admissions` is counted live as before. The targets are those `domain::targets`
//! keeps for the period's target period.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, FromQueryResult};

use super::answers_from_rollup;
use crate::domain::period::Period;
use crate::domain::rollup::{Counted, month_of};
use crate::entity::target::TargetKind;
use crate::error::AppResult;
use crate::sql::dialect::cast_bigint;
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
    pub resolution: Option<i32>,
}

impl Targets {
    /// The target of `kind`.
    pub fn of(self, kind: TargetKind) -> Option<i32> {
        match kind {
            TargetKind::Assigned => self.assigned,
            TargetKind::Resolution => self.resolution,
        }
    }
}

/// Whether a row of `period` has anything to read ahead.
pub fn worth_reading(period: &Period) -> bool {
    reads_admissions(period) || period.target_period.is_some()
}

/// The rollup answers the period's admissions (as `stats::count` decides), and the period has begun.
fn reads_admissions(period: &Period) -> bool {
    !period.not_started() && answers_from_rollup(period)
}

#[derive(FromQueryResult)]
struct Row {
    unit_id: i64,
    admissions: Option<i64>,
    assigned: Option<i32>,
    resolution: Option<i32>,
}

/// The row figures of each of `units` for `period`: one statement, one row per unit that exists.
pub async fn read<C: ConnectionTrait>(db: &C, units: &[i64], period: &Period) -> AppResult<HashMap<i64, RowFigures>> {
    let reads_admissions = reads_admissions(period);
    if units.is_empty() || !worth_reading(period) {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let mut values = Vec::new();
    // Each figure is a correlated subquery over its own index: the rollup's (unit, month) key and
    // the targets' (unit, kind, period) key, so a row costs a few index probes.
    let admissions = if reads_admissions {
        values.extend([month_of(period.start).into(), month_of(period.counted_end()).into()]);
        let column = Counted::Admissions.column();
        format!(
            "(SELECT {} FROM unit_month_counts r WHERE r.unit_id = u.id AND r.month >= ? AND r.month <= ?)",
            cast_bigint(backend, &format!("SUM(r.{column})"))
        )
    } else {
        "NULL".to_owned()
    };
    let target = |kind: TargetKind, values: &mut Vec<sea_orm::Value>| match period.target_period {
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
    let assigned = target(TargetKind::Assigned, &mut values);
    let resolution = target(TargetKind::Resolution, &mut values);
    let (list, ids) = id_list(units);
    values.extend(ids);
    let sql = format!(
        "SELECT u.id AS unit_id, {admissions} AS admissions, {assigned} AS assigned, {resolution} AS resolution \
         FROM units u WHERE u.id IN ({list})"
    );
    let rows = Row::find_by_statement(statement(backend, &sql, values)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let figures = RowFigures {
                admissions: reads_admissions.then_some(row.admissions.unwrap_or(0)),
                targets: period.target_period.map(|_| Targets { assigned: row.assigned, resolution: row.resolution }),
            };
            (row.unit_id, figures)
        })
        .collect())
}
