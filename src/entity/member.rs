//! `members` — a person's party membership; the cells it was held in are `member_stints`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use super::vocabulary::MemberStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub person_id: i64,
    /// The admission that began it; none for members loaded from a roster.
    pub admission_id: Option<i64>,
    pub status: MemberStatus,
    /// The admission decision date: party age counts from it.
    pub party_since: Date,
    /// The day official membership began (the end of probation); none while probationary.
    pub official_since: Option<Date>,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
