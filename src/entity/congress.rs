//! `congresses` — a unit's congress (đại hội) opening a term (nhiệm kỳ).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "congresses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    /// The year the term is named from ("2020" of 2020–2025).
    pub term_start_year: i32,
    /// The year the term is named to ("2025" of 2020–2025).
    pub term_end_year: i32,
    /// The first day of the congress: the term counts from it.
    pub held_on: Date,
    /// The congress resolution's number.
    pub resolution_number: String,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
