//! `UnitStats`, the figures of one unit for one period, and how its fields read them: each
//! through the stats DataLoader, so a list of units costs one statement per figure. Its GraphQL
//! fields are in `types`; the ranking, which lists `UnitStats` rows, is in `ranking`.

use async_graphql::{Context, Result};

use super::figures::CategoryCount;
use super::loader::{BreakdownKey, ClassKey, CountKey, TargetKey, TermDaysKey};
use crate::auth::Capability;
use crate::domain::congress;
use crate::domain::period::Period;
use crate::entity::target::TargetKind;
use crate::error::AppError;
use crate::graphql::access;
use crate::graphql::context::loaders;
use crate::graphql::loaders::Loaders;
use crate::sql::dated::{Category, Tree};
use crate::stats::attainment::Attainment;
use crate::stats::classes::ClassTally;
use crate::stats::disclosure::{DEFAULT_THRESHOLD, Release};
use crate::stats::row_figures::RowFigures;
use crate::stats::{Breakdown, Figure, Keys};

/// The disclosure threshold the server applies (`--disclosure-threshold`), as schema data.
#[derive(Debug, Clone, Copy)]
pub struct DisclosureThreshold(pub i64);

/// How the caller's breakdowns are released: in full to a role that may read the personal
/// records, under disclosure control to any other (`stats::disclosure`).
pub fn release(ctx: &Context<'_>) -> Result<Release> {
    if access::principal(ctx)?.role.can(Capability::ReadRecords) {
        return Ok(Release::Full);
    }
    let threshold = ctx.data_opt::<DisclosureThreshold>().map_or(DEFAULT_THRESHOLD, |t| t.0);
    Ok(Release::Controlled { threshold })
}

/// The figures of one unit for one period.
#[derive(Clone, Copy)]
pub struct UnitStats {
    pub unit_id: i64,
    pub period: Period,
    /// The row figures its list read ahead (`read_ahead`), answered without a loader lookup.
    ahead: Option<RowFigures>,
}

impl UnitStats {
    /// The figures of `unit_id` for `period`; a term counts from the unit's own congress to the
    /// day before its next one where they are recorded (loaded in one batch for a list of units).
    pub(crate) async fn for_unit(ctx: &Context<'_>, unit_id: i64, period: Period) -> Result<UnitStats> {
        let loaders = loaders(ctx)?;
        let period = match period.target_period.filter(|_| period.is_term()) {
            Some(term) => {
                let key = TermDaysKey { unit_id, term };
                let days = loaders.stats.load_one(key).await?.unwrap_or_default();
                congress::for_unit(period, days)
            }
            None => period,
        };
        Ok(UnitStats::read_ahead(loaders, unit_id, period))
    }

    /// The figures of `unit_id` for `period` (not a term: see `for_unit`), with what its list
    /// read ahead.
    pub(crate) fn read_ahead(loaders: &Loaders, unit_id: i64, period: Period) -> UnitStats {
        UnitStats { unit_id, period, ahead: loaders.ahead.get(unit_id, &period) }
    }

    /// The admissions its list read ahead, if it did: answered without a loader or a future.
    pub(crate) fn admissions_read_ahead(&self) -> Option<i64> {
        self.ahead.and_then(|ahead| ahead.admissions)
    }

    /// The target of `kind` as `target` would answer it, when that needs no read: null without a
    /// target period, else the one its list read ahead, if it did.
    pub(crate) fn target_read_ahead(&self, kind: TargetKind) -> Option<Option<i32>> {
        if self.period.target_period.is_none() {
            return Some(None);
        }
        self.ahead.and_then(|ahead| ahead.targets).and_then(|targets| targets.of(kind))
    }

    pub(crate) async fn count(&self, ctx: &Context<'_>, figure: Figure) -> Result<i64> {
        if let (Figure::Admissions, Some(admissions)) = (figure, self.admissions_read_ahead()) {
            return Ok(admissions);
        }
        let key = CountKey { figure, unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or(0))
    }

    /// A breakdown as counted. Every category list a caller sees goes through `categories` (or
    /// `share_where`), which apply disclosure control to the personal breakdowns; raw rows feed
    /// only totals and breakdowns that describe no one.
    pub(crate) async fn rows(&self, ctx: &Context<'_>, breakdown: Breakdown) -> Result<Vec<Category>> {
        self.load_rows(ctx, breakdown, Keys::Skipped).await
    }

    /// A breakdown as counted, to be released by `release`: a personal one with its people's
    /// disclosure keys when `release` perturbs by them.
    pub(crate) async fn rows_for(
        &self,
        ctx: &Context<'_>,
        breakdown: Breakdown,
        release: Release,
    ) -> Result<Vec<Category>> {
        let keys = if breakdown.is_personal() { release.keys() } else { Keys::Skipped };
        self.load_rows(ctx, breakdown, keys).await
    }

    async fn load_rows(&self, ctx: &Context<'_>, breakdown: Breakdown, keys: Keys) -> Result<Vec<Category>> {
        let key = BreakdownKey { breakdown, keys, unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default())
    }

    /// A breakdown's categories as the caller may see them: a personal breakdown under
    /// disclosure control for a role that may not read personal records.
    pub(crate) async fn categories(&self, ctx: &Context<'_>, breakdown: Breakdown) -> Result<Vec<CategoryCount>> {
        if !breakdown.is_personal() {
            return Ok(CategoryCount::list(self.rows(ctx, breakdown).await?));
        }
        let release = release(ctx)?;
        let rows = self.rows_for(ctx, breakdown, release).await?;
        Ok(CategoryCount::released(release.apply(&rows, &self.period)))
    }

    /// The sum of a personal breakdown's categories that `keep` accepts (the ethnic-minority
    /// admissions), as the caller may see it: None when it would give a withheld category away.
    pub(super) async fn share_where(
        &self,
        ctx: &Context<'_>,
        breakdown: Breakdown,
        keep: impl Fn(&str) -> bool,
    ) -> Result<Option<i64>> {
        let release = release(ctx)?;
        let rows = self.rows_for(ctx, breakdown, release).await?;
        Ok(release.share(&rows, &self.period, keep))
    }

    /// The sum of a breakdown's categories that `keep` accepts: for breakdowns that describe no
    /// one, and for the total of a personal one (`keep` accepting every category). A personal one
    /// is read as the caller's categories are (`rows_for`), so the total and the list asked side
    /// by side are one load.
    pub(super) async fn sum_where(
        &self,
        ctx: &Context<'_>,
        breakdown: Breakdown,
        keep: impl Fn(&str) -> bool,
    ) -> Result<i64> {
        let rows = if breakdown.is_personal() {
            self.rows_for(ctx, breakdown, release(ctx)?).await?
        } else {
            self.rows(ctx, breakdown).await?
        };
        Ok(rows.iter().filter(|c| keep(&c.name)).map(|c| c.count).sum())
    }

    /// VALIDATION when the period is counted on the boundaries of its end: `figure` is counted
    /// on the dated tree only (see `Boundaries.PERIOD_END`).
    pub(super) fn dated_only(&self, figure: &str) -> Result<()> {
        if self.period.tree == Tree::OnFactDate {
            return Ok(());
        }
        let message = format!("{figure} is counted as dated only: ask it without boundaries: PERIOD_END");
        Err(AppError::invalid("period.boundaries", message).into())
    }

    pub(crate) async fn class_tallies(&self, ctx: &Context<'_>) -> Result<Vec<ClassTally>> {
        self.dated_only("a class figure (classesHeld, classAttendance)")?;
        let key = ClassKey { unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default())
    }

    pub(crate) async fn target(&self, ctx: &Context<'_>, kind: TargetKind) -> Result<Option<i32>> {
        if let Some(target) = self.target_read_ahead(kind) {
            return Ok(target);
        }
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
