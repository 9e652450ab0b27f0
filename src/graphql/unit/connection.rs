//! `UnitConnection`, the connection every list of units returns: async-graphql's `Connection`
//! (the same `pageInfo`, `edges` and cursors, its documentation word for word) with a `nodes`
//! that answers plain rows (`plain_rows`) when the selection lets it.

use std::borrow::Cow;

use async_graphql::connection::{CursorType, Edge, EmptyFields, OpaqueCursor, PageInfo};
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_list;
use async_graphql::{ContextSelectionSet, Object, OutputType, Positioned, ServerResult, Value};

use super::plain_rows::UnitPlan;
use super::types::Unit;
use crate::auth::Principal;
use crate::domain::tree_read::NameKey;
use crate::graphql::loaders::Loaders;
use crate::graphql::pagination::TotalCount;
use crate::telemetry;

/// A unit with its position in the list, encoded as a cursor only when asked.
pub type UnitEdge = Edge<OpaqueCursor<NameKey>, Unit, EmptyFields>;

/// A page of units with its total count.
pub struct UnitConnection {
    pub(super) has_previous_page: bool,
    pub(super) has_next_page: bool,
    pub(super) edges: Vec<UnitEdge>,
    pub(super) count: TotalCount,
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
