//! The aggregate figures dashboards read, computed by grouped SQL in the database over each
//! unit's subtree as it stood on each fact's date (the dated closure table): one statement per
//! figure for a whole list of units, never a row loaded to be counted in Rust.

pub mod admissions;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::db::statement;
use crate::domain::period::Period;
use crate::domain::tree_read::placeholders;
use crate::error::AppResult;

/// A count every unit reports for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Admission decisions dated in the period.
    Admissions,
    /// Recognitions as official members decided in the period.
    Recognitions,
    /// Probationary members not recognised (names deleted) by decisions in the period.
    NamesDeleted,
}

/// A breakdown of a figure by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Breakdown {
    /// Admissions by the admitted person's ethnicity.
    AdmissionsByEthnicity,
}

/// Computes `figure` for each of `units` over `period`.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    figure: Figure,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, i64>> {
    if units.is_empty() || period.not_started() {
        return Ok(HashMap::new());
    }
    match figure {
        Figure::Admissions => admissions::admissions(db, units, period).await,
        Figure::Recognitions => admissions::outcomes(db, units, period, "RECOGNISED").await,
        Figure::NamesDeleted => admissions::outcomes(db, units, period, "NOT_RECOGNISED").await,
    }
}

/// Computes `breakdown` for each of `units` over `period`: per unit, (category, count) pairs.
pub async fn breakdown<C: ConnectionTrait>(
    db: &C,
    breakdown: Breakdown,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, Vec<(String, i64)>>> {
    if units.is_empty() || period.not_started() {
        return Ok(HashMap::new());
    }
    match breakdown {
        Breakdown::AdmissionsByEthnicity => admissions::by_category(db, units, period, "p.ethnicity").await,
    }
}

/// A fact table joined to the ancestors its cell had on the fact's date.
pub(crate) struct DatedFacts<'a> {
    /// `FROM` source with its alias and any joins, e.g. `admissions a JOIN persons p ON p.id = a.person_id`.
    pub source: &'a str,
    /// The column holding the fact's cell.
    pub cell: &'a str,
    /// The column holding the fact's date.
    pub date: &'a str,
    /// Extra conditions (with `?` placeholders) and their values.
    pub condition: Option<(&'a str, Vec<Value>)>,
}

#[derive(FromQueryResult)]
struct UnitCount {
    unit_id: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct UnitCategoryCount {
    unit_id: i64,
    category: Option<String>,
    n: i64,
}

/// Counts the facts dated from `from` to `to` (inclusive) under each unit of `units`.
pub(crate) async fn count_dated<C: ConnectionTrait>(
    db: &C,
    facts: DatedFacts<'_>,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i64, i64>> {
    let (sql, values) = dated_sql(&facts, units, from, to, None);
    let rows = UnitCount::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.unit_id, row.n)).collect())
}

/// Counts the facts dated from `from` to `to` under each unit, by the value of `category`.
pub(crate) async fn count_dated_by<C: ConnectionTrait>(
    db: &C,
    facts: DatedFacts<'_>,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    category: &str,
) -> AppResult<HashMap<i64, Vec<(String, i64)>>> {
    let (sql, values) = dated_sql(&facts, units, from, to, Some(category));
    let rows = UnitCategoryCount::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut by_unit: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for row in rows {
        by_unit.entry(row.unit_id).or_default().push((row.category.unwrap_or_default(), row.n));
    }
    for categories in by_unit.values_mut() {
        // Largest first, then by name, so a dashboard can print the list as it comes.
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(by_unit)
}

fn dated_sql(
    facts: &DatedFacts<'_>,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    category: Option<&str>,
) -> (String, Vec<Value>) {
    let DatedFacts { source, cell, date, condition } = facts;
    let select_category = category.map(|c| format!(", {c} AS category")).unwrap_or_default();
    let group_category = category.map(|c| format!(", {c}")).unwrap_or_default();
    let mut values: Vec<Value> = units.iter().map(|id| Value::from(*id)).collect();
    values.extend([from.into(), to.into()]);
    let mut sql = format!(
        "SELECT c.ancestor_id AS unit_id{select_category}, COUNT(*) AS n FROM {source} \
         JOIN unit_closure c ON c.descendant_id = {cell} AND c.valid_from <= {date} AND {date} < c.valid_to \
         WHERE c.ancestor_id IN ({}) AND {date} >= ? AND {date} <= ?",
        placeholders(units.len())
    );
    if let Some((condition, condition_values)) = condition {
        sql.push_str(" AND ");
        sql.push_str(condition);
        values.extend(condition_values.iter().cloned());
    }
    sql.push_str(&format!(" GROUP BY c.ancestor_id{group_category}"));
    (sql, values)
}
