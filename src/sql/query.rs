//! A small builder for the hand-written list statements: joins to a unit's current subtree,
//! conditions with their `?` values kept in text order, and the page (a keyset window) and count
//! statements built from one FROM/WHERE so they can never disagree.

use sea_orm::{ConnectionTrait, FromQueryResult, QueryResult, Value};

use super::keyset::{Keyset, Slice, Window};
use super::{enum_value, statement};
use crate::calendar::OPEN_END;
use crate::entity::vocabulary::UnitLevel;
use crate::error::AppResult;

/// A statement under construction: the FROM clause (with its joins) and the conditions, each
/// with its `?` values in the order they appear in the text.
pub struct Query {
    from: String,
    from_values: Vec<Value>,
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Query {
    pub fn new(from: &str) -> Self {
        Query { from: format!("FROM {from}"), from_values: Vec::new(), conditions: Vec::new(), values: Vec::new() }
    }

    /// Adds a join to the units of `within`'s current subtree on `column`, only cells when
    /// `cells` (the facts of the pipeline are recorded in cells, and the closure index leads with
    /// (ancestor, level, valid_to)).
    pub fn within(mut self, within: i64, column: &str, cells: bool) -> Self {
        self.from.push_str(&format!(
            " JOIN unit_closure c ON c.descendant_id = {column} AND c.ancestor_id = ? AND c.valid_to = ?"
        ));
        self.from_values.extend([within.into(), OPEN_END.into()]);
        if cells {
            self.from.push_str(" AND c.descendant_level = ?");
            self.from_values.push(enum_value(UnitLevel::Cell));
        }
        self
    }

    pub fn join(mut self, join: &str) -> Self {
        self.from.push(' ');
        self.from.push_str(join);
        self
    }

    pub fn and(&mut self, condition: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.conditions.push(condition.into());
        self.values.extend(values);
    }

    /// The FROM … WHERE … text and its values, in order.
    fn body(self) -> (String, Vec<Value>) {
        let text = if self.conditions.is_empty() {
            self.from
        } else {
            format!("{} WHERE {}", self.from, self.conditions.join(" AND "))
        };
        let mut values = self.from_values;
        values.extend(self.values);
        (text, values)
    }

    /// The rows of `window` in the order `keyset`: one index range read from the window's end of
    /// counting, `size + 1` rows (the extra one says whether the list goes on).
    pub async fn page<C: ConnectionTrait>(
        self,
        db: &C,
        select: &str,
        keyset: Keyset<'_>,
        window: &Window<Vec<Value>>,
    ) -> AppResult<Slice<QueryResult>> {
        self.page_with(db, select, &Columns::default(), keyset, window).await
    }

    /// `page` with `columns` computed for each row after those of `select`.
    pub async fn page_with<C: ConnectionTrait>(
        mut self,
        db: &C,
        select: &str,
        columns: &Columns,
        keyset: Keyset<'_>,
        window: &Window<Vec<Value>>,
    ) -> AppResult<Slice<QueryResult>> {
        for (condition, values) in keyset.conditions(window) {
            self.and(condition, values);
        }
        self.from.push_str(&columns.joins);
        self.from_values.extend(columns.join_values.iter().cloned());
        let (body, body_values) = self.body();
        let sql =
            format!("SELECT {select}{} {body} ORDER BY {} LIMIT ?", columns.after_comma(), keyset.order_by(window));
        let mut values = columns.values.clone();
        values.extend(body_values);
        values.push(((window.size + 1) as i64).into());
        let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await?;
        Ok(Slice::of(rows, window))
    }

    /// The number of rows the statement selects.
    pub async fn count<C: ConnectionTrait>(self, db: &C) -> AppResult<u64> {
        let (body, values) = self.body();
        let sql = format!("SELECT COUNT(*) AS n {body}");
        let row = CountRow::find_by_statement(statement(db.get_database_backend(), &sql, values)).one(db).await?;
        Ok(row.map_or(0, |row| row.n.max(0) as u64))
    }
}

/// Columns a statement computes for each of its rows (a unit's figures, `stats::row_figures`),
/// beside the ones it selects: their text, which names the row by its alias, and the values of
/// their `?`s in text order; and the joins they read from, to follow the row's table in the FROM
/// clause, with their values.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub text: String,
    pub values: Vec<Value>,
    /// The columns' names, in text order.
    pub names: Vec<String>,
    /// ` LEFT JOIN …` clauses (each at most one row per row of the statement), or nothing.
    pub joins: String,
    pub join_values: Vec<Value>,
}

impl Columns {
    /// `, <text>` to follow a select list, or nothing when there are no columns.
    pub fn after_comma(&self) -> String {
        if self.text.is_empty() { String::new() } else { format!(", {}", self.text) }
    }

    /// `, NULL AS <name>` for each column: what a row that has none of them selects in their
    /// place, so it can be the union's part beside rows that do.
    pub fn nulls(&self) -> String {
        self.names.iter().map(|name| format!(", NULL AS {name}")).collect()
    }
}

#[derive(FromQueryResult)]
struct CountRow {
    n: i64,
}
