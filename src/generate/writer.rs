//! The bulk writer: one dedicated connection, one transaction per batch. On SQLite, multi-row
//! INSERTs of up to 32,766 bound values with foreign-key checks and fsync off during the load
//! (safe for a one-off load into a new file: a crash means starting again); on PostgreSQL,
//! `COPY … FROM STDIN` in text format with `synchronous_commit` off and, when the role may,
//! `session_replication_role = replica` so that the foreign-key triggers do not fire per row.
//! Both drop the loaded tables' secondary indexes before the load and build them again after it
//! (a sorted build is several times faster than keeping them up to date row by row; the unique
//! ones are checked again as they are built), and restore the connection's settings when closed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres, Sqlite};
use sea_orm::{DatabaseConnection, DbBackend};

use super::rows::{Batch, Rows, TABLES, Table, V};

/// SQLite's limit on bound values in one statement.
const SQLITE_MAX_BINDS: usize = 32_766;
/// Rows per INSERT on SQLite: beyond a few hundred, longer statements only cost compile time.
const SQLITE_MAX_ROWS: usize = 500;

/// Drops the indexes that `$listing` (a query of name and definition) finds on `$conn`, and gives
/// their definitions back, to build them again after the load. A macro, as `build_indexes!`: the
/// two backends' connections are different types.
macro_rules! drop_indexes {
    ($conn:expr, $listing:expr) => {{
        let found: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe($listing)).fetch_all(&mut *$conn).await?;
        let mut indexes = Vec::with_capacity(found.len());
        for (name, definition) in found {
            sqlx::query(AssertSqlSafe(format!("DROP INDEX \"{name}\""))).execute(&mut *$conn).await?;
            indexes.push(definition);
        }
        indexes
    }};
}

/// Runs the saved index definitions on `$conn`.
macro_rules! build_indexes {
    ($conn:expr, $indexes:expr) => {
        for definition in $indexes {
            let started = std::time::Instant::now();
            sqlx::query(AssertSqlSafe(definition.clone())).execute(&mut *$conn).await?;
            tracing::info!("built in {:.1} s: {definition}", started.elapsed().as_secs_f64());
        }
    };
}

/// Where batches go.
pub(crate) enum Sink {
    Sqlite {
        conn: PoolConnection<Sqlite>,
        statements: HashMap<usize, Arc<str>>,
        synchronous: i64,
        /// The definitions of the indexes dropped for the load.
        indexes: Vec<String>,
    },
    Postgres {
        conn: PoolConnection<Postgres>,
        buffer: Vec<u8>,
        indexes: Vec<String>,
    },
}

/// The loaded tables, as an SQL list of string literals (their names are ours, not input).
fn table_list() -> String {
    TABLES.iter().map(|t| format!("'{}'", t.name)).collect::<Vec<_>>().join(",")
}

impl Sink {
    /// Takes a connection of `db`'s pool and sets it up for the load.
    pub(crate) async fn open(db: &DatabaseConnection) -> Result<Sink, sqlx::Error> {
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let mut conn = db.get_postgres_connection_pool().acquire().await?;
                sqlx::query("SET synchronous_commit = off").execute(&mut *conn).await?;
                sqlx::query("SET maintenance_work_mem = '512MB'").execute(&mut *conn).await?;
                if let Err(err) = sqlx::query("SET session_replication_role = replica").execute(&mut *conn).await {
                    tracing::info!("foreign keys are checked row by row during the load: {err}");
                }
                // Secondary indexes only: primary keys and constraints stay.
                let indexes = drop_indexes!(
                    conn,
                    format!(
                        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() \
                         AND i.tablename IN ({}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
                         WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace) \
                         ORDER BY i.indexname",
                        table_list()
                    )
                );
                Ok(Sink::Postgres { conn, buffer: Vec::with_capacity(1 << 20), indexes })
            }
            _ => {
                let mut conn = db.get_sqlite_connection_pool().acquire().await?;
                let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
                for pragma in [
                    "PRAGMA foreign_keys = OFF",
                    "PRAGMA synchronous = OFF",
                    "PRAGMA cache_size = -262144",
                    "PRAGMA temp_store = MEMORY",
                ] {
                    sqlx::query(pragma).execute(&mut *conn).await?;
                }
                // Indexes declared with CREATE INDEX (those of UNIQUE columns have no SQL and stay).
                let indexes = drop_indexes!(
                    conn,
                    format!(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                         AND tbl_name IN ({}) ORDER BY name",
                        table_list()
                    )
                );
                Ok(Sink::Sqlite { conn, statements: HashMap::new(), synchronous, indexes })
            }
        }
    }

    /// Writes one batch in one transaction, parents first.
    pub(crate) async fn write(&mut self, batch: Batch) -> Result<(), sqlx::Error> {
        self.execute("BEGIN").await?;
        let mut result = Ok(());
        for rows in batch.tables {
            result = self.insert(rows).await;
            if result.is_err() {
                break;
            }
        }
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        self.execute(end).await?;
        result
    }

    /// Runs one statement without parameters on the sink's connection.
    async fn execute(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        match self {
            Sink::Sqlite { conn, .. } => sqlx::query(sql).execute(&mut **conn).await.map(drop),
            Sink::Postgres { conn, .. } => sqlx::query(sql).execute(&mut **conn).await.map(drop),
        }
    }

    /// Writes one table's rows: multi-row INSERTs on SQLite, COPY on PostgreSQL.
    async fn insert(&mut self, rows: Rows) -> Result<(), sqlx::Error> {
        match self {
            Sink::Sqlite { conn, statements, .. } => insert_sqlite(conn, statements, rows).await,
            Sink::Postgres { conn, buffer, .. } => copy_postgres(conn, buffer, rows).await,
        }
    }

    /// Builds the dropped indexes again, restores the connection's settings and gives it back to
    /// the pool.
    pub(crate) async fn close(self) -> Result<(), sqlx::Error> {
        match self {
            Sink::Sqlite { mut conn, synchronous, indexes, .. } => {
                build_indexes!(conn, indexes);
                sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                let restore = format!("PRAGMA synchronous = {synchronous}");
                sqlx::query(AssertSqlSafe(restore)).execute(&mut *conn).await?;
                sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
            }
            Sink::Postgres { mut conn, indexes, .. } => {
                build_indexes!(conn, indexes);
                sqlx::query("RESET maintenance_work_mem").execute(&mut *conn).await?;
                sqlx::query("RESET session_replication_role").execute(&mut *conn).await?;
                sqlx::query("RESET synchronous_commit").execute(&mut *conn).await?;
            }
        }
        Ok(())
    }
}

fn insert_sql(table: &Table, rows: usize) -> String {
    let placeholders = format!("({})", vec!["?"; table.columns.len()].join(","));
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", table.name, table.columns.join(","));
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push_str(&placeholders);
    }
    sql
}

async fn insert_sqlite(
    conn: &mut PoolConnection<Sqlite>,
    statements: &mut HashMap<usize, Arc<str>>,
    rows: Rows,
) -> Result<(), sqlx::Error> {
    let table = rows.table;
    let columns = table.columns.len();
    let per_statement = (SQLITE_MAX_BINDS / columns).min(SQLITE_MAX_ROWS);
    let mut remaining = rows.len();
    let mut values = rows.values.into_iter();
    while remaining > 0 {
        let count = remaining.min(per_statement);
        // Full statements are prepared once and reused; the last, shorter one of a table is not kept.
        let (sql, persistent) = if count == per_statement {
            let sql = statements.entry(table.slot).or_insert_with(|| insert_sql(table, count).into());
            (AssertSqlSafe(Arc::clone(sql)), true)
        } else {
            (AssertSqlSafe(Arc::from(insert_sql(table, count))), false)
        };
        let mut query = sqlx::query(sql).persistent(persistent);
        for value in values.by_ref().take(count * columns) {
            query = match value {
                V::Int(n) => query.bind(n),
                V::Text(text) => query.bind(text),
                V::Static(text) => query.bind(text),
                V::Date(date) => query.bind(date_text(date)),
                V::Stamp(date) => query.bind(format!("{}T02:00:00+00:00", date_text(date))),
                V::Null => query.bind(None::<i64>),
            };
        }
        query.execute(&mut **conn).await?;
        remaining -= count;
    }
    Ok(())
}

async fn copy_postgres(
    conn: &mut PoolConnection<Postgres>,
    buffer: &mut Vec<u8>,
    rows: Rows,
) -> Result<(), sqlx::Error> {
    if rows.values.is_empty() {
        return Ok(());
    }
    let table = rows.table;
    let columns = table.columns.len();
    buffer.clear();
    let mut text = String::new();
    for (i, value) in rows.values.into_iter().enumerate() {
        text.clear();
        match value {
            V::Int(n) => {
                let _ = write!(text, "{n}");
            }
            V::Text(value) => escape_copy(&mut text, &value),
            V::Static(value) => escape_copy(&mut text, value),
            V::Date(date) => text.push_str(&date_text(date)),
            V::Stamp(date) => {
                let _ = write!(text, "{} 02:00:00+00", date_text(date));
            }
            V::Null => text.push_str("\\N"),
        }
        buffer.extend_from_slice(text.as_bytes());
        buffer.push(if (i + 1) % columns == 0 { b'\n' } else { b'\t' });
    }
    let statement = format!("COPY {} ({}) FROM STDIN", table.name, table.columns.join(","));
    let mut copy = conn.copy_in_raw(&statement).await?;
    if let Err(err) = copy.send(buffer.as_slice()).await {
        let _ = copy.abort("the generator failed").await;
        return Err(err);
    }
    copy.finish().await?;
    Ok(())
}

/// COPY's text format: backslash, tab, newline and carriage return are escaped.
fn escape_copy(out: &mut String, value: &str) {
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(ch),
        }
    }
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_copy_text() {
        let mut out = String::new();
        escape_copy(&mut out, "a\tb\\c\nd");
        assert_eq!(out, "a\\tb\\\\c\\nd");
    }

    #[test]
    fn builds_multi_row_inserts() {
        assert_eq!(
            insert_sql(&super::super::rows::NOMINATION_MENTORS, 2),
            "INSERT INTO nomination_mentors (id,nomination_id,member_id,assigned_on,released_on) VALUES (?,?,?,?,?),(?,?,?,?,?)"
        );
    }
}
