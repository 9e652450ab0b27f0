//! The `Unit` and `UnitEvent` output types. `Unit`'s fields are in `fields`: the types they
//! return (figures, targets) name `Unit` too; the connection every list of units returns is in
//! `connection`.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};

use crate::entity::unit;
use crate::entity::{unit_event, vocabulary::UnitEventKind};
use crate::graphql::access;
use crate::graphql::context::loaders;
use crate::graphql::scalars::Date;
use crate::ids::UnitId;

/// The API face of a `units` row.
pub struct Unit(pub unit::Model);

impl Unit {
    /// Everything but the name and code needs the unit to be in the caller's scope.
    pub(super) async fn guard(&self, ctx: &Context<'_>) -> Result<()> {
        Ok(access::require_inside(ctx, self.0.id).await?)
    }
}

pub(crate) async fn load_unit(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<Unit>> {
    match id {
        Some(id) => Ok(loaders(ctx)?.units.load_one(UnitId::from(id)).await?.map(Unit)),
        None => Ok(None),
    }
}

/// The API face of a `unit_events` row.
pub struct UnitEvent(pub unit_event::Model);

/// A dated event in a unit's history.
#[Object]
impl UnitEvent {
    /// What happened.
    async fn kind(&self) -> UnitEventKind {
        self.0.kind
    }

    /// The date it took effect.
    async fn effective_on(&self) -> Date {
        self.0.effective_on.into()
    }

    /// The name before a rename.
    async fn old_name(&self) -> Option<&str> {
        self.0.old_name.as_deref()
    }

    /// The name after a rename (or at creation).
    async fn new_name(&self) -> Option<&str> {
        self.0.new_name.as_deref()
    }

    /// The parent before a move.
    async fn old_parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        load_unit(ctx, self.0.old_parent_id).await
    }

    /// The parent after a move (or at creation).
    async fn new_parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        load_unit(ctx, self.0.new_parent_id).await
    }

    /// The other unit of a merge: the target of MERGED_INTO, the source of MERGED_FROM.
    async fn other_unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        load_unit(ctx, self.0.other_unit_id).await
    }

    /// When the event was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}
