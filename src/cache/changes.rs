//! Changes made by other servers and by the command line, on PostgreSQL: each write transaction
//! announces itself on a channel (`NOTIFY`, delivered only when it commits) and every server
//! listens, ending its cache's generation at each announcement.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};

use super::SharedCache;

/// The channel write transactions announce themselves on, followed by the schema they write
/// (`ketnap_changes.public`): two deployments in one database, each in its own schema, don't
/// empty each other's caches.
pub const CHANNEL: &str = "ketnap_changes";

/// How long the listener waits before connecting again after it lost its connection.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Announces, inside the write transaction `txn`, that it changes data: PostgreSQL delivers the
/// announcement to every listener when (and only if) the transaction commits. On SQLite, where
/// one server owns the file, this does nothing.
pub async fn announce(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_notify('{CHANNEL}.' || current_schema(), '')")).await?;
    }
    Ok(())
}

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
        while !pool.is_closed() {
            let outcome = listen(&pool, &cache).await;
            if !pool.is_closed() {
                let cause = outcome.err().map(|err| err.to_string()).unwrap_or_else(|| "connection lost".into());
                tracing::warn!(error.cause = %cause, "the change listener stopped; the read cache is off until it listens again");
            }
            cache.suspend();
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    });
}

/// Listens until the connection is lost, resuming the cache once listening.
async fn listen(pool: &sea_orm::sqlx::PgPool, cache: &SharedCache) -> Result<(), sea_orm::sqlx::Error> {
    let schema: String = sea_orm::sqlx::query_scalar("SELECT current_schema()").fetch_one(pool).await?;
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(&format!("{CHANNEL}.{schema}")).await?;
    cache.resume();
    // `try_recv` answers None when the connection was lost (it would reconnect on the next call,
    // but announcements sent in between are gone, so the caller starts over instead).
    while listener.try_recv().await?.is_some() {
        cache.changed();
    }
    Ok(())
}
