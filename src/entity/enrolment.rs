//! `enrolments` — a person in a class, with the result and certificate.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::EnrolmentResult;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub class_id: i64,
    pub person_id: i64,
    pub result: EnrolmentResult,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
