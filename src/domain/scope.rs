//! Where things stand relative to a user's scope (the current subtree of one unit): the batched
//! questions authorization asks, each one statement for a whole list of ids.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::calendar::OPEN_END;
use crate::error::AppResult;
use crate::ids::{PersonId, RecordId, UnitId};
use crate::sql::placeholders;
use crate::sql::statement;

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

async fn ids<C: ConnectionTrait, K: RecordId>(db: &C, sql: &str, values: Vec<Value>) -> AppResult<HashSet<K>> {
    let rows = IdRow::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| K::from(row.id)).collect())
}

/// Which of `units` lie in the current subtree of `root` (itself included). Dissolved units stay
/// in the subtree they were last part of.
pub async fn units_within<C: ConnectionTrait>(db: &C, root: UnitId, units: &[UnitId]) -> AppResult<HashSet<UnitId>> {
    if units.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT descendant_id AS id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ? AND descendant_id IN ({})",
        placeholders(units.len())
    );
    let mut values: Vec<Value> = vec![root.into(), OPEN_END.into()];
    values.extend(units.iter().map(|id| Value::from(*id)));
    ids(db, &sql, values).await
}

/// The units above `root` today (its ancestors, itself excluded).
pub async fn ancestors_of<C: ConnectionTrait>(db: &C, root: UnitId) -> AppResult<HashSet<UnitId>> {
    let sql = "SELECT ancestor_id AS id FROM unit_closure WHERE descendant_id = ? AND valid_to = ? AND depth > 0";
    ids(db, sql, vec![root.into(), OPEN_END.into()]).await
}

/// The condition "person `p` belongs to the subtree of `root`": nominated or admitted in it, or a
/// member there now. A member who transferred away still belongs where they were admitted (those
/// records are that committee's), and also to their new cell's subtree. `people(within:)` and
/// authorization share it, so a list never shows someone whose record it could not open.
pub(crate) fn person_in_subtree(root: UnitId) -> (String, Vec<Value>) {
    let closure = "JOIN unit_closure c ON c.descendant_id = {cell} AND c.ancestor_id = ? AND c.valid_to = ?";
    let nominated = closure.replace("{cell}", "n.cell_id");
    let admitted = closure.replace("{cell}", "a.cell_id");
    let member = closure.replace("{cell}", "s.cell_id");
    let sql = format!(
        "(EXISTS (SELECT 1 FROM nominations n {nominated} WHERE n.person_id = p.id) \
         OR EXISTS (SELECT 1 FROM admissions a {admitted} WHERE a.person_id = p.id) \
         OR EXISTS (SELECT 1 FROM members m JOIN member_stints s ON s.member_id = m.id AND s.valid_to = ? \
         {member} WHERE m.person_id = p.id))"
    );
    let values =
        vec![root.into(), OPEN_END.into(), root.into(), OPEN_END.into(), OPEN_END.into(), root.into(), OPEN_END.into()];
    (sql, values)
}

/// Which of `persons` belong to the subtree of `root` (see `person_in_subtree`).
pub async fn persons_within<C: ConnectionTrait>(
    db: &C,
    root: UnitId,
    persons: &[PersonId],
) -> AppResult<HashSet<PersonId>> {
    if persons.is_empty() {
        return Ok(HashSet::new());
    }
    let (condition, condition_values) = person_in_subtree(root);
    let sql =
        format!("SELECT p.id AS id FROM persons p WHERE p.id IN ({}) AND {condition}", placeholders(persons.len()));
    let mut values: Vec<Value> = persons.iter().map(|id| Value::from(*id)).collect();
    values.extend(condition_values);
    ids(db, &sql, values).await
}
