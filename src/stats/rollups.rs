//! The read side of the rollup `unit_month_counts` (kept by `domain::rollup`): the figures of
//! whole calendar months summed from at most one row per unit and month, so a year of a province
//! is a sum of at most 12 rows (a national ranking reads 63 × 12 rows instead of grouping every
//! admission of the country); and of its companion `unit_month_profiles` (kept through
//! `sql::profiles`), the admissions of whole months by the categories of the admitted people's
//! profiles.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::series::Granularity;
use crate::domain::rollup::{Counted, month_of};
use crate::error::AppResult;
use crate::sql::dated::{Category, fetch_categories, fetch_counts, sort_categories};
use crate::sql::dialect::{cast_bigint, month_key, quarter_key};
use crate::sql::profiles::Dimension;
use crate::sql::{id_list, placeholders, statement};

/// Whether the days from `from` to `to` (both included) are whole calendar months, so the rollup
/// answers them exactly.
pub fn covers_whole_months(from: NaiveDate, to: NaiveDate) -> bool {
    from <= to && from.day() == 1 && to.succ_opt().is_some_and(|next| next.day() == 1)
}

/// The `counted` facts under each of `units` in the whole months from `from` to `to` (both in the
/// months they name): at most one row per unit and month read.
pub async fn sum<C: ConnectionTrait>(
    db: &C,
    counted: Counted,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i64, i64>> {
    let backend = db.get_database_backend();
    let column = counted.column();
    let (list, mut values) = id_list(units);
    values.extend([month_of(from).into(), month_of(to).into()]);
    let sql = format!(
        "SELECT unit_id, {} AS n FROM unit_month_counts \
         WHERE unit_id IN ({list}) AND month >= ? AND month <= ? AND {column} > 0 GROUP BY unit_id",
        cast_bigint(backend, &format!("SUM({column})"))
    );
    fetch_counts(db, &sql, values).await
}

/// The `counted` facts under each of `units` in the whole months from `from` to `to`, per month
/// or quarter key (`2021-03`, `2021-Q2`), as the live time series keys them.
pub async fn series<C: ConnectionTrait>(
    db: &C,
    counted: Counted,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let backend = db.get_database_backend();
    let column = counted.column();
    let key = match granularity {
        Granularity::Month => month_key(backend, "month"),
        Granularity::Quarter => quarter_key(backend, "month"),
    };
    let (list, mut values) = id_list(units);
    values.extend([month_of(from).into(), month_of(to).into()]);
    let sql = format!(
        "SELECT unit_id, {key} AS category, {} AS n FROM unit_month_counts \
         WHERE unit_id IN ({list}) AND month >= ? AND month <= ? AND {column} > 0 GROUP BY 1, 2",
        cast_bigint(backend, &format!("SUM({column})"))
    );
    fetch_categories(db, &sql, values).await
}

#[derive(FromQueryResult)]
struct ProfileRow {
    unit_id: i64,
    dimension: String,
    category: String,
    n: i64,
    k: i64,
}

/// The admissions under each of `units` in the whole months from `from` to `to` (both in the
/// months they name) by the categories of each of `dimensions`, with the sum of the counted
/// people's disclosure keys, from the summary `unit_month_profiles`: one statement, one map per
/// dimension in their order, each unit's categories largest first — what
/// `admissions::by_profiles` counts live.
pub async fn profiles<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    dimensions: &[Dimension],
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    let mut by_dimension = vec![HashMap::new(); dimensions.len()];
    if units.is_empty() || dimensions.is_empty() {
        return Ok(by_dimension);
    }
    let backend = db.get_database_backend();
    let (list, mut values) = id_list(units);
    values.extend([month_of(from).into(), month_of(to).into()]);
    let names: Vec<Value> = dimensions.iter().map(|dimension| dimension.name().into()).collect();
    let named = placeholders(names.len());
    values.extend(names);
    let sql = format!(
        "SELECT unit_id, dimension, category, {} AS n, {} AS k FROM unit_month_profiles \
         WHERE unit_id IN ({list}) AND month >= ? AND month <= ? AND dimension IN ({named}) \
         GROUP BY 1, 2, 3",
        cast_bigint(backend, "SUM(admissions)"),
        cast_bigint(backend, "SUM(key_sum)"),
    );
    let rows = ProfileRow::find_by_statement(statement(backend, &sql, values)).all(db).await?;
    for row in rows {
        let at = Dimension::named(&row.dimension).and_then(|found| dimensions.iter().position(|d| *d == found));
        if let Some(map) = at.and_then(|i| by_dimension.get_mut(i)) {
            map.entry(row.unit_id).or_default().push(Category { name: row.category, count: row.n, key: row.k });
        }
    }
    by_dimension.iter_mut().for_each(sort_categories);
    Ok(by_dimension)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn whole_months_start_on_a_first_and_end_on_a_last_day() {
        assert!(covers_whole_months(d("2021-01-01"), d("2021-12-31")));
        assert!(covers_whole_months(d("2024-02-01"), d("2024-02-29")));
        assert!(!covers_whole_months(d("2024-02-01"), d("2024-02-28")));
        assert!(!covers_whole_months(d("2021-01-02"), d("2021-12-31")));
        assert!(!covers_whole_months(d("2021-02-01"), d("2021-01-31")));
        assert_eq!(month_of(d("2021-03-19")), d("2021-03-01"));
    }
}
