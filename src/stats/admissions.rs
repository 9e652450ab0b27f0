//! Admission figures: decisions dated in the period, the outcomes of probation decided in it, and
//! admissions broken down by the admitted person's profile, age band and nominating body.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend};

use crate::error::AppResult;
use crate::sql::dated::{Category, DatedFacts, Window, count_dated, count_dated_by_each};
use crate::sql::dialect::whole_months;

/// The age bands admissions are reported by, with the first whole year of age *past* each band:
/// up to 30 (the Youth Union's age, thanh niên), 31–45, 46–60, over 60 (admitted only with a
/// central exception).
pub const AGE_BANDS: [(&str, u32); 4] =
    [("YOUTH_UP_TO_30", 31), ("FROM_31_TO_45", 46), ("FROM_46_TO_60", 61), ("OVER_60", u32::MAX)];

/// The category a nominating body takes for admissions recorded without a nomination (a roster
/// import); the API's admissions always have one.
pub const NO_NOMINATION: &str = "UNKNOWN";

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

/// The nominating body of an admission's person, `NO_NOMINATION` without one.
pub fn nominating_body() -> String {
    format!("COALESCE(n.nominating_body, '{NO_NOMINATION}')")
}

/// Admissions in the period by each of `categories`, expressions over the admission (`a.…`), the
/// admitted person (`p.…`) and the nomination (`n.…`): one statement for all of them, one map per
/// category in their order.
pub async fn by_profiles<C: ConnectionTrait>(
    db: &C,
    windows: &[Window],
    categories: &[&str],
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    count_dated_by_each(db, ADMITTED_PROFILES, windows, categories).await
}

/// The age band of the admitted person at the decision, as SQL over `p.date_of_birth` and
/// `a.decision_date`: the age in whole months as the Charter counts it (see `sql::whole_months`),
/// compared with each band's first month past it (31 full years = 372 months for the youth band).
pub fn age_band(backend: DbBackend) -> String {
    let months = whole_months(backend, "p.date_of_birth", "a.decision_date");
    let mut sql = String::from("CASE");
    for (band, past_years) in AGE_BANDS {
        if past_years == u32::MAX {
            sql.push_str(&format!(" ELSE '{band}' END"));
        } else {
            sql.push_str(&format!(" WHEN {months} < {} THEN '{band}'", past_years * 12));
        }
    }
    sql
}
