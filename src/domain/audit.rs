//! Writing the audit trail: every mutation records who changed which record, and the record's
//! fields before and after, in the mutation's own transaction (so a failed mutation leaves none).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};
use serde::Serialize;

use crate::domain::change_watch;
use crate::entity::{admission, audit_log, nomination, person, unit};
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
    change_watch::footprint::note(change.unit_id, change.person_id, change.entity_type == unit::Model::ENTITY_TYPE);
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

/// Where a record's changes are filed: the record, the unit whose subtree may read them, and the
/// person they concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub id: i64,
    pub unit: Option<i64>,
    pub person: Option<i64>,
}

/// A record the audit trail files under its own type, unit and person, so one call records any
/// change to it (`changed`) instead of a `Change` spelled out at every mutation.
pub trait Audited: Serialize {
    /// The `entity_type` of its audit rows.
    const ENTITY_TYPE: &'static str;
    fn filing(&self) -> Filing;

    /// Units besides its filing whose subtree a change to the record reaches, for the read
    /// cache (`change_watch::footprint`): a unit's parent and the unit it merged into.
    fn reaches(&self) -> [Option<i64>; 2] {
        [None, None]
    }
}

/// Appends `operation` on one record, from `before` (none when it was created) to `after`.
pub async fn changed<C: ConnectionTrait, T: Audited>(
    db: &C,
    actor: &Actor,
    operation: &str,
    before: Option<&T>,
    after: &T,
) -> AppResult<()> {
    let Filing { id, unit, person } = after.filing();
    let reached = before.map(Audited::reaches).into_iter().chain([after.reaches()]);
    change_watch::footprint::note_units(reached.flatten().flatten());
    let change = Change {
        operation,
        entity_type: T::ENTITY_TYPE,
        entity_id: id,
        unit_id: unit,
        person_id: person,
        before,
        after: Some(after),
    };
    record(db, actor, change).await
}

impl Audited for person::Model {
    const ENTITY_TYPE: &'static str = "Person";
    fn filing(&self) -> Filing {
        Filing { id: self.id, unit: None, person: Some(self.id) }
    }
}

impl Audited for unit::Model {
    const ENTITY_TYPE: &'static str = "Unit";
    fn filing(&self) -> Filing {
        Filing { id: self.id, unit: Some(self.id), person: None }
    }
    fn reaches(&self) -> [Option<i64>; 2] {
        [self.parent_id, self.merged_into_id]
    }
}

impl Audited for admission::Model {
    const ENTITY_TYPE: &'static str = "Admission";
    fn filing(&self) -> Filing {
        Filing { id: self.id, unit: Some(self.cell_id), person: Some(self.person_id) }
    }
}

impl Audited for nomination::Model {
    const ENTITY_TYPE: &'static str = "Nomination";
    fn filing(&self) -> Filing {
        Filing { id: self.id, unit: Some(self.cell_id), person: Some(self.person_id) }
    }
}
