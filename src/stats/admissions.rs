//! Admission figures: decisions dated in the period, the outcomes of probation decided in it, and
//! admissions broken down by the admitted person's profile, age band and nominating body.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend};

use super::rollups;
use super::stocks::Split;
use crate::error::AppResult;
use crate::sql::dated::{
    Category, Counted, DatedFacts, Tree, Units, Window, count_dated, count_dated_by_each, dated_select_by_each,
    fetch_by_each,
};
use crate::sql::profiles::{Dimension, SUMMARISED};

/// Admission decisions, on their date.
pub const ADMITTED: DatedFacts<'static> =
    DatedFacts { source: "admissions a", cell: "a.cell_id", date: "a.decision_date", condition: None, key: None };

/// Probation outcomes of one kind (`RECOGNISED`, `NOT_RECOGNISED`), on their decision date.
pub fn outcome_facts(outcome: &str) -> DatedFacts<'static> {
    DatedFacts {
        source: "admissions a",
        cell: "a.cell_id",
        date: "a.outcome_decision_date",
        condition: Some(("a.outcome = ?", vec![outcome.into()])),
        key: None,
    }
}

/// Admissions decided in the period, counted toward the cell's ancestors on the decision date.
pub async fn admissions<C: ConnectionTrait>(db: &C, windows: &[Window]) -> AppResult<HashMap<i64, i64>> {
    count_dated(db, ADMITTED, windows).await
}

/// Probation outcomes (`RECOGNISED`, `NOT_RECOGNISED`) decided in the period, counted toward the
/// admitting cell's ancestors on the outcome decision date.
pub async fn outcomes<C: ConnectionTrait>(db: &C, windows: &[Window], outcome: &str) -> AppResult<HashMap<i64, i64>> {
    count_dated(db, outcome_facts(outcome), windows).await
}

/// Admissions with the admitted person (`p.…`) and the nomination that brought them (`n.…`, null
/// for a roster import): what every profile breakdown groups.
const ADMITTED_PROFILES: DatedFacts<'static> = DatedFacts {
    source: "admissions a JOIN persons p ON p.id = a.person_id LEFT JOIN nominations n ON n.id = a.nomination_id",
    cell: "a.cell_id",
    date: "a.decision_date",
    condition: None,
    key: Some("p.disclosure_key"),
};

/// Admissions dated in each window by each of `dimensions` of the admitted person's profile,
/// counted live: one statement for all of them, one map per dimension in their order.
pub async fn by_profiles<C: ConnectionTrait>(
    db: &C,
    windows: &[Window],
    dimensions: &[Dimension],
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    let expressions = expressions(db.get_database_backend(), dimensions);
    let categories: Vec<&str> = expressions.iter().map(String::as_str).collect();
    count_dated_by_each(db, ADMITTED_PROFILES, windows, &categories).await
}

/// `by_profiles` for units sharing whole calendar months `from` to `to` counted on the facts'
/// dates: the units split by level (`stocks::Split`), then one statement, a province's counts
/// from the summary (`stats::rollups::profiles_select`), any other unit's live.
pub async fn by_profiles_in_months<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    dimensions: &[Dimension],
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    if units.is_empty() || dimensions.is_empty() {
        return Ok(vec![HashMap::new(); dimensions.len()]);
    }
    let backend = db.get_database_backend();
    let expressions = expressions(backend, dimensions);
    let categories: Vec<&str> = expressions.iter().map(String::as_str).collect();
    // Split first rather than leave the live part to find no unit: PostgreSQL reuses a prepared
    // statement's generic plan, and that plan walks a province's year of admissions with their
    // persons and nominations (24 ms on the national database) before its last join drops them.
    let split = Split::at(db, units, SUMMARISED).await?;
    let (sql, values) = split.select(
        |kept| rollups::profiles_select(backend, kept, from, to, dimensions),
        |live| {
            let counted = Counted::Shared { units: Units::Ids(live), from, to, tree: Tree::OnFactDate };
            dated_select_by_each(&ADMITTED_PROFILES, &counted, &categories)
        },
    );
    fetch_by_each(db, &sql, values, dimensions.len()).await
}

fn expressions(backend: DbBackend, dimensions: &[Dimension]) -> Vec<String> {
    dimensions.iter().map(|dimension| dimension.expression(backend)).collect()
}
