//! The units whose subtree a change to the tree regrouped, and the recount of their rollup rows
//! and stock summaries (`sql::stocks`: a merge also moves stints, dated on its day) and awareness
//! cohorts (`sql::cohorts`).
//! A single mutation recounts as it ends; a reorganisation of many changes in one transaction
//! collects them and recounts once at the end (`Reorganisation::finish`), which gives the same
//! rows: the recount reads the admissions and the closure as they stand, not the steps between.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::domain::rollup;
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::{cohorts, stocks};

/// Units recounted by one statement at most.
const RECOUNT_CHUNK: usize = 5_000;

/// Units to recount, each from the earliest day a change regrouped it.
#[derive(Debug, Default)]
pub(crate) struct Regrouped {
    from: BTreeMap<UnitId, NaiveDate>,
}

impl Regrouped {
    /// Notes that the subtrees of `units` changed from `on`.
    pub(super) fn add(&mut self, units: impl IntoIterator<Item = UnitId>, on: NaiveDate) {
        for unit in units {
            self.from.entry(unit).and_modify(|from| *from = (*from).min(on)).or_insert(on);
        }
    }

    /// How many units are to be recounted.
    pub(super) fn len(&self) -> usize {
        self.from.len()
    }

    /// Recounts the rollup rows of every unit noted, one grouped recount per distinct day.
    pub(super) async fn recount<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        let mut by_day: BTreeMap<NaiveDate, BTreeSet<UnitId>> = BTreeMap::new();
        for (unit, from) in self.from {
            by_day.entry(from).or_default().insert(unit);
        }
        for (from, units) in by_day {
            let units: Vec<UnitId> = units.into_iter().collect();
            // Bounded statements: the recount names its units twice, and the databases cap the
            // values of one statement (SQLite 32,766, PostgreSQL 65,535).
            for chunk in units.chunks(RECOUNT_CHUNK) {
                // The stocks first: their lock is the one the pipeline's writes take first.
                let ids: Vec<i64> = chunk.iter().map(|unit| unit.get()).collect();
                stocks::recount(db, Some(&ids), Some(from)).await?;
                cohorts::recount(db, Some(&ids), Some(from)).await?;
                rollup::recount_from(db, chunk, from).await?;
            }
        }
        Ok(())
    }
}
