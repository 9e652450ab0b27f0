//! `classes` — a class (lớp bồi dưỡng) organised by a district or commune.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::ClassKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "classes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organiser_unit_id: i64,
    pub kind: ClassKind,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
