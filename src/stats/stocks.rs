//! The read side of the stock summaries (`sql::stocks`, kept by `domain::stocks`): a province's
//! stock on a day is the sum of its monthly changes before the day's month and of its daily
//! changes in that month up to the day — a few hundred indexed rows, whatever the province's size.
//! Units whose stocks are not kept as rows (districts and below) are counted live by the same
//! statement, so one statement answers a list that mixes both.

use chrono::NaiveDate;
use sea_orm::{DbBackend, Value};

use crate::calendar::month_start;
use crate::sql::dialect::cast_bigint;
use crate::sql::id_list;

/// The statement summing stock `figure`'s rows of `units` on `day`, selecting
/// `unit_id, category, n` for the units that keep rows; `live` (with its values) counts the
/// others, selecting the same columns, and is appended with `UNION ALL`.
pub fn on_day_select(
    backend: DbBackend,
    figure: &str,
    units: &[i64],
    day: NaiveDate,
    live: (String, Vec<Value>),
) -> (String, Vec<Value>) {
    let (list, ids) = id_list(units);
    let sql = format!(
        "SELECT unit_id, category, {} AS n FROM ( \
         SELECT unit_id, category, delta FROM unit_stock_months \
         WHERE unit_id IN ({list}) AND figure = ? AND month < ? \
         UNION ALL \
         SELECT unit_id, category, delta FROM unit_stock_days \
         WHERE unit_id IN ({list}) AND figure = ? AND day >= ? AND day <= ?) kept \
         GROUP BY unit_id, category HAVING SUM(delta) <> 0 \
         UNION ALL {}",
        cast_bigint(backend, "SUM(delta)"),
        live.0
    );
    let month = month_start(day);
    let mut values = ids.clone();
    values.extend([figure.into(), month.into()]);
    values.extend(ids);
    values.extend([figure.into(), month.into(), day.into()]);
    values.extend(live.1);
    (sql, values)
}

/// The statement summing the changes of `figure` (a count that only grows, such as
/// `sql::stocks::NOMINATED`) of `units` dated from `from` to `to`, selecting `unit_id, n` for the
/// units that keep rows; `live` counts the others, selecting the same columns.
pub fn changes_between_select(
    backend: DbBackend,
    figure: &str,
    units: &[i64],
    (from, to): (NaiveDate, NaiveDate),
    live: (String, Vec<Value>),
) -> (String, Vec<Value>) {
    let (list, mut values) = id_list(units);
    let sql = format!(
        "SELECT unit_id, {} AS n FROM unit_stock_days \
         WHERE unit_id IN ({list}) AND figure = ? AND day >= ? AND day <= ? GROUP BY unit_id \
         UNION ALL {}",
        cast_bigint(backend, "SUM(delta)"),
        live.0
    );
    values.extend([figure.into(), from.into(), to.into()]);
    values.extend(live.1);
    (sql, values)
}
