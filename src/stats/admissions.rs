//! Admission figures: decisions dated in the period, the outcomes of probation decided in it, and
//! admissions broken down by the admitted person's profile.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::{DatedFacts, count_dated, count_dated_by};
use crate::domain::period::Period;
use crate::error::AppResult;

/// Admissions decided in the period, counted toward the cell's ancestors on the decision date.
pub async fn admissions<C: ConnectionTrait>(db: &C, units: &[i64], period: &Period) -> AppResult<HashMap<i64, i64>> {
    let facts = DatedFacts { source: "admissions a", cell: "a.cell_id", date: "a.decision_date", condition: None };
    count_dated(db, facts, units, period.start, period.counted_end()).await
}

/// Probation outcomes (`RECOGNISED`, `NOT_RECOGNISED`) decided in the period, counted toward the
/// admitting cell's ancestors on the outcome decision date.
pub async fn outcomes<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    outcome: &str,
) -> AppResult<HashMap<i64, i64>> {
    let facts = DatedFacts {
        source: "admissions a",
        cell: "a.cell_id",
        date: "a.outcome_decision_date",
        condition: Some(("a.outcome = ?", vec![outcome.into()])),
    };
    count_dated(db, facts, units, period.start, period.counted_end()).await
}

/// Admissions in the period by a column of the admitted person (`p.…`).
pub async fn by_category<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
    category: &str,
) -> AppResult<HashMap<i64, Vec<(String, i64)>>> {
    let facts = DatedFacts {
        source: "admissions a JOIN persons p ON p.id = a.person_id",
        cell: "a.cell_id",
        date: "a.decision_date",
        condition: None,
    };
    count_dated_by(db, facts, units, period.start, period.counted_end(), category).await
}
