//! The write side of the stock summaries (`sql::stocks`): every change to a person's
//! memberships, stints, nominations, class results or admission, and every class created, revises
//! the provinces' stock rows in the same transaction. A revision reads the person's dated changes before the write, reads them again
//! after, and adds the difference — so a write that moves one date moves exactly the rows it
//! touched, and a write that changes nothing in a stock writes no stock row.
//!
//! The writes that call it are the pipeline's — nominating and removing from the source,
//! admitting, recognising or not, creating and transferring members, ending memberships and
//! transfers in, recording class results — about their persons; creating and dissolving a unit,
//! about the unit; and creating a class, about its organiser (the classes it organises). A move
//! or a merge recounts the regrouped provinces instead (`tree::regroup`); bulk loads and
//! `ketnap rebuild-rollups` recount everything (`rollup::rebuild_all`). `tests/api/rollups.rs`
//! checks after every kind of change that the rows give the stock a live count gives, on every
//! day that matters.
//!
//! A revision about persons also rewrites their rows of the awareness cohorts (`sql::cohorts`),
//! whose fates follow the same nominations, removals, admissions and class results.

use std::collections::BTreeMap;
use std::future::Future;

use sea_orm::ConnectionTrait;

use crate::error::AppResult;
use crate::sql::batch::Writes;
use crate::sql::cohorts;
use crate::sql::stocks::{self, StockKey, Whose};

/// What a write is about.
#[derive(Debug)]
enum Subject {
    Persons(Vec<i64>),
    Units(Vec<i64>),
}

impl Subject {
    fn whose(&self) -> Whose<'_> {
        match self {
            Subject::Persons(persons) => Whose::Persons(persons),
            Subject::Units(units) => Whose::Units(units),
        }
    }
}

/// The persons or units a write is about and their dated changes before it.
#[derive(Debug)]
pub struct Revision {
    subject: Subject,
    before: BTreeMap<StockKey, i64>,
}

impl Revision {
    /// Reads `persons`' dated changes as they stand, before a write changes them.
    pub async fn of_persons<C: ConnectionTrait>(db: &C, persons: &[i64]) -> AppResult<Revision> {
        Revision::read(db, Subject::Persons(persons.to_vec())).await
    }

    /// Reads the dated changes of `units` (counted in the provinces above them) as they stand.
    pub async fn of_units<C: ConnectionTrait>(db: &C, units: &[i64]) -> AppResult<Revision> {
        Revision::read(db, Subject::Units(units.to_vec())).await
    }

    async fn read<C: ConnectionTrait>(db: &C, subject: Subject) -> AppResult<Revision> {
        stocks::hold_against_recount(db).await?;
        let before = stocks::changes_of(db, subject.whose()).await?;
        Ok(Revision { subject, before })
    }

    /// Adds the difference the write made to the subjects' dated changes to the stock rows.
    pub async fn finish<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        self.writes(db).await?.run(db).await
    }

    /// The upserts that add the difference the write made to the stock rows, for a write that
    /// sends them with its other shared rows (`sql::batch`).
    pub async fn writes<C: ConnectionTrait>(self, db: &C) -> AppResult<Writes> {
        let mut deltas = stocks::changes_of(db, self.subject.whose()).await?;
        for (key, before) in self.before {
            *deltas.entry(key).or_default() -= before;
        }
        deltas.retain(|_, delta| *delta != 0);
        let mut writes = stocks::upserts(&deltas);
        if let Subject::Persons(persons) = &self.subject {
            writes.extend(cohorts::rewrite_persons(db.get_database_backend(), persons));
        }
        Ok(writes)
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
    let revision = Revision::of_persons(db, persons).await?;
    let output = work.await?;
    revision.finish(db).await?;
    Ok(output)
}
