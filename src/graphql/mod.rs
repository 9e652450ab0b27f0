//! The API face: the schema, built from per-area query and mutation roots. Resolvers read the
//! context, call `domain` (or `stats`), and return; they never write SQL.

pub mod access;
mod account;
mod audit;
mod batching;
pub mod boxed;
pub mod congress;
pub mod context;
pub mod cost;
mod documents;
mod error_codes;
mod error_order;
pub mod ids;
mod input_text;
mod introspection;
pub mod limits;
pub mod live;
pub mod loaders;
mod node;
pub mod pagination;
pub mod pipeline;
mod read_log;
pub mod scalars;
pub mod scope_loader;
pub mod signoff;
pub mod stats;
pub mod targets;
mod transaction;
pub mod unit;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::parser::types::OperationType;
use async_graphql::{MergedObject, Request, Response, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;
use tokio::sync::Semaphore;

use crate::auth::budget::CostBudget;
use crate::auth::token::TokenKeys;
use crate::auth::{self, Principal};
use crate::cache::{CacheSettings, SharedCache};

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
    pipeline::MembershipChangeMutation,
    pipeline::DossierMutation,
    targets::TargetMutation,
    congress::CongressMutation,
    account::AccountMutation,
    signoff::SignOffMutation,
);

/// The executable schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, live::LiveSubscription>;

/// The schema's shape and extensions, without data: shared by the server and the SDL export.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, live::LiveSubscription> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), live::LiveSubscription)
}

/// Limits and switches of the executable schema; `config` builds them from the server's settings
/// (`ServeArgs::schema_options`, and the defaults).
#[derive(Clone)]
pub struct SchemaOptions {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
    /// The keys `issueToken` signs with; None where tokens come from an identity provider.
    pub token_keys: Option<TokenKeys>,
    /// The shared read cache's size and age limits.
    pub read_cache: CacheSettings,
    /// How many requests execute at once.
    pub concurrent_requests: usize,
    /// Points a minute each token subject may spend (`auth::budget`); 0 = no budget.
    pub points_per_minute: u32,
    /// The longest a request executes.
    pub deadline: Duration,
    /// The largest response, in bytes of JSON.
    pub max_response_bytes: usize,
    /// The smallest count a breakdown of people shows a role that may not read personal records.
    pub disclosure_threshold: i64,
    /// The first day of decisions whose dossier `admit` checks; none: never.
    pub dossier_required_from: Option<chrono::NaiveDate>,
}

/// The schema the server executes, over `db`; subscriptions wait on `cache`'s change signal.
fn build_schema(db: DatabaseConnection, options: &SchemaOptions, cache: Arc<SharedCache>) -> AppSchema {
    // The complexity limit is `cost`'s, checked before execution: async-graphql's own count
    // expands every fragment spread.
    let threshold = stats::unit_stats::DisclosureThreshold(options.disclosure_threshold);
    let mut builder = schema_builder().data(db).data(cache).data(threshold).limit_depth(options.max_depth);
    if !options.introspection {
        builder = builder.disable_introspection();
    }
    if let Some(keys) = options.token_keys.clone() {
        builder = builder.data(keys);
    }
    builder.data(pipeline::dossier::DossierSwitch(options.dossier_required_from)).finish()
}

/// The SDL of the API, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// Whether the request's operation changes data (GET refuses those). The parsed document stays
/// in the request, so executing it does not parse it again.
pub fn is_mutation(request: &mut Request) -> bool {
    has_operation(request, OperationType::Mutation)
}

/// Whether the request's document holds an operation of type `ty`.
fn has_operation(request: &mut Request, ty: OperationType) -> bool {
    request
        .parsed_query()
        .is_ok_and(|document| document.operations.iter().any(|(_, operation)| operation.node.ty == ty))
}

/// What it takes to send a read again: its text, operation and variables.
struct Retry {
    query: String,
    operation: Option<String>,
    variables: async_graphql::Variables,
}

impl Retry {
    fn of(request: &Request) -> Self {
        Retry {
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: request.variables.clone(),
        }
    }

    fn request(self) -> Request {
        let request = Request::new(self.query).variables(self.variables);
        match self.operation {
            Some(name) => request.operation_name(name),
            None => request,
        }
    }
}

/// The API as the server runs it: the schema, the database it reads and the read cache its
/// requests share. The HTTP handlers and the tests all execute requests through here.
#[derive(Clone)]
pub struct Api {
    schema: AppSchema,
    db: DatabaseConnection,
    cache: Arc<SharedCache>,
    introspection: bool,
    /// Permits to execute; a request waits for one (`--max-concurrent-requests`).
    running: Arc<Semaphore>,
    /// The most a request may cost, in points.
    max_cost: usize,
    /// The deepest a request may nest.
    max_depth: usize,
    /// Each subject's points (`--rate-limit-points-per-minute`).
    budget: Arc<CostBudget>,
    deadline: Duration,
    max_response_bytes: usize,
    /// The query documents parsed before, by text (`documents`).
    documents: documents::Documents,
}

impl Api {
    /// The API over `db` with `options`, and an empty read cache.
    pub fn new(db: DatabaseConnection, options: SchemaOptions) -> Self {
        let cache = Arc::new(SharedCache::new(options.read_cache));
        Api::with_cache(db, options, cache)
    }

    /// The API over `db` reading through `cache` (tests share one between two APIs).
    pub fn with_cache(db: DatabaseConnection, options: SchemaOptions, cache: Arc<SharedCache>) -> Self {
        Api {
            schema: build_schema(db.clone(), &options, cache.clone()),
            db,
            cache,
            introspection: options.introspection,
            running: Arc::new(Semaphore::new(options.concurrent_requests.max(1))),
            max_cost: options.max_complexity,
            max_depth: options.max_depth,
            budget: Arc::new(CostBudget::per_minute(options.points_per_minute)),
            deadline: options.deadline,
            max_response_bytes: options.max_response_bytes,
            documents: documents::Documents::default(),
        }
    }

    /// Gives `request` its parsed document, without parsing it again when the same text was
    /// parsed before (`documents`). Called first, before anything reads the document.
    pub fn prepare(&self, request: &mut Request) {
        self.documents.prepare(request);
    }

    /// The database the API reads (reports read long lists from it directly, `reports::batches`).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The read cache its requests share.
    pub fn cache(&self) -> &Arc<SharedCache> {
        &self.cache
    }

    /// The largest response a request may have, in bytes of JSON (`--max-response-bytes`).
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// How many more requests could start executing now.
    pub fn idle_permits(&self) -> usize {
        self.running.available_permits()
    }

    /// Executes one request as `principal`, with a fresh set of DataLoaders scoped to them; every
    /// error of the response carries an `extensions.code`. It waits while
    /// `--max-concurrent-requests` others execute: on a CPU-bound server more at once only adds
    /// their memory, not throughput.
    ///
    /// The checks around the schema (introspection refused, error codes) are done here, once per
    /// request, rather than as schema extensions: async-graphql runs every field of every
    /// response through the extensions' `resolve` hook once any extension is registered, which
    /// cost a ranking of the 63 provinces a fifth of its time.
    ///
    /// A response whose JSON would be larger than `--max-response-bytes` is answered
    /// RESPONSE_TOO_LARGE in its place.
    pub async fn execute(&self, request: Request, principal: Principal) -> Response {
        limits::bounded(self.execute_unbounded(request, principal).await, self.max_response_bytes)
    }

    /// `execute` without the bound on the response's size, for a caller that writes the JSON
    /// itself and bounds it as it writes (`http::reply`, with `max_response_bytes`): counting it
    /// first would serialize every response twice, a twentieth of a ranking's instructions.
    pub async fn execute_unbounded(&self, mut request: Request, principal: Principal) -> Response {
        if !self.introspection
            && let Ok(document) = request.parsed_query()
            && introspection::asks_for_introspection(document)
        {
            return error_codes::with_codes(Response::from_errors(vec![introspection::refusal()]));
        }
        if let Some(refusal) = input_text::refusal(&request.query, &request.variables) {
            return error_codes::with_codes(Response::from_errors(vec![refusal]));
        }
        let charge = match self.charge(&mut request, &principal) {
            Ok(charge) => charge,
            Err(refused) => return *refused,
        };
        // The semaphore is never closed, so acquiring only waits.
        let queued = std::time::Instant::now();
        let _permit = self.running.acquire().await.ok();
        crate::telemetry::request_queued(queued.elapsed());
        let read_only = !is_mutation(&mut request);
        let again = read_only.then(|| Retry::of(&request));
        let reads = Arc::new(read_log::ReadLog::default());
        let actor = principal.actor();
        // Boxed: the execution's future is large, and a test's thread has a small stack.
        let (mut response, lost) = Box::pin(self.run(request.data(reads.clone()), principal.clone())).await;
        if lost && let Some(again) = again {
            // A read that failed on a lost connection runs once more, on a live one.
            crate::db::discard_dead_connections(&self.db).await;
            tracing::warn!("a read failed on a lost database connection; running it again");
            response = Box::pin(self.run(again.request().data(reads.clone()), principal)).await.0;
        }
        // Personal data read is released only once its reading is on record.
        if let Err(err) = reads.write(&self.db, &actor).await {
            response =
                Response::from_errors(vec![async_graphql::Error::from(err).into_server_error(Default::default())]);
        }
        let response = error_codes::with_codes(response);
        match charge {
            Some(charge) => limits::with_rate_headers(response, &charge),
            None => response,
        }
    }

    /// Executes `request` once within the deadline: the response (errors in order), and whether
    /// a statement failed on a lost database connection.
    async fn run(&self, request: Request, principal: Principal) -> (Response, bool) {
        let (spawner, batches) = batching::queue();
        let loaders = loaders::Loaders::new(&self.db, &principal.scope, &spawner, &self.cache);
        let (query, operation) = (request.query.clone(), request.operation_name.clone());
        let execution = batching::drive(self.schema.execute(request.data(loaders).data(principal)), batches);
        let (outcome, lost) =
            crate::error::noting_lost_connections(tokio::time::timeout(self.deadline, execution)).await;
        let mut response = outcome.unwrap_or_else(|_| limits::deadline_exceeded(self.deadline));
        error_order::order(&mut response.errors, &query, operation.as_deref());
        (response, lost)
    }

    /// What the request costs (`cost`), refused when over the limit of one request or the
    /// subject's budget; the charge, to be shown on the response (None without a budget or for
    /// a document that does not parse, which execution refuses).
    fn charge(
        &self,
        request: &mut Request,
        principal: &Principal,
    ) -> Result<Option<auth::budget::Charge>, Box<Response>> {
        let variables = request.variables.clone();
        let operation = request.operation_name.clone();
        let Ok(document) = request.parsed_query() else { return Ok(None) };
        let measure = cost::measure(self.schema.registry(), document, operation.as_deref(), &variables);
        if measure.depth > self.max_depth {
            return Err(Box::new(limits::too_deep(measure.depth, self.max_depth)));
        }
        let cost = measure.cost;
        if cost > self.max_cost {
            return Err(Box::new(limits::too_complex(cost, self.max_cost)));
        }
        if !self.budget.is_on() {
            return Ok(None);
        }
        match self.budget.charge(&principal.subject, cost) {
            Ok(charge) => Ok(Some(charge)),
            Err(refused) => Err(Box::new(limits::with_rate_headers(limits::rate_limited(&refused), &refused))),
        }
    }

    /// Runs `request` as `principal` for a long-lived connection: a subscription as a stream of
    /// responses, one per event, each error with its code (its resolvers read the database
    /// directly, as they outlive a request's loaders, and check the scope themselves); a query
    /// or mutation as one response from `execute`.
    pub fn stream(&self, mut request: Request, principal: Principal) -> BoxStream<'static, Response> {
        if has_operation(&mut request, OperationType::Subscription) {
            self.schema.execute_stream(request.data(principal)).map(error_codes::with_codes).boxed()
        } else {
            let api = self.clone();
            futures::stream::once(async move { api.execute(request, principal).await }).boxed()
        }
    }
}
