//! Live updates: the `figuresChanged` subscription, and the executor that runs operations sent
//! over a WebSocket (graphql-ws) as the connection's authenticated user.
//!
//! A dashboard subscribes to a unit and refetches its figures when told they changed. The server
//! is woken by the change signal (its own commits, and on PostgreSQL every other server's
//! announcements) and asks the audit trail whether any change since its last look touched the
//! unit's subtree (`domain::change_watch`), so a write elsewhere sends nothing and a write made
//! through another server is seen as soon as its announcement arrives.

use std::any::TypeId;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::stream::{self, BoxStream, Stream, StreamExt};
use async_graphql::{Context, Data, Executor, Request, Response, ServerError, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use super::Api;
use super::access;
use super::context::database;
use super::error_codes;
use crate::auth::{Capability, Principal, Scope};
use crate::cache::SharedCache;
use crate::domain::change_watch::ChangeWatch;
use crate::domain::{scope, tree};
use crate::error::{AppError, AppResult};

/// Changes noticed within this long of each other are told as one: a mutation and its
/// announcement from the database arrive a few milliseconds apart, and a bulk change is many.
const COALESCE: Duration = Duration::from_millis(150);

/// That the figures of a unit's subtree may have changed.
#[derive(SimpleObject, Clone)]
pub struct FiguresChanged {
    /// The code of the unit subscribed to.
    pub unit_code: String,
    /// When the server noticed the change.
    pub noticed_at: DateTime<Utc>,
}

/// Every subscription: live updates over graphql-ws on the GraphQL path.
#[derive(Default)]
pub struct LiveSubscription;

/// Live updates, over graphql-ws on the GraphQL path: a dashboard learns when to refetch.
#[Subscription(name = "SubscriptionRoot")]
impl LiveSubscription {
    /// Tells when committed changes may have changed any figure of the unit with `code` or of a
    /// unit below it — an admission, recognition, removal, class, target or tree change filed
    /// under one of them, in any period — so that a dashboard refetches what it shows. Changes
    /// close together are told once. The unit must be in the caller's scope (NOT_FOUND
    /// otherwise, as for a missing unit), and the role must read figures. Over graphql-ws only.
    async fn figures_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code of the unit whose subtree to follow.")] code: String,
    ) -> async_graphql::Result<impl Stream<Item = FiguresChanged> + use<>> {
        let principal = access::require(ctx, Capability::ReadFigures)?;
        let db = database(ctx)?.clone();
        let cache = ctx.data::<Arc<SharedCache>>().map_err(|_| AppError::Internal("no read cache".into()))?;
        let unit = visible_unit(&db, &principal.scope, &code).await?;
        let watch = ChangeWatch::start(&db, Some(unit)).await?;
        Ok(changes(db, watch, cache.change_signal(), code.trim().to_owned()))
    }
}

/// The unit with `code` if it lies in `scope`; NOT_FOUND, like a missing one, if not.
async fn visible_unit(db: &DatabaseConnection, scope: &Scope, code: &str) -> AppResult<i64> {
    let not_found = || AppError::not_found(format!("no unit has the code '{}'", code.trim()));
    let unit =
        tree::get_by_code(db, code).await.map_err(|err| if err.code() == "NOT_FOUND" { not_found() } else { err })?;
    match scope {
        Scope::Country => Ok(unit.id),
        Scope::Subtree { unit_id, .. } => {
            let within = scope::units_within(db, *unit_id, &[unit.id]).await?;
            if within.contains(&unit.id) { Ok(unit.id) } else { Err(not_found()) }
        }
    }
}

/// One event each time the signal wakes the watch and it finds a change in its subtree.
fn changes(
    db: DatabaseConnection,
    watch: ChangeWatch,
    signal: watch::Receiver<u64>,
    unit_code: String,
) -> impl Stream<Item = FiguresChanged> {
    stream::unfold((db, watch, signal), move |(db, mut watch, mut signal)| {
        let unit_code = unit_code.clone();
        async move {
            loop {
                signal.changed().await.ok()?;
                tokio::time::sleep(COALESCE).await;
                signal.borrow_and_update();
                match watch.look(&db).await {
                    Ok(true) => {
                        let event = FiguresChanged { unit_code, noticed_at: Utc::now() };
                        return Some((event, (db, watch, signal)));
                    }
                    Ok(false) => {}
                    Err(err) => tracing::warn!(error.cause = ?err, "a live update could not read the audit trail"),
                }
            }
        }
    })
}

/// Runs what a WebSocket connection sends as the user its `connection_init` authenticated:
/// subscriptions on the schema, queries and mutations through `Api::execute`.
#[derive(Clone)]
pub struct LiveExecutor(pub Api);

impl Executor for LiveExecutor {
    async fn execute(&self, _request: Request) -> Response {
        // graphql-ws sends every operation through `execute_stream`, with the connection's data.
        error_codes::with_codes(Response::from_errors(vec![unauthenticated()]))
    }

    fn execute_stream(&self, mut request: Request, session: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        let Some(principal) = session.as_deref().and_then(principal_of) else {
            return stream::once(async { error_codes::with_codes(Response::from_errors(vec![unauthenticated()])) })
                .boxed();
        };
        if super::has_operation(&mut request, async_graphql::parser::types::OperationType::Subscription) {
            self.0.subscribe(request, principal)
        } else {
            let api = self.0.clone();
            stream::once(async move { api.execute(request, principal).await }).boxed()
        }
    }
}

fn principal_of(data: &Data) -> Option<Principal> {
    data.get(&TypeId::of::<Principal>()).and_then(|value| value.downcast_ref::<Principal>()).cloned()
}

fn unauthenticated() -> ServerError {
    let mut error =
        ServerError::new("sign in: send connection_init with {\"Authorization\": \"Bearer <token>\"}", None);
    error.extensions.get_or_insert_with(Default::default).set("code", "UNAUTHENTICATED");
    error
}
