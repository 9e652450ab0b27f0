//! `UnitConnection`, the connection every list of units returns: async-graphql's `Connection`
//! (the same `pageInfo`, `edges` and cursors, its documentation word for word) with a `nodes`
//! that answers plain rows (`plain_rows`) when the selection lets it; and `list`, a page of a
//! set of units as one.

use std::borrow::Cow;

use async_graphql::connection::{CursorType, Edge, EmptyFields, OpaqueCursor, PageInfo};
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_list;
use async_graphql::{Context, ContextSelectionSet, Object, OutputType, Positioned, Result, ServerResult, Value};

use super::plain_rows::UnitPlan;
use super::types::Unit;
use crate::auth::Principal;
use crate::domain::tree_read::{self, ListOptions, NameKey, UnitSet};
use crate::domain::{Slice, Window};
use crate::entity::unit;
use crate::graphql::context::database;
use crate::graphql::loaders::Loaders;
use crate::graphql::pagination::{PageArgs, TotalCount, connection};
use crate::graphql::stats::read_ahead;
use crate::telemetry;

/// A unit with its position in the list, encoded as a cursor only when asked.
pub type UnitEdge = Edge<OpaqueCursor<NameKey>, Unit, EmptyFields>;

/// A page of units with its total count.
pub struct UnitConnection {
    has_previous_page: bool,
    has_next_page: bool,
    edges: Vec<UnitEdge>,
    count: TotalCount,
}

#[Object]
impl UnitConnection {
    /// Information to aid in pagination.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|edge| edge.cursor.encode_cursor()),
            end_cursor: self.edges.last().map(|edge| edge.cursor.encode_cursor()),
        }
    }

    /// A list of edges.
    async fn edges(&self) -> &[UnitEdge] {
        &self.edges
    }

    /// A list of nodes.
    async fn nodes(&self) -> UnitNodes<'_> {
        UnitNodes(&self.edges)
    }

    #[graphql(flatten)]
    async fn count(&self) -> &TotalCount {
        &self.count
    }
}

/// A connection's nodes: `[Unit!]!` in the schema, answered as plain rows when the selection
/// and the rows allow it, unit by unit through `Unit`'s resolvers otherwise.
pub struct UnitNodes<'a>(&'a [UnitEdge]);

impl OutputType for UnitNodes<'_> {
    fn type_name() -> Cow<'static, str> {
        <Vec<Unit> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<Unit> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<Unit> as OutputType>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        let plain = UnitPlan::compile(ctx, &field.node.selection_set).and_then(|plan| {
            let loaders = ctx.data_opt::<Loaders>()?;
            plan.rows(self.0.iter().map(|edge| &edge.node.0), loaders, ctx.data_opt::<Principal>())
        });
        telemetry::unit_list_rows(plain.is_some(), self.0.len());
        match plain {
            Some(rows) => Ok(Value::List(rows)),
            None => resolve_list(ctx, field, self.0.iter().map(|edge| &edge.node), Some(self.0.len())).await,
        }
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
