//! The organisation on a day: how many districts, communes and cells stood in a unit's subtree.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use crate::error::AppResult;
use crate::sql::dated::{Category, Units};
use crate::sql::stocks::UNITS;
use crate::stats::stocks;

/// Active units in each unit's subtree on `day` (the unit itself included, so the figures of a
/// unit's children add up to its own), by level: under the unit that day (dated closure),
/// established by then and not yet dissolved or merged away. (Naming the levels lets the
/// subtree index skip, per level, the links that ended before the day.) A province's count is
/// read from its stock summary (`stats::stocks`), any other unit's counted live.
pub async fn by_level<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    day: NaiveDate,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    stocks::by_category_on_day(db, UNITS, units, day, by_level_select).await
}

/// The statement of `by_level`, selecting `unit_id, category, n`.
pub fn by_level_select(units: &Units<'_>, day: NaiveDate) -> (String, Vec<Value>) {
    let (list, mut values) = units.clause();
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, c.descendant_level AS category, COUNT(*) AS n \
         FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_level IN ('DISTRICT', 'COMMUNE', 'CELL') \
         AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR u.dissolved_on > ?) \
         GROUP BY 1, 2"
    );
    values.extend(std::iter::repeat_n(Value::from(day), 4));
    (sql, values)
}
