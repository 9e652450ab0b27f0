//! `units` — every organisation of the tree, whatever its level.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::{UnitKind, UnitLevel};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `name` folded for diacritic-insensitive search (see `domain::text::fold`).
    pub name_search: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    /// The current parent; history lives in `unit_closure`.
    pub parent_id: Option<i64>,
    pub established_on: Date,
    pub dissolved_on: Option<Date>,
    pub merged_into_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
