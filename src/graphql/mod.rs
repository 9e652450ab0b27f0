//! The API face: the schema, built from per-area query and mutation roots. Resolvers read the
//! context, call `domain` (or `stats`), and return; they never write SQL.

pub mod access;
mod account;
mod audit;
mod batching;
pub mod context;
mod error_codes;
pub mod ids;
mod introspection;
pub mod loaders;
mod node;
pub mod pagination;
pub mod pipeline;
pub mod scalars;
pub mod stats;
pub mod unit;

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, Request, Response, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use crate::auth::Principal;
use crate::auth::token::TokenKeys;
use crate::cache::SharedCache;
use crate::config::ServeArgs;

/// Every query, merged from the areas.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    node::NodeQuery,
    unit::UnitQuery,
    pipeline::PipelineQuery,
    audit::AuditQuery,
    account::AccountQuery,
);

/// Every mutation, merged from the areas.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    unit::UnitMutation,
    pipeline::PipelineMutation,
    stats::TargetMutation,
    account::AccountMutation,
);

/// The executable schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema's shape and extensions, without data: shared by the server and the SDL export.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription).extension(error_codes::ErrorCodes)
}

/// Limits and switches of the executable schema.
#[derive(Clone)]
pub struct SchemaOptions {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
    /// The keys `issueToken` signs with; None where tokens come from an identity provider.
    pub token_keys: Option<TokenKeys>,
}

impl SchemaOptions {
    /// The server's options from its settings.
    pub fn from_settings(settings: &ServeArgs, token_keys: Option<TokenKeys>) -> Self {
        SchemaOptions {
            max_depth: settings.max_query_depth,
            max_complexity: settings.max_query_complexity,
            introspection: !settings.no_introspection,
            token_keys,
        }
    }
}

impl Default for SchemaOptions {
    /// The defaults of `ServeArgs`, without token issuing.
    fn default() -> Self {
        SchemaOptions::from_settings(&ServeArgs::default(), None)
    }
}

/// The schema the server executes, over `db`.
pub fn build_schema(db: DatabaseConnection, options: SchemaOptions) -> AppSchema {
    let mut builder = schema_builder().data(db).limit_depth(options.max_depth).limit_complexity(options.max_complexity);
    if !options.introspection {
        builder = builder.disable_introspection().extension(introspection::NoIntrospection);
    }
    if let Some(keys) = options.token_keys {
        builder = builder.data(keys);
    }
    builder.finish()
}

/// The SDL of the API, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// Whether the request's operation changes data (GET refuses those).
pub fn is_mutation(request: &Request) -> bool {
    use async_graphql::parser::{parse_query, types::OperationType};
    parse_query(&request.query).is_ok_and(|document| {
        document.operations.iter().any(|(_, operation)| operation.node.ty == OperationType::Mutation)
    })
}

/// Executes one request as `principal`, with a fresh set of DataLoaders scoped to them, reading
/// through the server's shared read cache `cache`. The HTTP handlers and the tests both go
/// through here.
pub async fn execute(
    schema: &AppSchema,
    db: &DatabaseConnection,
    cache: &Arc<SharedCache>,
    request: Request,
    principal: Principal,
) -> Response {
    let (spawner, batches) = batching::queue();
    let loaders = loaders::Loaders::new(db, &principal.scope, &spawner, cache);
    batching::drive(schema.execute(request.data(loaders).data(principal)), batches).await
}
