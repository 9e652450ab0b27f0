//! Reading the audit trail: the changes under a unit's subtree, to one person, by one user, in a
//! time range; newest first, with keyset pagination on the (increasing) row id.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::scope::person_in_subtree;
use crate::calendar::OPEN_END;
use crate::entity::audit_log;
use crate::error::AppResult;
use crate::sql::statement;

/// Which audit entries to list; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Changes to units of this unit's current subtree, or to people who belong to it.
    pub within: Option<i64>,
    pub person: Option<i64>,
    /// The token subject of the user who made the change.
    pub actor: Option<String>,
    /// The mutation's name, e.g. `admit`.
    pub operation: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub until: Option<DateTime<Utc>>,
}

fn where_clause(filter: &AuditFilter) -> (String, Vec<Value>) {
    let mut conditions: Vec<String> = vec!["1 = 1".into()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(root) = filter.within {
        let (person_condition, person_values) = person_in_subtree(root);
        conditions.push(format!(
            "(a.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ?) \
             OR (a.unit_id IS NULL AND EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id AND {person_condition})))"
        ));
        values.extend([root.into(), OPEN_END.into()]);
        values.extend(person_values);
    }
    if let Some(person) = filter.person {
        conditions.push("a.person_id = ?".into());
        values.push(person.into());
    }
    if let Some(actor) = &filter.actor {
        conditions.push("a.actor_subject = ?".into());
        values.push(actor.clone().into());
    }
    if let Some(operation) = &filter.operation {
        conditions.push("a.operation = ?".into());
        values.push(operation.clone().into());
    }
    if let Some(from) = filter.from {
        conditions.push("a.occurred_at >= ?".into());
        values.push(from.into());
    }
    if let Some(until) = filter.until {
        conditions.push("a.occurred_at < ?".into());
        values.push(until.into());
    }
    (conditions.join(" AND "), values)
}

/// Up to `limit + 1` entries matching `filter` older than the entry `before_id`, newest first (the
/// extra row only says another page follows).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: u64,
) -> AppResult<Vec<audit_log::Model>> {
    let (mut condition, mut values) = where_clause(filter);
    if let Some(before) = before_id {
        condition.push_str(" AND a.id < ?");
        values.push(before.into());
    }
    values.push(((limit + 1) as i64).into());
    let sql = format!("SELECT a.* FROM audit_log a WHERE {condition} ORDER BY a.id DESC LIMIT ?");
    Ok(audit_log::Model::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?)
}

#[derive(FromQueryResult)]
struct CountRow {
    n: i64,
}

/// The number of entries matching `filter`.
pub async fn count<C: ConnectionTrait>(db: &C, filter: &AuditFilter) -> AppResult<u64> {
    let (condition, values) = where_clause(filter);
    let sql = format!("SELECT COUNT(*) AS n FROM audit_log a WHERE {condition}");
    let row = CountRow::find_by_statement(statement(db.get_database_backend(), &sql, values)).one(db).await?;
    Ok(row.map_or(0, |row| row.n.max(0) as u64))
}

/// The top-level fields whose values differ between two JSON records (all of them for a creation).
pub fn changed_fields(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before = before.and_then(serde_json::Value::as_object).unwrap_or(&empty);
    let after = after.and_then(serde_json::Value::as_object).unwrap_or(&empty);
    let mut fields: Vec<String> =
        before.keys().chain(after.keys()).filter(|key| before.get(*key) != after.get(*key)).cloned().collect();
    fields.sort();
    fields.dedup();
    fields.retain(|field| field != "updated_at");
    fields
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changed_fields_lists_what_differs_and_ignores_the_timestamp() {
        let before = json!({ "name": "Xá Nhè", "code": "XN", "updated_at": "a" });
        let after = json!({ "name": "Xã Xá Nhè", "code": "XN", "updated_at": "b" });
        assert_eq!(changed_fields(Some(&before), Some(&after)), vec!["name".to_owned()]);
        assert_eq!(changed_fields(None, Some(&json!({ "value": 3 }))), vec!["value".to_owned()]);
    }
}
