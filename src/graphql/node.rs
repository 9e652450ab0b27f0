//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`.

use async_graphql::{Context, ID, Interface, Object, Result};

use super::context::loaders;
use super::ids::{NodeKind, from_global};
use super::unit::Unit;

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The object's global ID."))]
pub enum Node {
    Unit(Unit),
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global ID, or null when there is none. A malformed ID is a VALIDATION error.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        fetch(ctx, &id).await
    }

    /// The objects with these global IDs, in order (null where there is none); at most 100.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(crate::error::AppError::invalid("ids", "ask for at most 100 IDs at once").into());
        }
        // Concurrent, so the DataLoaders batch them into one statement per kind.
        futures::future::try_join_all(ids.iter().map(|id| fetch(ctx, id))).await
    }
}

async fn fetch(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let (kind, row) = from_global(id)?;
    Ok(match kind {
        NodeKind::Unit => loaders(ctx)?.units.load_one(row).await?.map(|unit| Node::Unit(Unit(unit))),
        _ => None,
    })
}
