//! The `Unit` and `UnitEvent` output types, and the unit connection every list of units returns.
//! `Unit`'s fields are in `fields`: the types they return (figures, targets) name `Unit` too.

use async_graphql::connection::OpaqueCursor;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};

use super::connection::UnitConnection;
use crate::domain::tree_read::{self, ListOptions, NameKey, UnitSet};
use crate::domain::{Slice, Window};
use crate::entity::unit;
use crate::entity::{unit_event, vocabulary::UnitEventKind};
use crate::graphql::access;
use crate::graphql::context::{database, loaders};
use crate::graphql::pagination::{PageArgs, TotalCount, connection};
use crate::graphql::scalars::Date;
use crate::graphql::stats::read_ahead;
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

/// A page of `set` as a connection whose `totalCount` is counted only when selected. The row
/// figures its nodes ask for are read with the page when the shared cache is not serving
/// (`read_ahead::columns_for_page`), else through the cache after it.
pub async fn list(ctx: &Context<'_>, set: UnitSet, options: ListOptions, page: PageArgs) -> Result<UnitConnection> {
    let window: Window<NameKey> = page.window()?;
    let db = database(ctx)?.clone();
    let rows = match read_ahead::columns_for_page(ctx)? {
        Some(figures) => {
            let rows = tree_read::page_with(&db, &set, options, &window, figures.columns()).await?;
            read_ahead::keep(ctx, &figures, rows, None).await?
        }
        None => tree_read::page(&db, &set, options, &window).await?,
    };
    read_ahead::read_ahead(ctx, &ids_of(&rows)).await?;
    let count = TotalCount::deferred(move || {
        let (db, set) = (db.clone(), set.clone());
        Box::pin(async move { tree_read::count(&db, &set, options).await })
    });
    Ok(unit_connection(&window, rows, count))
}

/// The ids of a page's units, for reading their row figures ahead.
pub fn ids_of(rows: &Slice<unit::Model>) -> Vec<i64> {
    rows.rows.iter().map(|row| row.id).collect()
}

/// The connection of a slice of units, each with its (folded name, id) position as cursor.
pub fn unit_connection(window: &Window<NameKey>, rows: Slice<unit::Model>, count: TotalCount) -> UnitConnection {
    let page = connection(window, rows, count, |row| (OpaqueCursor(NameKey::of(&row)), Unit(row)));
    UnitConnection {
        has_previous_page: page.has_previous_page,
        has_next_page: page.has_next_page,
        edges: page.edges,
        count: page.additional_fields,
    }
}
