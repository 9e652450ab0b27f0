//! `unit_events` — what happened to a unit and when: created, renamed, moved, dissolved, merged.

use sea_orm::entity::prelude::*;

pub use super::vocabulary::UnitEventKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub kind: UnitEventKind,
    pub effective_on: Date,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub old_parent_id: Option<i64>,
    pub new_parent_id: Option<i64>,
    /// The other side of a merge: the target for MERGED_INTO, a source for MERGED_FROM.
    pub other_unit_id: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
