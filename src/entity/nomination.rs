//! `nominations` — a person's entry in a cell's source pool (nguồn).

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::{NominatingBody, NominationStatus, RemovalReason};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub cell_id: i64,
    pub nominating_body: NominatingBody,
    pub nominated_on: Date,
    pub status: NominationStatus,
    pub removed_on: Option<Date>,
    pub removal_reason: Option<RemovalReason>,
    pub removal_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
