//! The transaction every mutation runs in, after its authorization.

use async_graphql::Context;
use futures::future::BoxFuture;
use sea_orm::DatabaseTransaction;

use super::access::{self, Touch};
use super::context::{database, loaders};
use crate::auth::Capability;
use crate::db;
use crate::domain::audit::Actor;
use crate::domain::change_watch::footprint::{self, Footprint};
use crate::error::{AppError, AppResult};

/// Runs a mutation: the request's loaders stop remembering (`Loaders::forget`); `access::authorize`
/// checks that the caller may use `capability` on every record in `touches`; then `work` runs in
/// one write transaction, committed when it succeeds and rolled back when it fails, so a refused
/// or failing mutation writes nothing. Before it commits, the transaction works out what it can
/// have changed from the audit rows it filed (`change_watch::footprint`); once committed, this
/// server's read cache forgets that, and the other servers are told (`announce_committed`). A
/// mutation that wrote no row (`db::wrote_since`) forgets and announces nothing.
pub async fn write<T, F>(ctx: &Context<'_>, capability: Capability, touches: &[Touch], work: F) -> AppResult<T>
where
    F: for<'c> FnOnce(&'c DatabaseTransaction, &'c Actor) -> BoxFuture<'c, AppResult<T>>,
{
    let loaders = loaders(ctx)?;
    loaders.forget();
    let actor = access::authorize(ctx, capability, touches).await?.actor();
    let db = database(ctx)?;
    let txn = db::begin_unannounced(db).await?;
    let outcome = async {
        let mark = db::write_mark(&txn).await?;
        let (value, filed) = footprint::noting(work(&txn, &actor)).await;
        let value = value?;
        // A mutation that filed nothing is placed nowhere (`Everything`) unless it wrote nothing
        // at all (a target set to the value it had): then there is nothing to forget.
        if filed.is_empty() && !db::wrote_since(&txn, mark).await? {
            return Ok::<_, AppError>((value, None));
        }
        Ok((value, Some(filed.footprint(&txn).await?)))
    };
    match outcome.await {
        Ok((value, footprint)) => {
            txn.commit().await?;
            if let Some(footprint) = footprint {
                loaders.changed(&footprint);
                announce_committed(db, &footprint).await;
            }
            Ok(value)
        }
        Err(err) => {
            // Roll back now rather than on drop, so the connection goes back to the pool clean.
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error.cause = %rollback, "rolling back a failed mutation failed");
            }
            Err(err)
        }
    }
}

/// Tells the other servers what a committed mutation changed: a NOTIFY of its own, after the
/// commit, so a change is announced only if it committed. Not inside the transaction: PostgreSQL
/// takes a database-wide lock at the commit of a transaction that sent NOTIFY and holds it
/// through the commit's WAL flush, so mutations that notify in their transaction commit one at
/// a time (BENCHMARKS.md, "Commits and NOTIFY"). The mutation stands whatever happens here; an
/// announcement that cannot be sent is logged, and the other servers see the change when their
/// entries expire (`--read-cache-seconds`) — or at once, if the database went away, since their
/// listeners lost it too and start over when they reconnect.
async fn announce_committed(db: &sea_orm::DatabaseConnection, footprint: &Footprint) {
    if let Err(err) = db::announce(db, &footprint.payload()).await {
        tracing::warn!(
            error.cause = %err,
            "a committed change could not be announced; other servers may serve its old figures until they expire"
        );
    }
}
