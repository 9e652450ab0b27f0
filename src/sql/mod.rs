//! The one SQL toolkit, on the ground floor: everything the hand-written statements of the
//! domain reads, the rollup and the stats share — placeholders and their numbering per backend
//! (`statement`, `placeholders`, `id_list`), the upserts to shared rows sent as one statement
//! (`batch`), the few expressions that differ between SQLite and PostgreSQL (`dialect`), the
//! dated join of facts to their cell's ancestors (`dated`), the profile dimensions admissions are
//! broken down by and their maintained summary (`profiles`), the maintained awareness cohorts
//! (`cohorts`), the maintained figures of a unit's year (`year_figures`), the list statement builder (`query`) and its keyset windows (`keyset`), and
//! reading columns by position without the driver's per-value checks (`read`).
//!
//! Hand-written SQL is kept for the set-based tree, list and report queries, where it reads far
//! more clearly than a builder; our SQL never contains a literal `?`.

pub mod batch;
pub mod cohorts;
pub mod dated;
pub mod dialect;
pub mod keyset;
pub mod profiles;
pub mod query;
pub mod read;
pub mod stocks;
pub mod year_figures;

use sea_orm::{ActiveEnum, DbBackend, Statement, Value};

/// Builds a statement from SQL written with `?` placeholders, numbering them `$1, $2, …` for
/// PostgreSQL.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => number_placeholders(sql),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn number_placeholders(sql: &str) -> String {
    let mut numbered = String::with_capacity(sql.len() + 16);
    let mut next = 0;
    for ch in sql.chars() {
        if ch == '?' {
            next += 1;
            numbered.push('$');
            numbered.push_str(&next.to_string());
        } else {
            numbered.push(ch);
        }
    }
    numbered
}

/// `?, ?, …` for an IN list of `n` values.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The placeholders of an `IN (…)` list of `ids`, and the values binding them.
pub fn id_list(ids: &[i64]) -> (String, Vec<Value>) {
    (placeholders(ids.len()), ids.iter().map(|id| Value::from(*id)).collect())
}

/// The stored text of an enumeration value, as a statement value.
pub fn enum_value<E: ActiveEnum<Value = String>>(value: E) -> Value {
    value.to_value().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_for_postgres() {
        assert_eq!(number_placeholders("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)");
        let built = statement(DbBackend::Postgres, "a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(built.sql, "a = $1 AND b = $2");
        assert_eq!(statement(DbBackend::Sqlite, "a = ?", vec![1.into()]).sql, "a = ?");
    }

    #[test]
    fn lists_ids_as_placeholders_and_values() {
        assert_eq!(placeholders(3), "?, ?, ?");
        assert_eq!(placeholders(0), "");
        assert_eq!(id_list(&[7, 9]), ("?, ?".to_owned(), vec![Value::from(7i64), Value::from(9i64)]));
    }
}
