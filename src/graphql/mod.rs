//! The API face: the schema, built from per-area query and mutation roots. Resolvers read the
//! context, call `domain` (or `stats`), and return; they never write SQL.

pub mod context;
mod error_codes;
pub mod ids;
pub mod loaders;
mod node;
pub mod pagination;
pub mod pipeline;
pub mod scalars;
pub mod stats;
pub mod unit;

use async_graphql::{EmptySubscription, MergedObject, Request, Response, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use crate::domain::audit::Actor;

/// Every query, merged from the areas.
#[derive(MergedObject, Default)]
pub struct QueryRoot(node::NodeQuery, unit::UnitQuery, pipeline::PipelineQuery);

/// Every mutation, merged from the areas.
#[derive(MergedObject, Default)]
pub struct MutationRoot(unit::UnitMutation, pipeline::PipelineMutation, stats::TargetMutation);

/// The executable schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema's shape and extensions, without data: shared by the server and the SDL export.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription).extension(error_codes::ErrorCodes)
}

/// The schema the server executes, over `db`.
pub fn build_schema(db: DatabaseConnection) -> AppSchema {
    schema_builder().data(db).finish()
}

/// The SDL of the API, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// Executes one request as `actor`, with a fresh set of DataLoaders. The HTTP handlers and the
/// tests both go through here.
pub async fn execute(schema: &AppSchema, db: &DatabaseConnection, request: Request, actor: Actor) -> Response {
    schema.execute(request.data(loaders::Loaders::new(db)).data(actor)).await
}
