//! `targets` — an admission target of a unit for a year or a term.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::{TargetKind, TargetPeriodKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub kind: TargetKind,
    pub period_kind: TargetPeriodKind,
    /// The year, or the first year of the term's name ("2020" of 2020–2025).
    pub start_year: i32,
    /// The year again, or the last year of the term's name ("2025" of 2020–2025).
    pub end_year: i32,
    /// The number of admissions targeted.
    pub value: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
