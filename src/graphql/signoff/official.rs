//! `UnitStats.official`: a signed-off period's figures as kept at the sign-off, beside the live
//! ones. The kept figures come through the stats DataLoader (two statements for a list of units);
//! the live ones are the same `UnitStats` figures the dashboard reads, batched as usual.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::types::SignOff;
use crate::cache::{Dependent, Depends};
use crate::domain::period::Period;
use crate::error::AppError;
use crate::graphql::context::loaders;
use crate::graphql::stats::UnitStats;
use crate::graphql::stats::figures::CategoryCount;
use crate::graphql::stats::loader::StatsLoader;
use crate::graphql::stats::loader::{FunnelKey, TrainingKey};
use crate::graphql::stats::unit_stats::release;
use crate::sql::dated::{Category, Tree};
use crate::stats::disclosure::Released;
use crate::stats::funnel::FunnelTally;
use crate::stats::official::{self, KEPT_BREAKDOWNS, Live, Official, OfficialFigure};

/// The official figures of one unit for one period (its days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OfficialKey {
    pub unit_id: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A unit's official figures are of its subtree; its own sign-offs are filed under it.
impl Dependent<OfficialKey> for StatsLoader {
    fn depends_on(key: &OfficialKey) -> Depends {
        Depends::Subtree(key.unit_id)
    }
}

impl Loader<OfficialKey> for StatsLoader {
    type Value = Official;
    type Error = AppError;

    async fn load(&self, keys: &[OfficialKey]) -> Result<HashMap<OfficialKey, Official>, AppError> {
        let mut periods: HashMap<(NaiveDate, NaiveDate), Vec<i64>> = HashMap::new();
        for key in keys {
            periods.entry((key.start, key.end)).or_default().push(key.unit_id);
        }
        let mut result = HashMap::new();
        for ((start, end), units) in periods {
            for (unit_id, found) in official::of_units(&self.db, &units, start, end).await? {
                result.insert(OfficialKey { unit_id, start, end }, found);
            }
        }
        Ok(result)
    }
}

/// A signed-off period's figures of one unit: the sign-off, and each figure official and live.
pub struct OfficialFigures {
    stats: UnitStats,
    official: Official,
}

impl OfficialFigures {
    /// The official figures of `stats`' unit and period, when the unit signed the period off
    /// (a period counted whole: not for `asOf` before its end).
    pub async fn load(ctx: &Context<'_>, stats: &UnitStats) -> Result<Option<OfficialFigures>> {
        let period = stats.period;
        // Kept as dated, for the whole period: no official figures of a part of it or of the
        // boundaries of its end.
        if period.counted_end() < period.end || period.tree != Tree::OnFactDate {
            return Ok(None);
        }
        // A sign-off names the period as every unit shares it (a term on its nominal years).
        let signed = period.nominal();
        let key = OfficialKey { unit_id: stats.unit_id, start: signed.start, end: signed.end };
        let found = loaders(ctx)?.stats.load_one(key).await?;
        Ok(found.map(|official| OfficialFigures { stats: *stats, official }))
    }

    async fn compared(&self, ctx: &Context<'_>) -> Result<Vec<FigureComparison>> {
        let lives =
            futures::future::try_join_all(OfficialFigure::ALL.iter().map(|figure| self.live(ctx, *figure))).await?;
        let kept =
            |figures: &HashMap<String, i64>, figure: OfficialFigure| figure.kept(figures.get(figure.name()).copied());
        Ok(OfficialFigure::ALL
            .iter()
            .zip(lives)
            .map(|(figure, live)| {
                let official = kept(&self.official.figures, *figure);
                FigureComparison {
                    figure: figure.name().to_owned(),
                    official,
                    live,
                    difference: live.unwrap_or(0) - official.unwrap_or(0),
                    previous_revision: self.official.previous.as_ref().and_then(|previous| kept(previous, *figure)),
                }
            })
            .collect())
    }

    /// Every kept breakdown, official beside live, each released as the caller may see it (a
    /// breakdown of people under disclosure control for a role that may not read personal
    /// records, the same rule for both sides, so the comparison shows no more than either).
    async fn compared_breakdowns(&self, ctx: &Context<'_>) -> Result<Vec<BreakdownComparison>> {
        let release = release(ctx)?;
        let period = self.stats.period;
        let lives = futures::future::try_join_all(
            KEPT_BREAKDOWNS.iter().map(|(_, breakdown)| self.stats.rows_for(ctx, *breakdown, release)),
        )
        .await?;
        let mut compared: Vec<BreakdownComparison> = KEPT_BREAKDOWNS
            .iter()
            .zip(lives)
            .map(|((name, breakdown), live)| {
                let personal = breakdown.is_personal();
                self.compare(name, live, |rows| if personal { release.apply(&rows, &period) } else { shown(rows) })
            })
            .collect();
        // Class counts describe classes, not people: shown as counted, like `classAttendance`.
        let classes = official::class_rows(&self.stats.class_tallies(ctx).await?);
        let key = TrainingKey { unit_id: self.stats.unit_id, period };
        let training = official::training_rows(&loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default());
        compared.push(self.compare(official::CLASS_ATTENDANCE, classes, shown));
        compared.push(self.compare(official::CANDIDATE_TRAINING, training, shown));
        // The funnel's removals by reason describe people: released like `funnel.removedByReason`.
        let removed = self.funnel(ctx).await?.removed_by_reason;
        compared.push(self.compare(official::FUNNEL_REMOVED_BY_REASON, removed, |rows| release.apply(&rows, &period)));
        Ok(compared)
    }

    /// One kept breakdown beside its live rows, both released by `release` after dropping zeros
    /// and sorting largest first.
    fn compare(
        &self,
        name: &str,
        live: Vec<Category>,
        release: impl Fn(Vec<Category>) -> Vec<Released>,
    ) -> BreakdownComparison {
        let show = |rows: Vec<Category>| {
            let mut rows: Vec<Category> = rows.into_iter().filter(|c| c.count != 0).collect();
            rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
            CategoryCount::released(release(rows))
        };
        let official = show(self.official.breakdowns.get(name).cloned().unwrap_or_default());
        let live = show(live);
        BreakdownComparison { breakdown: name.to_owned(), changed: official != live, official, live }
    }

    async fn live(&self, ctx: &Context<'_>, figure: OfficialFigure) -> Result<Option<i64>> {
        Ok(match figure.live() {
            Live::Count(count) => Some(self.stats.count(ctx, count).await?),
            Live::Sum(breakdown, only) => {
                let rows = self.stats.rows(ctx, breakdown).await?;
                Some(rows.iter().filter(|c| only.is_none_or(|only| only == c.name)).map(|c| c.count).sum())
            }
            Live::Target(kind) => self.stats.target(ctx, kind).await?.map(i64::from),
            Live::Funnel(fate) => Some(self.funnel(ctx).await?.of_fate(fate)),
        })
    }

    /// The funnel as a sign-off keeps it: the cohort's fates observed on the period's last day
    /// (`UnitStats.funnel` observes them today unless asked `asOf`).
    async fn funnel(&self, ctx: &Context<'_>) -> Result<FunnelTally> {
        let period = Period { as_of: Some(self.stats.period.counted_end()), ..self.stats.period };
        Ok(loaders(ctx)?.stats.load_one(FunnelKey { unit_id: self.stats.unit_id, period }).await?.unwrap_or_default())
    }
}

/// The figures a unit signed off for a period (số liệu chính thức), who signed them off and
/// approved them, and how today's live figures differ (they can differ only after a reopening).
#[Object]
impl OfficialFigures {
    /// The sign-off: its status, revision, and who signed off, approved or reopened it, when.
    async fn sign_off(&self) -> SignOff {
        SignOff(self.official.signoff.clone())
    }

    /// Every figure kept, official beside live.
    async fn figures(&self, ctx: &Context<'_>) -> Result<Vec<FigureComparison>> {
        self.compared(ctx).await
    }

    /// Whether any live figure, or any category of a kept breakdown as the caller sees it,
    /// differs from the official one.
    async fn changed_since(&self, ctx: &Context<'_>) -> Result<bool> {
        let figures = self.compared(ctx).await?.iter().any(|figure| figure.official != figure.live);
        Ok(figures || self.compared_breakdowns(ctx).await?.iter().any(|breakdown| breakdown.changed))
    }

    /// The breakdowns of the unit's own figures kept at the sign-off (admissions by ethnicity,
    /// gender, age band, general and professional education, religion, nominating body and
    /// occupation; removals from the source by reason; the membership balance's flows by
    /// `FLOW/REASON` and its opening stock by standing; `timeSeries.admissions` and
    /// `timeSeries.recognitions` by month, `2021-03`; `classAttendance` and `candidateTraining`
    /// by `KIND/count`, e.g. `AWARENESS/completions`; `funnel.removedByReason`, the funnel observed
    /// on the period's last day), official beside live.
    async fn breakdowns(&self, ctx: &Context<'_>) -> Result<Vec<BreakdownComparison>> {
        self.compared_breakdowns(ctx).await
    }

    /// Only the figures whose live value differs from the official one.
    async fn differences(&self, ctx: &Context<'_>) -> Result<Vec<FigureComparison>> {
        Ok(self.compared(ctx).await?.into_iter().filter(|figure| figure.official != figure.live).collect())
    }
}

/// Every row shown as counted.
fn shown(rows: Vec<Category>) -> Vec<Released> {
    rows.into_iter().map(|c| Released::Shown(c.name, c.count)).collect()
}

/// One breakdown as signed off and as it stands now, each under the caller's disclosure control.
#[derive(SimpleObject)]
pub struct BreakdownComparison {
    /// The breakdown's name, as the `UnitStats` field that shows it live (`admissionsByEthnicity`,
    /// `removedByReason`…); `membershipInflows`, `membershipOutflows` and `membersAtOpening` are
    /// `membershipBalance`'s flows by `FLOW/REASON` and its opening stock by standing;
    /// `timeSeries.admissions` and `timeSeries.recognitions` are `timeSeries(granularity: MONTH)`
    /// by month key; `funnel.removedByReason` is the funnel's, observed on the period's last day.
    pub breakdown: String,
    /// The categories signed off, largest first.
    pub official: Vec<CategoryCount>,
    /// The categories counted now, largest first.
    pub live: Vec<CategoryCount>,
    /// Whether the two lists differ, as the caller sees them.
    pub changed: bool,
}

/// One figure as signed off and as it stands now.
#[derive(SimpleObject)]
pub struct FigureComparison {
    /// The figure's name, as the `UnitStats` field that shows it live: `admissions`,
    /// `recognitions`, `namesDeleted`, `nominated`, `removedFromSource`, `inSource`,
    /// `probationaryMembers`, `officialMembers`, `members`, `cells`, `communes`, `districts`,
    /// `assignedTarget`, `resolutionTarget`, and the funnel's `funnel.completed`,
    /// `funnel.admitted`, `funnel.removed`, `funnel.stillInSource`, `funnel.other` — observed on
    /// the period's last day, both official and live (`UnitStats.funnel` observes today unless
    /// asked `asOf`).
    pub figure: String,
    /// The value signed off (null: no target was set).
    pub official: Option<i64>,
    /// The value counted now.
    pub live: Option<i64>,
    /// `live − official` (a missing target counts as 0).
    pub difference: i64,
    /// The value the revision before signed off, after a reopening; null on the first revision.
    pub previous_revision: Option<i64>,
}
