//! `period_signoffs` — a unit's sign-off of its figures for a period (phê duyệt số liệu), its
//! approval by the level above and its reopening; one row per revision.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::vocabulary::vocabulary;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "period_signoffs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub period_kind: SignOffPeriodKind,
    pub period_start: Date,
    pub period_end: Date,
    /// "2021", "H1 2021", "Q2 2021", "2020–2025".
    pub label: String,
    /// 1 for the first sign-off, one more after each reopening.
    pub revision: i32,
    pub status: SignOffStatus,
    pub signed_off_at: DateTimeUtc,
    pub signed_off_by_subject: Option<String>,
    pub signed_off_by_name: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    pub approved_by_subject: Option<String>,
    pub approved_by_name: Option<String>,
    pub reopened_at: Option<DateTimeUtc>,
    pub reopened_by_subject: Option<String>,
    pub reopened_by_name: Option<String>,
    pub reopen_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

vocabulary! {
    /// Where a unit's figures for a period stand.
    SignOffStatus {
        /// Đã ký duyệt — the unit's committee signed the figures off; the period is locked.
        SignedOff,
        /// Đã phê duyệt — the level above approved them; the period stays locked.
        Approved,
        /// Mở lại — the level above reopened the period for a correction; not locked.
        Reopened,
    }
}

vocabulary! {
    /// The kinds of period figures are signed off for.
    SignOffPeriodKind {
        /// A calendar year.
        Year,
        /// A half-year.
        Half,
        /// A quarter.
        Quarter,
        /// A term (nhiệm kỳ).
        Term,
    }
}
