//! The stats DataLoader: every figure of a list of units (a ranking, children with their figures)
//! is one grouped statement, whatever the number of units.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::cache::{Dependent, Depends};
use crate::calendar::today_in_vietnam;
use crate::domain::congress::{self, TermDays};
use crate::domain::period::{Period, TargetPeriod};
use crate::domain::targets::{self, Allocation};
use crate::entity::target::TargetKind;
use crate::error::AppError;
use crate::ids::UnitId;
use crate::sql::dated::Category;
use crate::stats::classes::{self, ClassTally};
use crate::stats::funnel::{self, FunnelTally};
use crate::stats::row_figures::{self, RowFigures};
use crate::stats::training::{self, TrainingTally};
use crate::stats::{self, Breakdown, BreakdownAsked, Figure, Keys};

/// Loads figures, targets and allocations for many units at once.
pub struct StatsLoader {
    pub(crate) db: DatabaseConnection,
}

/// A count of one unit for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountKey {
    pub figure: Figure,
    pub unit_id: i64,
    pub period: Period,
}

/// A breakdown of one unit for one period, with or without its people's disclosure keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BreakdownKey {
    pub breakdown: Breakdown,
    pub keys: Keys,
    pub unit_id: i64,
    pub period: Period,
}

/// The classes of one unit's subtree for one period, per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClassKey {
    pub unit_id: i64,
    pub period: Period,
}

/// The training of one unit's own candidates in one period, per kind of class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrainingKey {
    pub unit_id: i64,
    pub period: Period,
}

/// The funnel of one unit's awareness-class cohort of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FunnelKey {
    pub unit_id: i64,
    pub period: Period,
}

/// One unit's target of one kind for one target period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TargetKey {
    pub unit_id: i64,
    pub kind: TargetKind,
    pub period: TargetPeriod,
}

/// The row figures of one unit for one period (`stats::row_figures`), read ahead for a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowFiguresKey {
    pub unit_id: i64,
    pub period: Period,
}

/// The congresses opening a term and the next one, of one unit (`domain::congress::term_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TermDaysKey {
    pub unit_id: i64,
    pub term: TargetPeriod,
}

/// The congresses recorded for one unit, oldest term first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CongressesKey(pub i64);

/// How one unit's target is allocated to its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllocationKey {
    pub unit_id: i64,
    pub kind: TargetKind,
    pub period: TargetPeriod,
}

/// Groups keys by everything but the unit, so each group is one statement over its units.
fn group<K, G: Eq + std::hash::Hash>(keys: &[K], by: impl Fn(&K) -> (G, i64)) -> HashMap<G, Vec<i64>> {
    let mut groups: HashMap<G, Vec<i64>> = HashMap::new();
    for key in keys {
        let (group, unit) = by(key);
        groups.entry(group).or_default().push(unit);
    }
    groups
}

/// The units of a group, as the domain's reads take them (the figures' keys and the stats
/// statements speak in the `i64` of the unit lists they bind).
fn typed(units: &[i64]) -> Vec<UnitId> {
    units.iter().copied().map(UnitId::from).collect()
}

/// Groups keys by everything but the unit and the unit's own term days (`Period::nominal`), so a
/// term counted from each unit's congress is still one statement per figure for a list of units.
fn group_each<K, G: Eq + std::hash::Hash>(
    keys: &[K],
    by: impl Fn(&K) -> (G, i64, Period),
) -> HashMap<(G, Period), Vec<(i64, Period)>> {
    let mut groups: HashMap<(G, Period), Vec<(i64, Period)>> = HashMap::new();
    for key in keys {
        let (group, unit, period) = by(key);
        groups.entry((group, period.nominal())).or_default().push((unit, period));
    }
    groups
}

impl Loader<CountKey> for StatsLoader {
    type Value = i64;
    type Error = AppError;

    async fn load(&self, keys: &[CountKey]) -> Result<HashMap<CountKey, i64>, AppError> {
        let mut result = HashMap::new();
        for ((figure, _), each) in group_each(keys, |k| (k.figure, k.unit_id, k.period)) {
            let counts = stats::count_each(&self.db, figure, &each).await?;
            for (unit_id, period) in each {
                result.insert(CountKey { figure, unit_id, period }, counts.get(&unit_id).copied().unwrap_or(0));
            }
        }
        Ok(result)
    }
}

impl Loader<BreakdownKey> for StatsLoader {
    type Value = Vec<Category>;
    type Error = AppError;

    /// The breakdowns of one nominal period (asked with or without keys) are loaded together, so
    /// the admission profiles a dashboard shows side by side are one statement
    /// (`stats::breakdowns_each`).
    async fn load(&self, keys: &[BreakdownKey]) -> Result<HashMap<BreakdownKey, Vec<Category>>, AppError> {
        let mut by_period: HashMap<(Keys, Period), Vec<BreakdownAsked>> = HashMap::new();
        for (((breakdown, with), nominal), each) in group_each(keys, |k| ((k.breakdown, k.keys), k.unit_id, k.period)) {
            by_period.entry((with, nominal)).or_default().push((breakdown, each));
        }
        let mut result = HashMap::new();
        for ((with, _), asked) in by_period {
            let mut answered = stats::breakdowns_each(&self.db, &asked, with).await?;
            for (breakdown, each) in asked {
                let mut rows = answered.remove(&breakdown).unwrap_or_default();
                for (unit_id, period) in each {
                    let key = BreakdownKey { breakdown, keys: with, unit_id, period };
                    result.insert(key, rows.remove(&unit_id).unwrap_or_default());
                }
            }
        }
        Ok(result)
    }
}

impl Loader<ClassKey> for StatsLoader {
    type Value = Vec<ClassTally>;
    type Error = AppError;

    async fn load(&self, keys: &[ClassKey]) -> Result<HashMap<ClassKey, Vec<ClassTally>>, AppError> {
        let mut result = HashMap::new();
        for (period, units) in group(keys, |k| (k.period, k.unit_id)) {
            let mut found = classes::tally(&self.db, &units, &period).await?;
            for unit_id in units {
                result.insert(ClassKey { unit_id, period }, found.remove(&unit_id).unwrap_or_default());
            }
        }
        Ok(result)
    }
}

impl Loader<TrainingKey> for StatsLoader {
    type Value = Vec<TrainingTally>;
    type Error = AppError;

    async fn load(&self, keys: &[TrainingKey]) -> Result<HashMap<TrainingKey, Vec<TrainingTally>>, AppError> {
        let mut result = HashMap::new();
        for (period, units) in group(keys, |k| (k.period, k.unit_id)) {
            let mut found = training::own_candidates(&self.db, &units, &period).await?;
            for unit_id in units {
                result.insert(TrainingKey { unit_id, period }, found.remove(&unit_id).unwrap_or_default());
            }
        }
        Ok(result)
    }
}

impl Loader<FunnelKey> for StatsLoader {
    type Value = FunnelTally;
    type Error = AppError;

    async fn load(&self, keys: &[FunnelKey]) -> Result<HashMap<FunnelKey, FunnelTally>, AppError> {
        let mut result = HashMap::new();
        for (period, units) in group(keys, |k| (k.period, k.unit_id)) {
            let observed_on = funnel_observed_on(&period);
            let mut found = funnel::cohorts(&self.db, &units, &period, observed_on).await?;
            for unit_id in units {
                result.insert(FunnelKey { unit_id, period }, found.remove(&unit_id).unwrap_or_default());
            }
        }
        Ok(result)
    }
}

/// The day a cohort's fate is observed on: the period's `asOf` when given (the funnel as it
/// stood then), else today.
pub fn funnel_observed_on(period: &Period) -> chrono::NaiveDate {
    period.as_of.unwrap_or_else(today_in_vietnam)
}

impl Loader<TargetKey> for StatsLoader {
    type Value = i32;
    type Error = AppError;

    async fn load(&self, keys: &[TargetKey]) -> Result<HashMap<TargetKey, i32>, AppError> {
        let mut result = HashMap::new();
        for (period, units) in group(keys, |k| (k.period, k.unit_id)) {
            let found = targets::for_units(&self.db, &typed(&units), period).await?;
            for ((unit_id, kind), value) in found {
                result.insert(TargetKey { unit_id: unit_id.get(), kind, period }, value);
            }
        }
        Ok(result)
    }
}

impl Loader<RowFiguresKey> for StatsLoader {
    type Value = RowFigures;
    type Error = AppError;

    async fn load(&self, keys: &[RowFiguresKey]) -> Result<HashMap<RowFiguresKey, RowFigures>, AppError> {
        let mut result = HashMap::new();
        for (period, units) in group(keys, |k| (k.period, k.unit_id)) {
            let found = row_figures::read(&self.db, &units, &period).await?;
            // A unit with no row (none by that id) has no figures rather than zeros.
            result.extend(found.into_iter().map(|(unit_id, figures)| (RowFiguresKey { unit_id, period }, figures)));
        }
        Ok(result)
    }
}

impl Loader<AllocationKey> for StatsLoader {
    type Value = Allocation;
    type Error = AppError;

    async fn load(&self, keys: &[AllocationKey]) -> Result<HashMap<AllocationKey, Allocation>, AppError> {
        let mut result = HashMap::new();
        for ((kind, period), units) in group(keys, |k| ((k.kind, k.period), k.unit_id)) {
            let found = targets::allocations(&self.db, &typed(&units), kind, period).await?;
            for unit_id in units {
                let allocation = found.get(&UnitId::from(unit_id)).copied().unwrap_or_default();
                result.insert(AllocationKey { unit_id, kind, period }, allocation);
            }
        }
        Ok(result)
    }
}

impl Loader<TermDaysKey> for StatsLoader {
    type Value = TermDays;
    type Error = AppError;

    async fn load(&self, keys: &[TermDaysKey]) -> Result<HashMap<TermDaysKey, TermDays>, AppError> {
        let mut result = HashMap::new();
        for (term, units) in group(keys, |k| (k.term, k.unit_id)) {
            let found = congress::term_days(&self.db, &typed(&units), term).await?;
            for unit_id in units {
                let days = found.get(&UnitId::from(unit_id)).copied().unwrap_or_default();
                result.insert(TermDaysKey { unit_id, term }, days);
            }
        }
        Ok(result)
    }
}

impl Loader<CongressesKey> for StatsLoader {
    type Value = Vec<crate::entity::congress::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[CongressesKey]) -> Result<HashMap<CongressesKey, Self::Value>, AppError> {
        let units: Vec<UnitId> = keys.iter().map(|key| UnitId::from(key.0)).collect();
        let mut found = congress::of_units(&self.db, &units).await?;
        Ok(keys.iter().map(|key| (*key, found.remove(&UnitId::from(key.0)).unwrap_or_default())).collect())
    }
}

/// Every figure, target and allocation the stats loader reads is of one unit's subtree (over the
/// dated closure, in its period): a change reaches it when it reaches the unit. (The official
/// figures declare theirs beside their loader, `signoff::official`.) Declared here, beside the keys,
/// so a new key type does not build until it says what it depends on.
macro_rules! subtree_figures {
    ($($key:ty),+ $(,)?) => {$(
        impl Dependent<$key> for StatsLoader {
            fn depends_on(key: &$key) -> Depends {
                Depends::Subtree(key.unit_id)
            }
        }
    )+};
}

subtree_figures!(CountKey, BreakdownKey, ClassKey, FunnelKey, TargetKey, AllocationKey, TrainingKey, RowFiguresKey);

/// A unit's congress days are recorded on the unit itself (`recordCongress` files its change
/// under the unit, and a change reaches every ancestor of what it touched, the unit included).
impl Dependent<TermDaysKey> for StatsLoader {
    fn depends_on(key: &TermDaysKey) -> Depends {
        Depends::Subtree(key.unit_id)
    }
}

/// The same for the list of a unit's congresses.
impl Dependent<CongressesKey> for StatsLoader {
    fn depends_on(key: &CongressesKey) -> Depends {
        Depends::Subtree(key.0)
    }
}
