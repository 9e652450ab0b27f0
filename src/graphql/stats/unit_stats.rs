//! `UnitStats`, the figures of one unit for one period, and how its fields read them: each
//! through the stats DataLoader, so a list of units costs one statement per figure. Its GraphQL
//! fields are in `types`; the ranking, which lists `UnitStats` rows, is in `ranking`.

use async_graphql::{Context, Result};

use super::figures::CategoryCount;
use super::loader::{BreakdownKey, ClassKey, CountKey, TargetKey, TermDaysKey};
use crate::domain::congress;
use crate::domain::period::Period;
use crate::entity::target::TargetKind;
use crate::graphql::context::loaders;
use crate::stats::attainment::Attainment;
use crate::stats::classes::ClassTally;
use crate::stats::{Breakdown, Figure};

/// The figures of one unit for one period.
#[derive(Clone, Copy)]
pub struct UnitStats {
    pub unit_id: i64,
    pub period: Period,
}

impl UnitStats {
    /// The figures of `unit_id` for `period`; a term counts from the unit's own congress to the
    /// day before its next one where they are recorded (loaded in one batch for a list of units).
    pub(crate) async fn for_unit(ctx: &Context<'_>, unit_id: i64, period: Period) -> Result<UnitStats> {
        let period = match period.target_period.filter(|_| period.is_term()) {
            Some(term) => {
                let key = TermDaysKey { unit_id, term };
                let days = loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default();
                congress::for_unit(period, days)
            }
            None => period,
        };
        Ok(UnitStats { unit_id, period })
    }

    pub(crate) async fn count(&self, ctx: &Context<'_>, figure: Figure) -> Result<i64> {
        let key = CountKey { figure, unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or(0))
    }

    pub(crate) async fn rows(&self, ctx: &Context<'_>, breakdown: Breakdown) -> Result<Vec<(String, i64)>> {
        let key = BreakdownKey { breakdown, unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default())
    }

    pub(crate) async fn categories(&self, ctx: &Context<'_>, breakdown: Breakdown) -> Result<Vec<CategoryCount>> {
        Ok(CategoryCount::list(self.rows(ctx, breakdown).await?))
    }

    /// The sum of a breakdown's categories that `keep` accepts.
    pub(super) async fn sum_where(
        &self,
        ctx: &Context<'_>,
        breakdown: Breakdown,
        keep: impl Fn(&str) -> bool,
    ) -> Result<i64> {
        Ok(self.rows(ctx, breakdown).await?.iter().filter(|(category, _)| keep(category)).map(|(_, n)| n).sum())
    }

    pub(super) async fn class_tallies(&self, ctx: &Context<'_>) -> Result<Vec<ClassTally>> {
        let key = ClassKey { unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default())
    }

    pub(super) async fn target(&self, ctx: &Context<'_>, kind: TargetKind) -> Result<Option<i32>> {
        let Some(period) = self.period.target_period else { return Ok(None) };
        Ok(loaders(ctx)?.stats.load_one(TargetKey { unit_id: self.unit_id, kind, period }).await?)
    }

    /// Attainment against `kind`; null without a target (or with a target of 0).
    pub(crate) async fn attainment_against(&self, ctx: &Context<'_>, kind: TargetKind) -> Result<Option<Attainment>> {
        // Asked together, so the admissions join the batch the `admissions` field's key is in
        // rather than starting a second statement after the target arrives.
        let (target, admissions) = futures::try_join!(self.target(ctx, kind), self.count(ctx, Figure::Admissions))?;
        Ok(Attainment::new(admissions, target))
    }
}
