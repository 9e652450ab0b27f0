//! `membership_changes` — a change of a membership after admission, with its decision and reason.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::{ChangeReason, MembershipChangeKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "membership_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub kind: MembershipChangeKind,
    pub reason: ChangeReason,
    /// For an ending, the first day the member is not counted; for a transfer in, the first day counted.
    pub effective_on: Date,
    /// The cell left, or the cell joined.
    pub cell_id: i64,
    /// None only for changes recorded before decisions were (backfilled by the migration).
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub deciding_unit_id: Option<i64>,
    /// The organisation transferred to or from.
    pub counterpart: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
