//! Opening the database (SQLite file or PostgreSQL), applying migrations, and starting the write
//! transactions every mutation runs in.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait, sqlx::sqlite::SqliteJournalMode,
};

/// Connects to `url`. A SQLite file is created when missing and runs in WAL mode with foreign
/// keys on and a busy timeout, so that concurrent writers wait instead of failing.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    Database::connect(options(url, max_connections)).await
}

/// The connection options `connect` uses, for callers that add to them (tests set a schema).
pub fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections.max(1))
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // Ping a pooled connection only after it sat idle, not on every checkout: the ping is a
        // round trip per statement, as much as a dashboard's indexed lookups cost.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    options
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begins the transaction a mutation runs in. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes can lose a lock upgrade
/// race with no waiting, whereas an immediate one queues behind the busy timeout. On PostgreSQL
/// it announces the change to every server's read cache, delivered when it commits
/// (`cache::changes`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let mode = match db.get_database_backend() {
        DbBackend::Sqlite => Some(SqliteTransactionMode::Immediate),
        _ => None,
    };
    let txn = db.begin_with_options(TransactionOptions { sqlite_transaction_mode: mode, ..Default::default() }).await?;
    crate::cache::changes::announce(&txn).await?;
    Ok(txn)
}

/// Builds a statement from SQL written with `?` placeholders, numbering them `$1, $2, …` for
/// PostgreSQL. Hand-written SQL is kept for the set-based tree and report queries, where it reads
/// far more clearly than a builder; our SQL never contains a literal `?`.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = match backend {
        DbBackend::Postgres => number_placeholders(sql),
        _ => sql.to_owned(),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

fn number_placeholders(sql: &str) -> String {
    let mut numbered = String::with_capacity(sql.len() + 16);
    let mut next = 0;
    for ch in sql.chars() {
        if ch == '?' {
            next += 1;
            numbered.push('$');
            numbered.push_str(&next.to_string());
        } else {
            numbered.push(ch);
        }
    }
    numbered
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_placeholders_for_postgres() {
        assert_eq!(super::number_placeholders("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)");
    }
}
