//! The transaction every mutation runs in, after its authorization.

use async_graphql::Context;
use futures::future::BoxFuture;
use sea_orm::DatabaseTransaction;

use super::access::{self, Touch};
use super::context::{database, loaders};
use crate::auth::Capability;
use crate::db;
use crate::domain::audit::Actor;
use crate::domain::change_watch::footprint;
use crate::error::{AppError, AppResult};

/// Runs a mutation: the request's loaders stop remembering (`Loaders::forget`); `access::authorize`
/// checks that the caller may use `capability` on every record in `touches`; then `work` runs in
/// one write transaction, committed when it succeeds and rolled back when it fails, so a refused
/// or failing mutation writes nothing. Before it commits, the transaction works out what it can
/// have changed from the audit rows it filed (`change_watch::footprint`) and announces that to
/// the other servers; once committed, this server's read cache forgets the same.
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
        let (value, filed) = footprint::noting(work(&txn, &actor)).await;
        let value = value?;
        let footprint = filed.footprint(&txn).await?;
        db::announce(&txn, &footprint.payload()).await?;
        Ok::<_, AppError>((value, footprint))
    };
    match outcome.await {
        Ok((value, footprint)) => {
            txn.commit().await?;
            loaders.changed(&footprint);
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
