//! The profile dimensions admissions are broken down by — ethnicity, gender, age band at the
//! decision, general and professional education, religion, occupation, nominating body — as SQL
//! over an admission (`a.…`), the admitted person (`p.…`) and the nomination that brought them
//! (`n.…`), and the statements of their maintained summary `unit_month_profiles`: admissions per
//! province (`SUMMARISED`), calendar month and category of each dimension, with the sum of the
//! counted people's disclosure keys, each admission counted toward the province its cell stood
//! under on the decision date (the attribution of `unit_month_counts`).
//!
//! The live breakdowns (`stats::admissions::by_profiles`) and the summary group by the same
//! expressions, so a whole-month period reads the same categories, counts and keys from either;
//! `stats::admissions::by_profiles_in_months` reads a province's from the summary and any other
//! unit's live, in one statement.
//! The summary is kept exact in the transaction of every change that moves a contribution:
//! - an admission recorded or corrected (`domain::rollup::admission_writes`), a ±1 per dimension
//!   computed from the person as they stand when the statement runs;
//! - a correction of an admitted person's profile (`domain::people`): a −1 before the person's
//!   row changes and a +1 after;
//! - a change to the tree, from the change's month on, and bulk loads and
//!   `ketnap rebuild-rollups`, whole (`recount`).
//!
//! A row whose count falls to zero is deleted, so the table always equals a full recount.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::batch::Writes;
use super::dialect::{cast_bigint, month_start, whole_months};
use super::{id_list, statement};
use crate::error::AppResult;

/// The age bands admissions are reported by, with the first whole year of age *past* each band:
/// up to 30 (the Youth Union's age, thanh niên), 31–45, 46–60, over 60 (admitted only with a
/// central exception).
pub const AGE_BANDS: [(&str, u32); 4] =
    [("YOUTH_UP_TO_30", 31), ("FROM_31_TO_45", 46), ("FROM_46_TO_60", 61), ("OVER_60", u32::MAX)];

/// The level of the units whose admissions by profile are kept as rows. A province's year counted
/// live walks tens of thousands of admissions and reads each person; a district's a tenth of that,
/// which its live statement reads in a few milliseconds, while rows for every unit below would
/// multiply the table seventy times over (27 million rows at national scale, against 380,563).
pub const SUMMARISED: &str = "PROVINCE";

/// The category a nominating body takes for admissions recorded without a nomination (a roster
/// import); the API's admissions always have one.
pub const NO_NOMINATION: &str = "UNKNOWN";

/// A dimension of the admitted person's profile that admissions are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Ethnicity,
    Gender,
    AgeBand,
    GeneralEducation,
    ProfessionalEducation,
    Religion,
    Occupation,
    NominatingBody,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 8] = [
        Dimension::Ethnicity,
        Dimension::Gender,
        Dimension::AgeBand,
        Dimension::GeneralEducation,
        Dimension::ProfessionalEducation,
        Dimension::Religion,
        Dimension::Occupation,
        Dimension::NominatingBody,
    ];

    /// The dimension as `unit_month_profiles.dimension` stores it.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Ethnicity => "ETHNICITY",
            Dimension::Gender => "GENDER",
            Dimension::AgeBand => "AGE_BAND",
            Dimension::GeneralEducation => "GENERAL_EDUCATION",
            Dimension::ProfessionalEducation => "PROFESSIONAL_EDUCATION",
            Dimension::Religion => "RELIGION",
            Dimension::Occupation => "OCCUPATION",
            Dimension::NominatingBody => "NOMINATING_BODY",
        }
    }

    /// The category of an admission in this dimension, as SQL over the admission (`a.…`), its
    /// person (`p.…`) and nomination (`n.…`, null without one).
    pub fn expression(self, backend: DbBackend) -> String {
        let person = |column: &str| format!("p.{column}");
        match self {
            Dimension::Ethnicity => person("ethnicity"),
            Dimension::Gender => person("gender"),
            Dimension::GeneralEducation => person("general_education"),
            Dimension::ProfessionalEducation => person("professional_education"),
            Dimension::Religion => person("religion"),
            Dimension::Occupation => person("occupation"),
            Dimension::AgeBand => age_band(backend),
            Dimension::NominatingBody => format!("COALESCE(n.nominating_body, '{NO_NOMINATION}')"),
        }
    }
}

/// The age band of the admitted person at the decision, as SQL over `p.date_of_birth` and
/// `a.decision_date`: the age in whole months as the Charter counts it (see `whole_months`),
/// compared with each band's first month past it (31 full years = 372 months for the youth band).
fn age_band(backend: DbBackend) -> String {
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

/// `SELECT 'AGE_BAND' AS dimension UNION ALL …`: every dimension as a row, to cross join with
/// a row holding each dimension's category (`c0`, `c1`, … in `Dimension::ALL`'s order).
fn dimension_rows() -> String {
    let rows: Vec<String> = Dimension::ALL.iter().map(|d| format!("SELECT '{}' AS dimension", d.name())).collect();
    rows.join(" UNION ALL ")
}

/// The select list `<category of ALL[0]> AS c0, …` over `a`, `p` and `n`.
fn category_columns(backend: DbBackend) -> String {
    let columns: Vec<String> =
        Dimension::ALL.iter().enumerate().map(|(i, d)| format!("{} AS c{i}", d.expression(backend))).collect();
    columns.join(", ")
}

/// Picks, for the dimension of row `d`, its category from row `x`'s columns `c0`, `c1`, ….
fn pick_category() -> String {
    let arms: String =
        Dimension::ALL.iter().enumerate().map(|(i, d)| format!(" WHEN '{}' THEN x.c{i}", d.name())).collect();
    format!("CASE d.dimension{arms} END")
}

/// One admission's part in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admitted {
    pub cell_id: i64,
    pub decided_on: NaiveDate,
    pub person_id: i64,
    pub nomination_id: Option<i64>,
}

/// The statements that add `delta` (±1) to the admission's category in every dimension — of its
/// person and nomination as they stand when the statement runs — for the province its cell stood
/// under on the decision date, and on a withdrawal delete the rows it took to zero.
pub fn upserts(backend: DbBackend, admitted: &Admitted, delta: i64) -> Writes {
    let month = crate::calendar::month_start(admitted.decided_on);
    let on = admitted.decided_on;
    // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join constraint.
    // ORDER BY: concurrent writers lock the rows they share in one order (unit, dimension,
    // category), else two could each hold a row the other waits for.
    let sql = format!(
        "INSERT INTO unit_month_profiles (unit_id, month, dimension, category, admissions, key_sum) \
         SELECT c.ancestor_id, ?, d.dimension, {pick}, ?, ? * x.k \
         FROM unit_closure c JOIN units u ON u.id = c.ancestor_id \
         CROSS JOIN (SELECT {columns}, p.disclosure_key AS k FROM persons p \
           LEFT JOIN nominations n ON n.id = ? CROSS JOIN (SELECT ? AS decision_date) a WHERE p.id = ?) x \
         CROSS JOIN ({dimensions}) d \
         WHERE c.descendant_id = ? AND c.valid_from <= ? AND ? < c.valid_to AND u.level = '{SUMMARISED}' \
         ORDER BY 1, 3, 4 \
         ON CONFLICT (unit_id, month, dimension, category) DO UPDATE SET \
         admissions = unit_month_profiles.admissions + excluded.admissions, \
         key_sum = unit_month_profiles.key_sum + excluded.key_sum",
        pick = pick_category(),
        columns = category_columns(backend),
        dimensions = dimension_rows(),
    );
    let values = vec![
        month.into(),
        delta.into(),
        delta.into(),
        Value::from(admitted.nomination_id),
        on.into(),
        admitted.person_id.into(),
        admitted.cell_id.into(),
        on.into(),
        on.into(),
    ];
    let mut writes = Writes::default();
    writes.upsert("unit_month_profiles", sql, values);
    if delta < 0 {
        writes.then(
            "DELETE FROM unit_month_profiles WHERE month = ? AND admissions = 0 \
             AND unit_id IN (SELECT ancestor_id FROM unit_closure \
                             WHERE descendant_id = ? AND valid_from <= ? AND ? < valid_to)"
                .to_owned(),
            vec![month.into(), admitted.cell_id.into(), on.into(), on.into()],
        );
    }
    writes
}

/// Recounts the summary rows of `units` (every province when none; units at other levels keep no
/// rows) from the month of `from` on (all when none), from the admissions, persons and
/// nominations as they stand; must run inside a transaction, after the recount of
/// `unit_month_counts` when both run (the order of their locks).
pub async fn recount<C: ConnectionTrait>(db: &C, units: Option<&[i64]>, from: Option<NaiveDate>) -> AppResult<()> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // As the rollup's recount: wait for the upserts under way, hold new ones until this commits.
        db.execute_raw(statement(backend, "LOCK TABLE unit_month_profiles IN SHARE ROW EXCLUSIVE MODE", vec![]))
            .await?;
    }
    let mut delete = String::from("DELETE FROM unit_month_profiles WHERE 1 = 1");
    let mut scope = String::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(units) = units {
        let (list, ids) = id_list(units);
        delete.push_str(&format!(" AND unit_id IN ({list})"));
        scope.push_str(&format!(" AND c.ancestor_id IN ({list})"));
        values.extend(ids);
    }
    if let Some(from) = from {
        delete.push_str(" AND month >= ?");
        scope.push_str(" AND a.decision_date >= ?");
        values.push(crate::calendar::month_start(from).into());
    }
    db.execute_raw(statement(backend, &delete, values.clone())).await?;
    let insert = format!(
        "INSERT INTO unit_month_profiles (unit_id, month, dimension, category, admissions, key_sum) \
         SELECT x.unit_id, x.month, d.dimension, {pick}, COUNT(*), {keys} \
         FROM (SELECT c.ancestor_id AS unit_id, {month} AS month, {columns}, p.disclosure_key AS k \
               FROM unit_closure c JOIN units u ON u.id = c.ancestor_id AND u.level = '{SUMMARISED}' \
               JOIN admissions a ON a.cell_id = c.descendant_id \
               AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to \
               JOIN persons p ON p.id = a.person_id LEFT JOIN nominations n ON n.id = a.nomination_id \
               WHERE 1 = 1{scope}) x \
         CROSS JOIN ({dimensions}) d GROUP BY 1, 2, 3, 4",
        pick = pick_category(),
        keys = cast_bigint(backend, "SUM(x.k)"),
        month = month_start(backend, "a.decision_date"),
        columns = category_columns(backend),
        dimensions = dimension_rows(),
    );
    db.execute_raw(statement(backend, &insert, values)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dimension_has_its_own_stored_name() {
        let mut names: Vec<&str> = Dimension::ALL.iter().map(|d| d.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 8, "no two dimensions share a stored name");
    }

    #[test]
    fn the_age_bands_close_with_an_open_band() {
        let sql = age_band(DbBackend::Sqlite);
        assert!(sql.starts_with("CASE WHEN"));
        assert!(sql.contains("< 372 THEN 'YOUTH_UP_TO_30'"));
        assert!(sql.ends_with("ELSE 'OVER_60' END"));
    }
}
