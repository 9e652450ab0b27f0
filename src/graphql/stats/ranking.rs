//! The ranking of the units directly below a unit by attainment, each row with all its figures.

use async_graphql::{Context, Result, SimpleObject};

use super::figures::Attainment;
use super::types::UnitStats;
use crate::domain::tree_read;
use crate::entity::target::TargetKind;
use crate::entity::unit;
use crate::graphql::access::{self, Reach};
use crate::graphql::context::database;
use crate::graphql::unit::Unit;

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
    let db = database(ctx)?;
    let period = parent.period;
    let children = tree_read::children_during(
        db,
        parent.unit_id,
        period.start,
        period.counted_end().max(period.start),
        RANKING_LIMIT,
    )
    .await?;
    let rows = futures::future::try_join_all(children.into_iter().map(|child| async move {
        if access::unit_reach(ctx, child.id).await? != Reach::Inside {
            return Ok(None);
        }
        let stats = UnitStats { unit_id: child.id, period: parent.period };
        let attainment = stats.attainment_against(ctx, against).await?;
        Ok::<_, async_graphql::Error>(Some((child, attainment, stats)))
    }))
    .await?;
    Ok(rank(rows.into_iter().flatten().collect()))
}

/// Orders rows by attainment (best first; without a target last), keeping name order among ties.
fn rank(mut rows: Vec<(unit::Model, Option<Attainment>, UnitStats)>) -> Vec<RankingRow> {
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
