//! The read side of the stock summaries (`sql::stocks`, kept by `domain::stocks`): a province's
//! stock on a day is the sum of its monthly changes before the day's month and of its daily
//! changes in that month up to the day — a few hundred indexed rows, whatever the province's size.
//! Units whose stocks are not kept as rows (districts and below) are counted live.
//!
//! The units are told apart before the statement is written (`Split`): a live count restricted
//! by a subquery that turns out empty is still planned for every unit it might have named, and on
//! PostgreSQL that plan read a province's worth of stints (150–215 ms) for no unit at all.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};

use crate::calendar::{add_months, month_start};
use crate::error::AppResult;
use crate::sql::dated::{Category, Units, fetch_categories};
use crate::sql::dialect::cast_bigint;
use crate::sql::stocks::SUMMARISED;
use crate::sql::{id_list, statement};

/// A list of units split into those whose stocks are kept as rows and those counted live.
#[derive(Debug, Default)]
pub struct Split {
    pub kept: Vec<i64>,
    pub live: Vec<i64>,
}

#[derive(FromQueryResult)]
struct Kept {
    id: i64,
}

impl Split {
    /// Splits `units` by their level (one read by primary key): kept are the provinces, whose
    /// stocks are rows.
    pub async fn of<C: ConnectionTrait>(db: &C, units: &[i64]) -> AppResult<Split> {
        Split::at(db, units, SUMMARISED).await
    }

    /// Splits `units` into those at `level` (kept) and the others (live).
    pub async fn at<C: ConnectionTrait>(db: &C, units: &[i64], level: &str) -> AppResult<Split> {
        if units.is_empty() {
            return Ok(Split::default());
        }
        let (list, mut values) = id_list(units);
        values.push(level.into());
        let sql = format!("SELECT id FROM units WHERE id IN ({list}) AND level = ?");
        let rows = Kept::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
        let kept: Vec<i64> = rows.into_iter().map(|row| row.id).collect();
        let live = units.iter().copied().filter(|unit| !kept.contains(unit)).collect();
        Ok(Split { kept, live })
    }

    /// One statement: `kept` for the units with rows, `live` for the others, `UNION ALL` when
    /// both have units (each builds its part from its units; a part that opens with its own
    /// `WITH` is read as a subquery, since `WITH` may only open a whole statement).
    pub fn select(
        &self,
        kept: impl FnOnce(&[i64]) -> (String, Vec<Value>),
        live: impl FnOnce(&[i64]) -> (String, Vec<Value>),
    ) -> (String, Vec<Value>) {
        match (self.kept.is_empty(), self.live.is_empty()) {
            (false, true) => kept(&self.kept),
            (true, _) => live(&self.live),
            (false, false) => {
                let (kept_sql, mut values) = kept(&self.kept);
                let (live_sql, live_values) = live(&self.live);
                values.extend(live_values);
                (format!("{} UNION ALL {}", union_part(kept_sql), union_part(live_sql)), values)
            }
        }
    }
}

/// `sql` as one side of a `UNION ALL`: as it is, or read as a subquery when it opens with a
/// `WITH` (neither SQLite nor PostgreSQL accepts one after `UNION ALL`, and before it, it would
/// reach into the other side).
fn union_part(sql: String) -> String {
    if sql.split_whitespace().next().is_some_and(|first| first.eq_ignore_ascii_case("WITH")) {
        format!("SELECT * FROM ({sql}) part")
    } else {
        sql
    }
}

/// Stock `figure` of each of `units` on `day` by category: the rows of the units that keep them,
/// `live_select` (a unit list and the day → `unit_id, category, n`) for the others.
pub async fn by_category_on_day<C: ConnectionTrait>(
    db: &C,
    figure: &str,
    units: &[i64],
    day: NaiveDate,
    live_select: impl FnOnce(&Units<'_>, NaiveDate) -> (String, Vec<Value>),
) -> AppResult<HashMap<i64, Vec<Category>>> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let (sql, values) = Split::of(db, units)
        .await?
        .select(|kept| on_day_select(backend, figure, kept, day), |live| live_select(&Units::Ids(live), day));
    fetch_categories(db, &sql, values).await
}

/// The statement summing stock `figure`'s rows of `units` (units that keep rows) on `day`,
/// selecting `unit_id, category, n`.
pub fn on_day_select(backend: DbBackend, figure: &str, units: &[i64], day: NaiveDate) -> (String, Vec<Value>) {
    let (list, ids) = id_list(units);
    let sql = format!(
        "SELECT unit_id, category, {} AS n FROM ( \
         SELECT unit_id, category, delta FROM unit_stock_months \
         WHERE unit_id IN ({list}) AND figure = ? AND month < ? \
         UNION ALL \
         SELECT unit_id, category, delta FROM unit_stock_days \
         WHERE unit_id IN ({list}) AND figure = ? AND day >= ? AND day <= ?) kept \
         GROUP BY unit_id, category HAVING SUM(delta) <> 0",
        cast_bigint(backend, "SUM(delta)"),
    );
    let month = month_start(day);
    let mut values = ids.clone();
    values.extend([figure.into(), month.into()]);
    values.extend(ids);
    values.extend([figure.into(), month.into(), day.into()]);
    (sql, values)
}

/// The statement summing the changes of `figure` (a count that only grows, such as
/// `sql::stocks::NOMINATED`) of `units` (units that keep rows) dated from `from` to `to`,
/// selecting `unit_id, n`.
pub fn changes_between_select(
    backend: DbBackend,
    figure: &str,
    units: &[i64],
    (from, to): (NaiveDate, NaiveDate),
) -> (String, Vec<Value>) {
    let (list, mut values) = id_list(units);
    let sql = format!(
        "SELECT unit_id, {} AS n FROM unit_stock_days \
         WHERE unit_id IN ({list}) AND figure = ? AND day >= ? AND day <= ? GROUP BY unit_id",
        cast_bigint(backend, "SUM(delta)"),
    );
    values.extend([figure.into(), from.into(), to.into()]);
    (sql, values)
}

/// The statement summing, per unit and category, the changes of each of `figures` — counts that
/// only grow, kept by category (`sql::stocks::REMOVED`, `CLASSES`…) — of `units` (units that keep
/// rows) dated from `from` to `to`: the month rows of the whole months between, the day rows of
/// the days around them. It selects `unit_id`, the category as `category_column`, then one column
/// per figure in the order given, named as paired; a category whose figures all sum to zero is
/// left out. Written to be followed by a live count of the other units selecting the same columns
/// in a `UNION ALL`.
pub fn changes_by_category_between_select(
    backend: DbBackend,
    category_column: &str,
    figures: &[(&str, &str)],
    units: &[i64],
    (from, to): (NaiveDate, NaiveDate),
) -> (String, Vec<Value>) {
    let (months_from, months_until) = whole_months_within(from, to);
    let (list, ids) = id_list(units);
    let listed = vec!["?"; figures.len()].join(", ");
    let sum = |figure: &str| format!("SUM(CASE WHEN figure = '{figure}' THEN delta ELSE 0 END)");
    let columns: String = figures
        .iter()
        .map(|(column, figure)| format!(", {} AS {column}", cast_bigint(backend, &sum(figure))))
        .collect();
    let any: Vec<String> = figures.iter().map(|(_, figure)| format!("{} <> 0", sum(figure))).collect();
    let sql = format!(
        "SELECT unit_id, category AS {category_column}{columns} FROM ( \
         SELECT unit_id, figure, category, delta FROM unit_stock_months \
         WHERE unit_id IN ({list}) AND figure IN ({listed}) AND month >= ? AND month < ? \
         UNION ALL \
         SELECT unit_id, figure, category, delta FROM unit_stock_days \
         WHERE unit_id IN ({list}) AND figure IN ({listed}) AND ((day >= ? AND day < ?) OR (day >= ? AND day <= ?))) kept \
         GROUP BY unit_id, category HAVING {}",
        any.join(" OR "),
    );
    let figure_values = || figures.iter().map(|(_, figure)| Value::from(*figure));
    let mut values = ids.clone();
    values.extend(figure_values());
    values.extend([months_from.into(), months_until.into()]);
    values.extend(ids);
    values.extend(figure_values());
    values.extend([from.into(), months_from.into(), months_until.into(), to.into()]);
    (sql, values)
}

/// The whole calendar months from `from` to `to`, as the first day of the first and the first
/// day after the last; an empty range at `from` when there is none.
fn whole_months_within(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = if from.day() == 1 { from } else { add_months(month_start(from), 1) };
    let after_to = to.succ_opt().unwrap_or(to);
    let until = if after_to.day() == 1 { after_to } else { month_start(to) };
    if first < until { (first, until) } else { (from, from) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn whole_months_are_those_the_days_cover_from_first_to_last_day() {
        let months = |from: &str, to: &str| whole_months_within(day(from), day(to));
        assert_eq!(months("2025-01-01", "2025-12-31"), (day("2025-01-01"), day("2026-01-01")));
        assert_eq!(months("2025-02-13", "2025-11-07"), (day("2025-03-01"), day("2025-11-01")));
        assert_eq!(months("2024-02-01", "2024-02-29"), (day("2024-02-01"), day("2024-03-01")));
        // None whole: an empty range at the first day, so every day is read from the day rows.
        assert_eq!(months("2025-02-13", "2025-03-30"), (day("2025-02-13"), day("2025-02-13")));
        assert_eq!(months("2025-07-31", "2025-07-31"), (day("2025-07-31"), day("2025-07-31")));
    }

    /// A live part that opens with its own `WITH` (the admissions by profile, a stock's dated
    /// changes) follows a province's kept part as a subquery: `… UNION ALL WITH …` is a syntax
    /// error on both databases. A part without one is left as it is.
    #[test]
    fn a_part_with_its_own_with_is_a_subquery_of_the_union() {
        let split = Split { kept: vec![1], live: vec![2] };
        let (sql, values) = split.select(
            |kept| ("SELECT unit_id FROM rows WHERE unit_id = ?".to_owned(), vec![kept[0].into()]),
            |live| ("WITH f AS (SELECT ? AS unit_id) SELECT unit_id FROM f".to_owned(), vec![live[0].into()]),
        );
        assert_eq!(
            sql,
            "SELECT unit_id FROM rows WHERE unit_id = ? UNION ALL \
             SELECT * FROM (WITH f AS (SELECT ? AS unit_id) SELECT unit_id FROM f) part"
        );
        assert_eq!(values, vec![Value::from(1i64), Value::from(2i64)]);
        let live_only = Split { kept: vec![], live: vec![2] };
        let (sql, _) = live_only.select(|_| unreachable!(), |_| ("WITH f AS (SELECT 1) SELECT 1".to_owned(), vec![]));
        assert_eq!(sql, "WITH f AS (SELECT 1) SELECT 1", "a statement of its own keeps its WITH");
    }
}
