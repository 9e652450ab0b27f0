//! Membership on a day: members whose cell stint covers the day, counted toward the ancestors
//! that cell had on that day, by their standing on that day.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use crate::error::AppResult;
use crate::sql::dated::{Category, Units};
use crate::sql::stocks::MEMBERS;
use crate::stats::stocks;

/// Members on `day` under each unit by standing: `OFFICIAL` when official membership had begun
/// by the day (`official_since <= day`), else `PROBATIONARY`. A membership ended on or before the
/// day (name deleted, deceased, left) is not counted; a member in transfer is counted once,
/// in the cell whose stint covers the day. A province's count is read from its stock summary
/// (`stats::stocks`), any other unit's counted live.
pub async fn by_status<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    day: NaiveDate,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    stocks::by_category_on_day(db, MEMBERS, units, day, by_status_select).await
}

/// The statement of `by_status`, selecting `unit_id, category, n`.
pub fn by_status_select(units: &Units<'_>, day: NaiveDate) -> (String, Vec<Value>) {
    let (list, unit_values) = units.clause();
    // Closure first: the subtree's cells on the day (ix_closure_subtree), then each cell's stints
    // covering the day (ix_stints_cell), then the member by key.
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, \
         CASE WHEN m.official_since <= ? THEN 'OFFICIAL' ELSE 'PROBATIONARY' END AS category, COUNT(*) AS n \
         FROM unit_closure c \
         JOIN member_stints s ON s.cell_id = c.descendant_id AND s.valid_from <= ? AND ? < s.valid_to \
         JOIN members m ON m.id = s.member_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level = 'CELL' AND c.valid_from <= ? AND ? < c.valid_to \
         AND (m.ended_on IS NULL OR m.ended_on > ?) \
         GROUP BY 1, 2"
    );
    let mut values: Vec<Value> = vec![day.into(), day.into(), day.into()];
    values.extend(unit_values);
    values.extend([day.into(), day.into(), day.into()]);
    (sql, values)
}
