//! Writing the audit trail: every mutation records who changed which record, and the record's
//! fields before and after, in the mutation's own transaction (so a failed mutation leaves none).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};
use serde::Serialize;

use crate::entity::audit_log;
use crate::error::{AppError, AppResult};

/// Who is making a change: the authenticated user, or the system (importers, the demo loader).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub subject: Option<String>,
    pub name: Option<String>,
}

impl Actor {
    /// A change made by the service itself (command-line importers, demo data).
    pub fn system(name: &str) -> Self {
        Actor { subject: Some(format!("system:{name}")), name: Some(name.to_owned()) }
    }
}

/// One change to one record.
pub struct Change<'a, T: Serialize> {
    pub operation: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

/// Appends `change` to the audit trail.
pub async fn record<C: ConnectionTrait, T: Serialize>(db: &C, actor: &Actor, change: Change<'_, T>) -> AppResult<()> {
    let to_json = |value: Option<&T>| -> AppResult<Option<String>> {
        value.map(|v| serde_json::to_string(v).map_err(AppError::internal)).transpose()
    };
    audit_log::ActiveModel {
        id: NotSet,
        occurred_at: Set(Utc::now()),
        actor_subject: Set(actor.subject.clone()),
        actor_name: Set(actor.name.clone()),
        operation: Set(change.operation.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(change.entity_id),
        unit_id: Set(change.unit_id),
        person_id: Set(change.person_id),
        before: Set(to_json(change.before)?),
        after: Set(to_json(change.after)?),
    }
    .insert(db)
    .await?;
    Ok(())
}
