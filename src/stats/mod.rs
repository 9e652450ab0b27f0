//! The aggregate figures dashboards read, computed by grouped SQL in the database over each
//! unit's subtree as it stood on each fact's date (the dated closure table): one statement per
//! figure for a whole list of units, never a row loaded to be counted in Rust.
//!
//! Two kinds of figure: *flows* count facts dated in the period (admissions, nominations,
//! removals, classes), each toward the ancestors its cell had on the fact's date; *stocks* count
//! what stood on the period's counted end (members, units, candidates in the source), toward the
//! ancestors on that day.
//!
//! Admissions, recognitions and names deleted — and their monthly and quarterly series — are
//! read from the per-unit, per-month rollup (`rollups`) whenever the counted days are whole
//! calendar months (a year, half, quarter, month or term without a mid-month `asOf`), which gives
//! the same numbers from at most 12 rows per unit and year; any other range is counted live.

pub mod admissions;
pub mod classes;
pub mod funnel;
pub mod membership;
pub mod rollups;
pub mod series;
pub mod source;
mod sql;
pub mod units;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::db::statement;
use crate::domain::period::Period;
use crate::domain::tree_read::placeholders;
use crate::error::AppResult;
use rollups::Counted;
pub use series::Granularity;

/// A count every unit reports for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Admission decisions dated in the period.
    Admissions,
    /// Recognitions as official members decided in the period.
    Recognitions,
    /// Probationary members not recognised (names deleted) by decisions in the period.
    NamesDeleted,
    /// Candidates in the source pool on the counted end (a stock).
    InSource,
    /// Nominations into the source pool dated in the period.
    Nominated,
}

/// A breakdown of a figure by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Breakdown {
    /// Admissions by the admitted person's ethnicity.
    AdmissionsByEthnicity,
    /// Admissions by gender.
    AdmissionsByGender,
    /// Admissions by age band at the decision (see `admissions::AGE_BANDS`).
    AdmissionsByAgeBand,
    /// Admissions by general education.
    AdmissionsByGeneralEducation,
    /// Admissions by professional education.
    AdmissionsByProfessionalEducation,
    /// Admissions by religion.
    AdmissionsByReligion,
    /// Admissions by the body that nominated the person into the source.
    AdmissionsByNominatingBody,
    /// Admissions by occupation.
    AdmissionsByOccupation,
    /// Admissions by month or quarter of the decision (categories are bucket keys).
    AdmissionsOver(Granularity),
    /// Recognitions by month or quarter of the decision.
    RecognitionsOver(Granularity),
    /// Members on the counted end by standing: `PROBATIONARY`, `OFFICIAL` (a stock).
    MembersByStatus,
    /// Active units on the counted end by level: `DISTRICT`, `COMMUNE`, `CELL` (a stock).
    UnitsByLevel,
    /// Removals from the source dated in the period, by reason.
    RemovalsByReason,
}

impl Figure {
    fn is_stock(self) -> bool {
        matches!(self, Figure::InSource)
    }

    /// The rollup column that answers the figure over whole months, if one does.
    fn rolled_up(self) -> Option<Counted> {
        match self {
            Figure::Admissions => Some(Counted::Admissions),
            Figure::Recognitions => Some(Counted::Recognitions),
            Figure::NamesDeleted => Some(Counted::NamesDeleted),
            Figure::InSource | Figure::Nominated => None,
        }
    }
}

impl Breakdown {
    fn is_stock(self) -> bool {
        matches!(self, Breakdown::MembersByStatus | Breakdown::UnitsByLevel)
    }

    /// The rollup column and bucket width that answer the breakdown over whole months, if any.
    fn rolled_up(self) -> Option<(Counted, Granularity)> {
        match self {
            Breakdown::AdmissionsOver(granularity) => Some((Counted::Admissions, granularity)),
            Breakdown::RecognitionsOver(granularity) => Some((Counted::Recognitions, granularity)),
            _ => None,
        }
    }
}

/// Computes `figure` for each of `units` over `period`.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    figure: Figure,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, i64>> {
    // A stock is read on the counted end even before the period starts; a flow has nothing yet.
    if units.is_empty() || (period.not_started() && !figure.is_stock()) {
        return Ok(HashMap::new());
    }
    if let Some(counted) = figure.rolled_up()
        && rollups::covers_whole_months(period.start, period.counted_end())
    {
        return rollups::sum(db, counted, units, period.start, period.counted_end()).await;
    }
    match figure {
        Figure::Admissions => admissions::admissions(db, units, period).await,
        Figure::Recognitions => admissions::outcomes(db, units, period, "RECOGNISED").await,
        Figure::NamesDeleted => admissions::outcomes(db, units, period, "NOT_RECOGNISED").await,
        Figure::InSource => source::in_source(db, units, period.counted_end()).await,
        Figure::Nominated => source::nominated(db, units, period).await,
    }
}

/// Computes `breakdown` for each of `units` over `period`: per unit, (category, count) pairs,
/// largest first.
pub async fn breakdown<C: ConnectionTrait>(
    db: &C,
    breakdown: Breakdown,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, Vec<(String, i64)>>> {
    if units.is_empty() || (period.not_started() && !breakdown.is_stock()) {
        return Ok(HashMap::new());
    }
    if let Some((counted, granularity)) = breakdown.rolled_up()
        && rollups::covers_whole_months(period.start, period.counted_end())
    {
        return rollups::series(db, counted, units, period.start, period.counted_end(), granularity).await;
    }
    let backend = db.get_database_backend();
    let by_person = |column: &'static str| async move { admissions::by_category(db, units, period, column).await };
    match breakdown {
        Breakdown::AdmissionsByEthnicity => by_person("p.ethnicity").await,
        Breakdown::AdmissionsByGender => by_person("p.gender").await,
        Breakdown::AdmissionsByGeneralEducation => by_person("p.general_education").await,
        Breakdown::AdmissionsByProfessionalEducation => by_person("p.professional_education").await,
        Breakdown::AdmissionsByReligion => by_person("p.religion").await,
        Breakdown::AdmissionsByOccupation => by_person("p.occupation").await,
        Breakdown::AdmissionsByAgeBand => {
            admissions::by_category(db, units, period, &admissions::age_band(backend)).await
        }
        Breakdown::AdmissionsByNominatingBody => admissions::by_nominating_body(db, units, period).await,
        Breakdown::AdmissionsOver(granularity) => series::admissions(db, units, period, granularity).await,
        Breakdown::RecognitionsOver(granularity) => series::recognitions(db, units, period, granularity).await,
        Breakdown::MembersByStatus => membership::by_status(db, units, period.counted_end()).await,
        Breakdown::UnitsByLevel => self::units::by_level(db, units, period.counted_end()).await,
        Breakdown::RemovalsByReason => source::removals_by_reason(db, units, period).await,
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
    fetch_counts(db, &sql, values).await
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
    fetch_categories(db, &sql, values).await
}

/// Runs a statement selecting `unit_id, n`.
pub(crate) async fn fetch_counts<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<HashMap<i64, i64>> {
    let rows = UnitCount::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.unit_id, row.n)).collect())
}

/// Runs a statement selecting `unit_id, category, n`; per unit, largest first, then by name, so a
/// dashboard can print the list as it comes.
pub(crate) async fn fetch_categories<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<HashMap<i64, Vec<(String, i64)>>> {
    let rows = UnitCategoryCount::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    let mut by_unit: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for row in rows {
        by_unit.entry(row.unit_id).or_default().push((row.category.unwrap_or_default(), row.n));
    }
    for categories in by_unit.values_mut() {
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(by_unit)
}

/// The values binding `units` to an `IN (…)` list, and the list's placeholders.
pub(crate) fn unit_list(units: &[i64]) -> (String, Vec<Value>) {
    (placeholders(units.len()), units.iter().map(|id| Value::from(*id)).collect())
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
    // Grouping by position keeps a long category expression (an age band) written once.
    let group = if category.is_some() { "1, 2" } else { "1" };
    let (list, mut values) = unit_list(units);
    values.extend([from.into(), to.into()]);
    // Subtree first, then each cell's facts in the date range by a (cell, date) index. SQLite
    // keeps the left table of a CROSS JOIN outside, which without table statistics it would not
    // always choose (it would read every recognised admission through `ix_admissions_outcome`);
    // PostgreSQL plans a CROSS JOIN with a WHERE like any inner join.
    let mut sql = format!(
        "SELECT c.ancestor_id AS unit_id{select_category}, COUNT(*) AS n FROM unit_closure c CROSS JOIN {source} \
         WHERE c.ancestor_id IN ({list}) AND c.descendant_id = {cell} \
         AND c.valid_from <= {date} AND {date} < c.valid_to AND {date} >= ? AND {date} <= ?"
    );
    if let Some((condition, condition_values)) = condition {
        sql.push_str(" AND ");
        sql.push_str(condition);
        values.extend(condition_values.iter().cloned());
    }
    sql.push_str(&format!(" GROUP BY {group}"));
    (sql, values)
}
