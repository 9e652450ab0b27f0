//! `admissions` — an admission decision (kết nạp) and how probation ended.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::AdmissionOutcome;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "admissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub person_id: i64,
    pub nomination_id: Option<i64>,
    /// The cell admitted into; it never changes, so the admission counts toward that cell's
    /// ancestors on the decision date.
    pub cell_id: i64,
    /// As written on the decision, e.g. "125-QĐ/HU".
    pub decision_number: String,
    pub decision_date: Date,
    pub deciding_unit_id: i64,
    /// The admission ceremony (lễ kết nạp); probation runs from it.
    pub ceremony_date: Option<Date>,
    pub introducer1_id: Option<i64>,
    pub introducer1_since: Option<Date>,
    pub introducer2_id: Option<i64>,
    pub introducer2_since: Option<Date>,
    /// The grassroots Youth Union committee's resolution standing in for one introducer.
    pub youth_union_resolution: Option<String>,
    pub youth_union_resolution_date: Option<Date>,
    /// The approval reference of a recorded exception (e.g. admission over 60).
    pub exception_reference: Option<String>,
    pub exception_note: Option<String>,
    pub outcome: AdmissionOutcome,
    pub outcome_decision_number: Option<String>,
    pub outcome_decision_date: Option<Date>,
    pub outcome_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
