//! The read side of the rollup `unit_month_counts` (kept by `domain::rollup`): the figures of
//! whole calendar months summed from at most one row per unit and month, so a year of a province
//! is a sum of at most 12 rows — or, for a whole calendar year's admissions, one row of its
//! companion `unit_year_figures` (kept through `sql::year_figures`) (a national ranking reads 63 × 12 rows instead of grouping every
//! admission of the country); and of its companion `unit_month_profiles` (kept through
//! `sql::profiles`, for provinces), the admissions of whole months by the categories of the
//! admitted people's profiles.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::series::Granularity;
use crate::domain::rollup::{Counted, month_of};
use crate::error::AppResult;
use crate::sql::dated::{Category, fetch_categories, fetch_counts};
use crate::sql::dialect::{cast_bigint, month_key, quarter_key};
use crate::sql::profiles::Dimension;
use crate::sql::{id_list, placeholders};

/// Whether the days from `from` to `to` (both included) are whole calendar months, so the rollup
/// answers them exactly.
pub fn covers_whole_months(from: NaiveDate, to: NaiveDate) -> bool {
    from <= to && from.day() == 1 && to.succ_opt().is_some_and(|next| next.day() == 1)
}

/// The calendar year the days from `from` to `to` (both included) are, whole: the rows of
/// `unit_year_figures` answer its admissions.
pub fn whole_year(from: NaiveDate, to: NaiveDate) -> Option<i32> {
    let starts = (from.month(), from.day()) == (1, 1);
    let ends = (to.month(), to.day()) == (12, 31);
    (starts && ends && from.year() == to.year()).then_some(from.year())
}

/// The `counted` facts under each of `units` in the whole months from `from` to `to` (both in the
/// months they name): at most one row per unit and month read, or one per unit for a whole
/// calendar year's admissions (`unit_year_figures`).
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
    if let (Counted::Admissions, Some(year)) = (counted, whole_year(from, to)) {
        values.push(year.into());
        let sql = format!(
            "SELECT unit_id, admissions AS n FROM unit_year_figures \
             WHERE unit_id IN ({list}) AND year = ? AND admissions > 0"
        );
        return fetch_counts(db, &sql, values).await;
    }
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

/// The statement reading, from the summary `unit_month_profiles` (rows of provinces only), the
/// admissions under each of `units` in the whole months from `from` to `to` (both in the months
/// they name) by the categories of each of `dimensions`, with the sum of the counted people's
/// disclosure keys: selecting `grouping_index, unit_id, category, n, k` as
/// `sql::dated::dated_select_by_each` does, the index that of the dimension in `dimensions`.
pub fn profiles_select(
    backend: DbBackend,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    dimensions: &[Dimension],
) -> (String, Vec<Value>) {
    let (list, mut values) = id_list(units);
    values.extend([month_of(from).into(), month_of(to).into()]);
    let index: String =
        dimensions.iter().enumerate().map(|(i, dimension)| format!(" WHEN '{}' THEN {i}", dimension.name())).collect();
    let names: Vec<Value> = dimensions.iter().map(|dimension| dimension.name().into()).collect();
    let named = placeholders(names.len());
    values.extend(names);
    let sql = format!(
        "SELECT CASE dimension{index} END AS grouping_index, unit_id, category, {} AS n, {} AS k \
         FROM unit_month_profiles WHERE unit_id IN ({list}) AND month >= ? AND month <= ? \
         AND dimension IN ({named}) GROUP BY dimension, unit_id, category",
        cast_bigint(backend, "SUM(admissions)"),
        cast_bigint(backend, "SUM(key_sum)"),
    );
    (sql, values)
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

    #[test]
    fn a_whole_year_runs_from_the_first_of_january_to_the_last_of_december() {
        assert_eq!(whole_year(d("2021-01-01"), d("2021-12-31")), Some(2021));
        assert_eq!(whole_year(d("2021-01-01"), d("2021-11-30")), None);
        assert_eq!(whole_year(d("2021-02-01"), d("2021-12-31")), None);
        assert_eq!(whole_year(d("2020-01-01"), d("2021-12-31")), None, "two years are not one row");
    }
}
