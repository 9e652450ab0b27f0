//! `SignOff`, one revision of a unit's sign-off of a period.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};

use crate::entity::period_signoff::{self, SignOffPeriodKind, SignOffStatus};
use crate::error::AppError;
use crate::graphql::context::loaders;
use crate::graphql::scalars::Date;
use crate::graphql::unit::Unit;
use crate::ids::UnitId;

/// The API face of a `period_signoffs` row.
pub struct SignOff(pub period_signoff::Model);

/// A unit's sign-off of its figures for a period (phê duyệt số liệu), with its approval by the
/// level above and its reopening. The names are those of the committee members who acted, as
/// their tokens gave them.
#[Object]
impl SignOff {
    /// The unit whose figures were signed off.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        let found = loaders(ctx)?.units.load_one(UnitId::from(self.0.unit_id)).await?;
        found.map(Unit).ok_or_else(|| AppError::internal("a sign-off's unit has no row").into())
    }

    /// YEAR, HALF, QUARTER or TERM.
    async fn period_kind(&self) -> SignOffPeriodKind {
        self.0.period_kind
    }

    /// The period's label: "2021", "H1 2021", "Q2 2021", "2020–2025".
    async fn period_label(&self) -> &str {
        &self.0.label
    }

    /// The period's first day.
    async fn period_start(&self) -> Date {
        self.0.period_start.into()
    }

    /// The period's last day.
    async fn period_end(&self) -> Date {
        self.0.period_end.into()
    }

    /// 1 for the first sign-off, one more after each reopening.
    async fn revision(&self) -> i32 {
        self.0.revision
    }

    /// SIGNED_OFF and APPROVED lock the period; REOPENED does not.
    async fn status(&self) -> SignOffStatus {
        self.0.status
    }

    /// Whether the period is locked for the unit's subtree.
    async fn locked(&self) -> bool {
        self.0.status != SignOffStatus::Reopened
    }

    /// When the unit's committee signed off.
    async fn signed_off_at(&self) -> DateTime<Utc> {
        self.0.signed_off_at
    }

    /// Who signed off (the token's name).
    async fn signed_off_by(&self) -> Option<&str> {
        self.0.signed_off_by_name.as_deref()
    }

    /// When the level above approved; null until it does.
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.approved_at
    }

    /// Who approved, at the level above.
    async fn approved_by(&self) -> Option<&str> {
        self.0.approved_by_name.as_deref()
    }

    /// When the level above reopened this revision; null unless it did.
    async fn reopened_at(&self) -> Option<DateTime<Utc>> {
        self.0.reopened_at
    }

    /// Who reopened it.
    async fn reopened_by(&self) -> Option<&str> {
        self.0.reopened_by_name.as_deref()
    }

    /// Why it was reopened.
    async fn reopen_reason(&self) -> Option<&str> {
        self.0.reopen_reason.as_deref()
    }
}
