//! The transaction every mutation runs in, after its authorization.

use async_graphql::Context;
use futures::future::BoxFuture;
use sea_orm::DatabaseTransaction;

use super::access::{self, Touch};
use super::context::{database, loaders};
use crate::auth::Capability;
use crate::db;
use crate::domain::audit::Actor;
use crate::error::AppResult;

/// Runs a mutation: the request's loaders stop remembering (`Loaders::forget`); `access::authorize`
/// checks that the caller may use `capability` on every record in `touches`; then `work` runs in
/// one write transaction, committed when it succeeds and rolled back when it fails, so a refused
/// or failing mutation writes nothing. Once committed, the shared read cache forgets.
pub async fn write<T, F>(ctx: &Context<'_>, capability: Capability, touches: &[Touch], work: F) -> AppResult<T>
where
    F: for<'c> FnOnce(&'c DatabaseTransaction, &'c Actor) -> BoxFuture<'c, AppResult<T>>,
{
    let loaders = loaders(ctx)?;
    loaders.forget();
    let actor = access::authorize(ctx, capability, touches).await?.actor();
    let db = database(ctx)?;
    let txn = db::begin_write(db).await?;
    match work(&txn, &actor).await {
        Ok(value) => {
            txn.commit().await?;
            loaders.changed();
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
