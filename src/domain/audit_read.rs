//! Reading the audit trail: the changes under a unit's subtree, to one person, by one user, in a
//! time range; newest first, with keyset pagination on the (increasing) row id from either end.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::scope::person_in_subtree;
use crate::calendar::OPEN_END;
use crate::entity::audit_log;
use crate::error::AppResult;
use crate::sql::keyset::{Keyset, Slice, Window};
use crate::sql::query::Query;

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

fn audit_query(filter: &AuditFilter) -> Query {
    let mut query = Query::new("audit_log a");
    if let Some(root) = filter.within {
        let (person_condition, person_values) = person_in_subtree(root.into());
        let mut values: Vec<Value> = vec![root.into(), OPEN_END.into()];
        values.extend(person_values);
        query.and(
            format!(
                "(a.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ?) \
                 OR (a.unit_id IS NULL AND EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id AND {person_condition})))"
            ),
            values,
        );
    }
    if let Some(person) = filter.person {
        query.and("a.person_id = ?", [person.into()]);
    }
    if let Some(actor) = &filter.actor {
        query.and("a.actor_subject = ?", [actor.clone().into()]);
    }
    if let Some(operation) = &filter.operation {
        query.and("a.operation = ?", [operation.clone().into()]);
    }
    if let Some(from) = filter.from {
        query.and("a.occurred_at >= ?", [from.into()]);
    }
    if let Some(until) = filter.until {
        query.and("a.occurred_at < ?", [until.into()]);
    }
    query
}

/// The entries matching `filter` in `window` (bounded by entry ids), newest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    window: &Window<i64>,
) -> AppResult<Slice<audit_log::Model>> {
    let bounds = window.map(|id| vec![Value::from(*id)]);
    let newest_first = Keyset { columns: &["a.id"], descending: true };
    let rows = audit_query(filter).page(db, "a.*", newest_first, &bounds).await?;
    Ok(rows.try_map(|row| audit_log::Model::from_query_result(&row, ""))?)
}

/// The number of entries matching `filter`.
pub async fn count<C: ConnectionTrait>(db: &C, filter: &AuditFilter) -> AppResult<u64> {
    audit_query(filter).count(db).await
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
