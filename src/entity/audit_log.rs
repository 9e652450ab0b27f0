//! `audit_log` — append-only record of every change a mutation made.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_subject: Option<String>,
    pub actor_name: Option<String>,
    pub operation: String,
    pub entity_type: String,
    pub entity_id: i64,
    /// The unit the change belongs to, for subtree queries of the trail.
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    /// JSON of the record before the change; none for a creation.
    pub before: Option<String>,
    /// JSON of the record after the change.
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
