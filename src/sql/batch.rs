//! Writes to the rows concurrent transactions share, sent in as few round trips as the database
//! allows. Every admission of a province on a day adds to the same summary rows (its stock rows,
//! its ancestors' monthly rollup rows); each holds them locked from its first upsert to its
//! commit, so the others queue for exactly that long. `Writes` gathers those upserts and runs
//! them last in the transaction: on PostgreSQL as one statement (each upsert a data-modifying
//! `WITH`, run in the order given), on SQLite — whose writers are serialised already — one after
//! another.
//!
//! One statement may not upsert the same row twice (PostgreSQL refuses: "ON CONFLICT DO UPDATE
//! command cannot affect row a second time"), so an upsert into a table the statement already
//! writes starts the next statement.
//!
//! Order matters for deadlocks: every writer must lock shared rows in one order (stocks before
//! the rollup, each table's rows in key order). The combined statement reads each upsert's
//! `RETURNING` in a scalar subquery of its select list, in the order given, which is the order
//! PostgreSQL evaluates them in.

use sea_orm::{ConnectionTrait, DbBackend, Value};

use super::statement;
use crate::error::AppResult;

/// One `INSERT … ON CONFLICT …` written with `?` placeholders, and its values.
type Upsert = (String, Vec<Value>);

/// An upsert and the table it writes.
#[derive(Debug)]
struct TableUpsert {
    table: &'static str,
    upsert: Upsert,
}

/// Upserts to shared rows, and the statements that must see their effect (a cleanup of rows an
/// upsert took to zero), to run at the end of a transaction.
#[derive(Debug, Default)]
pub struct Writes {
    upserts: Vec<TableUpsert>,
    then: Vec<Upsert>,
}

impl Writes {
    /// Adds an upsert into `table` (an `INSERT`, without `RETURNING`).
    pub fn upsert(&mut self, table: &'static str, sql: String, values: Vec<Value>) {
        self.upserts.push(TableUpsert { table, upsert: (sql, values) });
    }

    /// Adds a statement that runs after every upsert and sees what they wrote.
    pub fn then(&mut self, sql: String, values: Vec<Value>) {
        self.then.push((sql, values));
    }

    /// Appends `other`'s upserts after this one's (and its later statements after these).
    pub fn extend(&mut self, other: Writes) {
        self.upserts.extend(other.upserts);
        self.then.extend(other.then);
    }

    /// Runs the upserts (on PostgreSQL one statement per run of distinct tables), then the
    /// statements that follow them.
    pub async fn run<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        let backend = db.get_database_backend();
        let statements = match backend {
            DbBackend::Postgres => statements(self.upserts),
            _ => self.upserts.into_iter().map(|pending| pending.upsert).collect(),
        };
        for (sql, values) in statements.into_iter().chain(self.then) {
            db.execute_raw(statement(backend, &sql, values)).await?;
        }
        Ok(())
    }
}

/// The upserts grouped into statements: each group the longest run that writes no table twice.
fn statements(upserts: Vec<TableUpsert>) -> Vec<Upsert> {
    let mut groups: Vec<Vec<TableUpsert>> = Vec::new();
    for pending in upserts {
        match groups.last_mut() {
            Some(group) if group.iter().all(|earlier| earlier.table != pending.table) => group.push(pending),
            _ => groups.push(vec![pending]),
        }
    }
    groups
        .into_iter()
        .map(|mut group| match group.len() {
            1 => group.remove(0).upsert,
            _ => combined(group.into_iter().map(|pending| pending.upsert).collect()),
        })
        .collect()
}

/// `WITH w0 AS (upsert RETURNING 1), w1 AS (…) SELECT (SELECT COUNT(*) FROM w0), …`: the select
/// list's subqueries run each upsert, in order.
fn combined(upserts: Vec<Upsert>) -> Upsert {
    let mut parts = Vec::with_capacity(upserts.len());
    let mut counts = Vec::with_capacity(upserts.len());
    let mut all_values = Vec::new();
    for (n, (sql, values)) in upserts.into_iter().enumerate() {
        parts.push(format!("w{n} AS ({sql} RETURNING 1)"));
        counts.push(format!("(SELECT COUNT(*) FROM w{n})"));
        all_values.extend(values);
    }
    (format!("WITH {} SELECT {}", parts.join(", "), counts.join(", ")), all_values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upsert_into(table: &'static str, n: i32) -> TableUpsert {
        TableUpsert { table, upsert: (format!("INSERT INTO {table} (x) VALUES (?)"), vec![n.into()]) }
    }

    #[test]
    fn a_table_written_twice_starts_the_next_statement() {
        let grouped =
            statements(vec![upsert_into("a", 1), upsert_into("b", 2), upsert_into("a", 3), upsert_into("c", 4)]);
        let sql: Vec<&str> = grouped.iter().map(|(sql, _)| sql.as_str()).collect();
        assert_eq!(
            sql,
            vec![
                "WITH w0 AS (INSERT INTO a (x) VALUES (?) RETURNING 1), w1 AS (INSERT INTO b (x) VALUES (?) RETURNING 1) \
                 SELECT (SELECT COUNT(*) FROM w0), (SELECT COUNT(*) FROM w1)",
                "WITH w0 AS (INSERT INTO a (x) VALUES (?) RETURNING 1), w1 AS (INSERT INTO c (x) VALUES (?) RETURNING 1) \
                 SELECT (SELECT COUNT(*) FROM w0), (SELECT COUNT(*) FROM w1)",
            ]
        );
        assert_eq!(statements(vec![upsert_into("a", 1)])[0].0, "INSERT INTO a (x) VALUES (?)");
    }

    #[test]
    fn upserts_combine_in_the_order_given_with_their_values_in_that_order() {
        let (sql, values) = combined(vec![
            ("INSERT INTO a (x) VALUES (?)".to_owned(), vec![1.into()]),
            ("INSERT INTO b (y) VALUES (?, ?)".to_owned(), vec![2.into(), 3.into()]),
        ]);
        assert_eq!(
            sql,
            "WITH w0 AS (INSERT INTO a (x) VALUES (?) RETURNING 1), w1 AS (INSERT INTO b (y) VALUES (?, ?) RETURNING 1) \
             SELECT (SELECT COUNT(*) FROM w0), (SELECT COUNT(*) FROM w1)"
        );
        assert_eq!(values, vec![Value::from(1), Value::from(2), Value::from(3)]);
    }
}
