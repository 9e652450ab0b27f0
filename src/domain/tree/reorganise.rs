//! A reorganisation: many moves, merges and dissolutions applied in one transaction, each through
//! the same function (and so the same checks, events and audit entries) as its single mutation,
//! with one recount of the rollup at the end instead of one per change. The 2025 reorganisation
//! of a whole country is tens of thousands of changes; recounting the provinces' rollup after each
//! of them would redo the same grouped count thousands of times.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::dissolve::dissolve;
use super::merge::merge_deferred;
use super::regroup::Regrouped;
use super::relink::move_deferred;
use crate::domain::audit::Actor;
use crate::entity::unit;
use crate::error::AppResult;
use crate::ids::UnitId;

/// Changes to the tree applied one after another on the connection (a transaction) it holds.
/// Dropping it without `finish` leaves the rollup stale: the caller then rolls back.
pub struct Reorganisation<'a, C> {
    db: &'a C,
    actor: &'a Actor,
    regrouped: Regrouped,
}

impl<'a, C: ConnectionTrait> Reorganisation<'a, C> {
    /// A reorganisation by `actor` inside the transaction `db`.
    pub fn new(db: &'a C, actor: &'a Actor) -> Self {
        Reorganisation { db, actor, regrouped: Regrouped::default() }
    }

    /// Places `id` (with its subtree) under `new_parent` from `on`, as `move_unit` does.
    pub async fn move_unit(&mut self, id: UnitId, new_parent: UnitId, on: NaiveDate) -> AppResult<unit::Model> {
        move_deferred(self.db, self.actor, id, new_parent, on, &mut self.regrouped).await
    }

    /// Merges `sources` into `target` from `on`, as `merge` does.
    pub async fn merge(&mut self, sources: &[UnitId], target: UnitId, on: NaiveDate) -> AppResult<unit::Model> {
        merge_deferred(self.db, self.actor, sources, target, on, &mut self.regrouped).await
    }

    /// Dissolves an emptied unit from `on`, as `dissolve` does (nothing to recount: it has no
    /// units or members left).
    pub async fn dissolve(&mut self, id: UnitId, on: NaiveDate) -> AppResult<unit::Model> {
        dissolve(self.db, self.actor, id, on).await
    }

    /// Recounts the rollup of every unit the changes regrouped; returns how many.
    pub async fn finish(self) -> AppResult<usize> {
        let recounted = self.regrouped.len();
        self.regrouped.recount(self.db).await?;
        Ok(recounted)
    }
}
