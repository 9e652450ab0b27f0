//! The ranking of the units directly below a unit by attainment, each row with all its figures;
//! the order is `stats::ranking`'s.

use async_graphql::{Context, Result, SimpleObject};

use super::read_ahead::read_rows;
use super::unit_stats::UnitStats;
use crate::entity::target::TargetKind;
use crate::graphql::access::{self, Reach};
use crate::graphql::context::loaders;
use crate::graphql::loaders::ChildrenDuring;
use crate::graphql::unit::Unit;
use crate::stats::attainment::Attainment;
use crate::stats::ranking::{Entry, rank};

/// The most units a ranking lists (a province has tens of districts, a district tens of communes).
const RANKING_LIMIT: u64 = 1_000;

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

/// The units directly below `parent` during the period (see `tree_read::children_during`) ranked
/// against `against`; a unit that has since left the caller's scope is left out. Every figure of every row is
/// loaded with one statement per figure for the whole list (the stats DataLoader).
pub async fn ranking(ctx: &Context<'_>, parent: &UnitStats, against: TargetKind) -> Result<Vec<RankingRow>> {
    let period = parent.period;
    // A term's rows count from their own congresses, which may come before the parent's.
    let from = period.start.min(period.nominal().start);
    let key = ChildrenDuring {
        parent_id: parent.unit_id.into(),
        from,
        to: period.counted_end().max(from),
        limit: RANKING_LIMIT,
    };
    let children = loaders(ctx)?.tree.load_one(key).await?.unwrap_or_default();
    // Every row's attainment needs its admissions and target: one statement for all of them.
    let ids: Vec<i64> = children.iter().map(|child| child.id).collect();
    read_rows(ctx, &ids, &[period.nominal()]).await?;
    let rows = futures::future::try_join_all(children.into_iter().map(|child| async move {
        if access::unit_reach(ctx, child.id).await? != Reach::Inside {
            return Ok(None);
        }
        // Each row its own term days: its congress, not its parent's.
        let stats = UnitStats::for_unit(ctx, child.id, parent.period.nominal()).await?;
        let attainment = stats.attainment_against(ctx, against).await?;
        let entry = Entry { name: child.name.clone(), id: child.id, attainment, item: (child, stats) };
        Ok::<_, async_graphql::Error>(Some(entry))
    }))
    .await?;
    let ranked = rank(rows.into_iter().flatten().collect());
    Ok(ranked
        .into_iter()
        .map(|ranked| {
            let (unit, stats) = ranked.item;
            RankingRow {
                rank: i32::try_from(ranked.rank).unwrap_or(i32::MAX),
                unit: Unit(unit),
                attainment: ranked.attainment,
                stats,
            }
        })
        .collect())
}
