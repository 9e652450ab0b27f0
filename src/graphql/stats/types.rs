//! `UnitStats`: the same aggregate figures on every unit at every level, for any period.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::loader::{AllocationKey, BreakdownKey, CountKey, TargetKey};
use super::period::PeriodInfo;
use crate::domain::ethnicity::KINH;
use crate::domain::period::Period;
use crate::domain::tree_read::{self, ListOptions};
use crate::entity::target::TargetKind;
use crate::graphql::context::{database, loaders};
use crate::graphql::unit::Unit;
use crate::stats::{Breakdown, Figure};

/// The figures of one unit for one period.
#[derive(Clone, Copy)]
pub struct UnitStats {
    pub unit_id: i64,
    pub period: Period,
}

impl UnitStats {
    pub(crate) async fn count(&self, ctx: &Context<'_>, figure: Figure) -> Result<i64> {
        let key = CountKey { figure, unit_id: self.unit_id, period: self.period };
        Ok(loaders(ctx)?.stats.load_one(key).await?.unwrap_or(0))
    }

    pub(crate) async fn categories(&self, ctx: &Context<'_>, breakdown: Breakdown) -> Result<Vec<CategoryCount>> {
        let key = BreakdownKey { breakdown, unit_id: self.unit_id, period: self.period };
        let rows = loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default();
        Ok(rows.into_iter().map(|(category, count)| CategoryCount { category, count }).collect())
    }

    async fn target(&self, ctx: &Context<'_>, kind: TargetKind) -> Result<Option<i32>> {
        let Some(period) = self.period.target_period else { return Ok(None) };
        Ok(loaders(ctx)?.stats.load_one(TargetKey { unit_id: self.unit_id, kind, period }).await?)
    }

    /// Attainment against `kind`; null without a target (or with a target of 0).
    pub(crate) async fn attainment_against(&self, ctx: &Context<'_>, kind: TargetKind) -> Result<Option<Attainment>> {
        let target = self.target(ctx, kind).await?;
        let admissions = self.count(ctx, Figure::Admissions).await?;
        Ok(target.filter(|t| *t > 0).map(|target| Attainment::new(admissions, target)))
    }
}

/// A count in one category of a breakdown.
#[derive(SimpleObject, Clone)]
pub struct CategoryCount {
    /// The category (an ethnicity, a gender, an age band…), as stored.
    pub category: String,
    /// How many.
    pub count: i64,
}

/// Admissions measured against a target: "đạt 124,4% chỉ tiêu", "vượt 15,4%".
#[derive(SimpleObject, Clone, Copy)]
pub struct Attainment {
    /// The target compared to.
    pub target: i32,
    /// Admissions in the period.
    pub admissions: i64,
    /// admissions ÷ target, exact (1.2444… for 112 of 90); clients round.
    pub ratio: f64,
    /// The ratio in per cent (124.444…).
    pub percent: f64,
    /// admissions − target: positive when exceeded, negative when short.
    pub difference: i64,
    /// By how many per cent the target was exceeded (15.4 for 1,731 of 1,500); negative when short.
    pub exceeded_by_percent: f64,
}

impl Attainment {
    pub fn new(admissions: i64, target: i32) -> Self {
        let ratio = admissions as f64 / f64::from(target);
        Attainment {
            target,
            admissions,
            ratio,
            percent: ratio * 100.0,
            difference: admissions - i64::from(target),
            exceeded_by_percent: ratio * 100.0 - 100.0,
        }
    }
}

/// How much of a unit's target it has handed down to the units below it.
#[derive(SimpleObject)]
pub struct TargetAllocation {
    /// The unit's own target of this kind for the period; null when it has none.
    pub own_target: Option<i32>,
    /// The sum of its active children's targets ("allocated 230 of 240").
    pub allocated_to_children: i64,
    /// own target − allocated; null without an own target.
    pub unallocated: Option<i64>,
    /// How many active children have a target.
    pub children_with_target: i64,
    /// How many active children there are.
    pub children: i64,
}

/// One row of a ranking of the units below a unit.
#[derive(SimpleObject)]
pub struct RankingRow {
    /// 1 for the best attainment; units without a target come last, unranked ranks continue.
    pub rank: i32,
    /// The unit.
    pub unit: Unit,
    /// Its attainment against the ranking's target kind; null without a target.
    pub attainment: Option<Attainment>,
    /// All its figures for the same period.
    pub stats: UnitStats,
}

/// The aggregate figures of a unit's subtree for a period. Every count follows history: a fact
/// counts toward the units its cell belonged to on the fact's date.
#[Object]
impl UnitStats {
    /// The period, resolved, and the target period attainment compares to.
    async fn period(&self) -> PeriodInfo {
        PeriodInfo(self.period)
    }

    /// Admissions (kết nạp) decided in the period in the unit's subtree.
    async fn admissions(&self, ctx: &Context<'_>) -> Result<i64> {
        self.count(ctx, Figure::Admissions).await
    }

    /// The target assigned by the level above for the target period; null when none is set.
    async fn assigned_target(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        self.target(ctx, TargetKind::Assigned).await
    }

    /// The unit's own resolution target for the target period; null when none is set.
    async fn resolution_target(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        self.target(ctx, TargetKind::Resolution).await
    }

    /// Attainment against the assigned target (default) or the resolution target; null without one.
    async fn attainment(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] against: TargetKind,
    ) -> Result<Option<Attainment>> {
        self.attainment_against(ctx, against).await
    }

    /// Recognitions as official members decided in the period.
    async fn recognitions(&self, ctx: &Context<'_>) -> Result<i64> {
        self.count(ctx, Figure::Recognitions).await
    }

    /// Probationary members not recognised (names deleted) by decisions in the period.
    async fn names_deleted(&self, ctx: &Context<'_>) -> Result<i64> {
        self.count(ctx, Figure::NamesDeleted).await
    }

    /// Admissions by ethnicity, largest first.
    async fn admissions_by_ethnicity(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        self.categories(ctx, Breakdown::AdmissionsByEthnicity).await
    }

    /// Admissions of people of ethnic minorities (every group but the Kinh).
    async fn ethnic_minority_admissions(&self, ctx: &Context<'_>) -> Result<i64> {
        let rows = self.categories(ctx, Breakdown::AdmissionsByEthnicity).await?;
        Ok(rows.iter().filter(|row| row.category != KINH).map(|row| row.count).sum())
    }

    /// How much of the unit's target is handed down to its children.
    async fn allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] kind: TargetKind,
    ) -> Result<Option<TargetAllocation>> {
        let Some(period) = self.period.target_period else { return Ok(None) };
        let own_target = self.target(ctx, kind).await?;
        let key = AllocationKey { unit_id: self.unit_id, kind, period };
        let allocation = loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default();
        Ok(Some(TargetAllocation {
            own_target,
            allocated_to_children: allocation.allocated,
            unallocated: own_target.map(|own| i64::from(own) - allocation.allocated),
            children_with_target: allocation.children_with_target,
            children: allocation.children,
        }))
    }

    /// The active units directly below, ranked by attainment against the assigned target
    /// (default) or the resolution target: best first, ties by name, units without a target last.
    /// Every figure of every row is loaded with one statement per figure for the whole list.
    async fn ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] against: TargetKind,
    ) -> Result<Vec<RankingRow>> {
        let db = database(ctx)?;
        let mut children =
            tree_read::children_pages(db, &[self.unit_id], ListOptions::default(), None, RANKING_LIMIT).await?;
        let children = children.remove(&self.unit_id).unwrap_or_default();
        let rows = futures::future::try_join_all(children.into_iter().map(|child| async move {
            let stats = UnitStats { unit_id: child.id, period: self.period };
            let attainment = stats.attainment_against(ctx, against).await?;
            Ok::<_, async_graphql::Error>((child, attainment, stats))
        }))
        .await?;
        Ok(rank(rows))
    }
}

/// The most units a ranking lists (a province has tens of districts, a district tens of communes).
const RANKING_LIMIT: u64 = 1_000;

/// Orders rows by attainment (best first; without a target last), keeping name order among ties.
fn rank(mut rows: Vec<(crate::entity::unit::Model, Option<Attainment>, UnitStats)>) -> Vec<RankingRow> {
    // Children come in name order; a stable sort keeps it among equal attainments.
    rows.sort_by(|a, b| match (&a.1, &b.1) {
        (Some(x), Some(y)) => y.ratio.total_cmp(&x.ratio),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows.into_iter()
        .enumerate()
        .map(|(index, (unit, attainment, stats))| RankingRow {
            rank: i32::try_from(index + 1).unwrap_or(i32::MAX),
            unit: Unit(unit),
            attainment,
            stats,
        })
        .collect()
}
