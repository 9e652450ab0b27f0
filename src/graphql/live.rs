//! Live updates: the `figuresChanged` subscription (served over graphql-ws by `http::live`).
//!
//! A dashboard subscribes to a unit and refetches its figures when told they changed. The server
//! is woken by the change signal (its own commits, and on PostgreSQL every other server's
//! announcements) and asks the audit trail whether any change since its last look touched the
//! unit's subtree (`domain::change_watch`), so a write elsewhere sends nothing and a write made
//! through another server is seen as soon as its announcement arrives.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::stream::{self, Stream};
use async_graphql::{Context, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use super::access;
use super::context::database;
use crate::auth::{Capability, Scope};
use crate::cache::SharedCache;
use crate::domain::change_watch::ChangeWatch;
use crate::domain::{scope, tree};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;

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
        let watch = ChangeWatch::start(&db, Some(unit.into())).await?;
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
            let id = UnitId::from(unit.id);
            let within = scope::units_within(db, (*unit_id).into(), &[id]).await?;
            if within.contains(&id) { Ok(unit.id) } else { Err(not_found()) }
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
