//! How many probationary members of each of several units' subtrees are due for recognition
//! (công nhận đảng viên chính thức) soon, and how many are overdue: one grouped statement for a
//! whole list of units, so a ranking or a list of children asking for it costs one statement.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::calendar::OPEN_END;
use crate::entity::vocabulary::{AdmissionOutcome, UnitLevel};
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::{enum_value, placeholders, statement};

/// The counts for one unit's current subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecognitionsDue {
    /// Probationers whose probation ends by the horizon, the overdue ones included.
    pub due: u64,
    /// Probationers whose probation already ended without a recognition decision.
    pub overdue: u64,
}

#[derive(FromQueryResult)]
struct Row {
    unit_id: i64,
    due: i64,
    overdue: i64,
}

/// The counts per unit of `units` (their current subtrees): `due` counts the probationary
/// admissions whose ceremony was on or before `due_by` (see `probation_due_bound`), `overdue`
/// those on or before `overdue_by`. A unit without any is absent from the map.
pub async fn recognitions_due<C: ConnectionTrait>(
    db: &C,
    units: &[UnitId],
    due_by: NaiveDate,
    overdue_by: NaiveDate,
) -> AppResult<HashMap<UnitId, RecognitionsDue>> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, \
           SUM(CASE WHEN a.ceremony_date <= ? THEN 1 ELSE 0 END) AS due, \
           SUM(CASE WHEN a.ceremony_date <= ? THEN 1 ELSE 0 END) AS overdue \
         FROM admissions a \
         JOIN unit_closure c ON c.descendant_id = a.cell_id AND c.valid_to = ? AND c.descendant_level = ? \
         WHERE c.ancestor_id IN ({}) AND a.outcome = ? AND a.ceremony_date IS NOT NULL AND a.ceremony_date <= ? \
         GROUP BY c.ancestor_id",
        placeholders(units.len())
    );
    let mut values = vec![due_by.into(), overdue_by.into(), OPEN_END.into(), enum_value(UnitLevel::Cell)];
    values.extend(units.iter().map(|id| (*id).into()));
    values.extend([enum_value(AdmissionOutcome::Probationary), due_by.max(overdue_by).into()]);
    let rows = Row::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                UnitId::from(row.unit_id),
                RecognitionsDue { due: row.due.max(0) as u64, overdue: row.overdue.max(0) as u64 },
            )
        })
        .collect())
}
