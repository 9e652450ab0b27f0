//! Changes made by other servers and by the command line, on PostgreSQL: each write announces
//! itself on a channel (`NOTIFY`, sent by a mutation right after its commit, or delivered at the
//! commit of the command line's transaction; `db::announce`) with
//! its footprint as the payload, and every server listens, forgetting what each announcement
//! reached — everything when the payload is empty (the command line, older servers) or cannot
//! be read.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{DatabaseConnection, DbBackend};

use super::{Footprint, SharedCache};
use crate::db::CHANNEL;
use crate::telemetry;

/// How long the listener waits before connecting again after it lost its connection.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Keeps `cache` in step with the announcements of every writer on the PostgreSQL database of
/// `db`, for as long as the pool is open. The cache is suspended whenever the listener is not
/// connected, since announcements made meanwhile are lost. Does nothing on SQLite.
pub fn follow(db: &DatabaseConnection, cache: Arc<SharedCache>) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    cache.suspend();
    tokio::spawn(async move {
        let mut attempt = 0u64;
        while !pool.is_closed() {
            let outcome = listen(&pool, &cache, attempt).await;
            attempt += 1;
            if !pool.is_closed() {
                let cause = outcome.err().map(|err| err.to_string()).unwrap_or_else(|| "connection lost".into());
                tracing::warn!(error.cause = %cause, "the change listener stopped; the read cache is off until it listens again");
            }
            cache.suspend();
            telemetry::listener(false);
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    });
}

/// Listens until the connection is lost, resuming the cache once listening.
/// `attempt` counts the connections before this one: from the second on, it is a reconnection.
async fn listen(pool: &sea_orm::sqlx::PgPool, cache: &SharedCache, attempt: u64) -> Result<(), sea_orm::sqlx::Error> {
    let schema: String = sea_orm::sqlx::query_scalar("SELECT current_schema()").fetch_one(pool).await?;
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(&format!("{CHANNEL}.{schema}")).await?;
    cache.resume();
    if attempt > 0 {
        tracing::info!(listener.attempt = attempt, "the change listener reconnected; the read cache is on again");
    }
    telemetry::listener(true);
    // `try_recv` answers None when the connection was lost (it would reconnect on the next call,
    // but announcements sent in between are gone, so the caller starts over instead).
    while let Some(notification) = listener.try_recv().await? {
        cache.changed(&Footprint::parse(notification.payload()));
    }
    Ok(())
}
