//! The write side of the stock summaries (`sql::stocks`): every change to a person's
//! memberships, stints, nominations or admission revises the provinces' stock rows in the same
//! transaction. A revision reads the person's dated changes before the write, reads them again
//! after, and adds the difference — so a write that moves one date moves exactly the rows it
//! touched, and a write that changes nothing in a stock writes no stock row.
//!
//! The writes that call it are the pipeline's: nominating and removing from the source,
//! admitting, recognising or not, creating and transferring members, ending memberships and
//! transfers in. A change to the tree recounts the regrouped provinces instead
//! (`tree::regroup`); bulk loads and `ketnap rebuild-rollups` recount everything
//! (`rollup::rebuild_all`). `tests/api/rollups.rs` checks after every kind of change that the
//! rows give the stock a live count gives, on every day that matters.

use std::collections::BTreeMap;
use std::future::Future;

use sea_orm::ConnectionTrait;

use crate::error::AppResult;
use crate::sql::stocks::{self, StockKey};

/// The persons a write is about and their dated changes before it.
#[derive(Debug)]
pub struct Revision {
    persons: Vec<i64>,
    before: BTreeMap<StockKey, i64>,
}

impl Revision {
    /// Reads `persons`' dated changes as they stand, before a write changes them.
    pub async fn begin<C: ConnectionTrait>(db: &C, persons: &[i64]) -> AppResult<Revision> {
        stocks::hold_against_recount(db).await?;
        let before = stocks::changes_of(db, persons).await?;
        Ok(Revision { persons: persons.to_vec(), before })
    }

    /// Adds the difference the write made to the persons' dated changes to the stock rows.
    pub async fn finish<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        let mut deltas = stocks::changes_of(db, &self.persons).await?;
        for (key, before) in self.before {
            *deltas.entry(key).or_default() -= before;
        }
        deltas.retain(|_, delta| *delta != 0);
        stocks::apply(db, &deltas).await
    }
}

/// Runs `work` (a write about `persons`, not yet started) between a revision's two reads: the
/// stock rows follow whatever it changed. Not nested: a write that calls another revised write
/// calls its unrevised body.
pub async fn revised<C, T, F>(db: &C, persons: &[i64], work: F) -> AppResult<T>
where
    C: ConnectionTrait,
    F: Future<Output = AppResult<T>>,
{
    let revision = Revision::begin(db, persons).await?;
    let output = work.await?;
    revision.finish(db).await?;
    Ok(output)
}
