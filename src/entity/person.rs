//! `persons` — a citizen in the pipeline or a member; created once and reused.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub full_name: String,
    /// `full_name` folded for diacritic-insensitive search.
    pub name_search: String,
    pub other_names: Option<String>,
    pub gender: Gender,
    pub date_of_birth: Date,
    /// One of the 54 recognised ethnic groups, canonical spelling (see `domain::ethnicity`).
    pub ethnicity: String,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_education: ProfessionalEducation,
    pub political_theory: PoliticalTheory,
    pub occupation: Occupation,
    /// The role as written (e.g. "Bí thư Chi đoàn").
    pub position: Option<String>,
    /// Căn cước công dân: 12 digits, unique when present.
    pub citizen_id: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
