//! Backups that restore: `ketnap backup` and `ketnap restore`, for both databases.
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy from one read transaction; in WAL mode the
//!   server keeps reading and writing meanwhile. Restoring copies the backup into a new file the
//!   same way, which also proves the backup is a readable database.
//! - PostgreSQL: `pg_dump` of the schema ketnap works in (custom format, no owners or grants, so
//!   it restores under another role), and `pg_restore` of it into a new database, in one
//!   transaction: a restore that fails leaves nothing half-made. `pg_dump` reads one snapshot,
//!   so writes running meanwhile are either wholly in the backup or wholly absent.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult, Statement};
use tokio::process::Command;

/// Writes a backup of `db` (reached at `url`) to `to`, which must not exist yet.
pub async fn backup(db: &DatabaseConnection, url: &str, to: &Path) -> Result<(), String> {
    if to.exists() {
        return Err(format!("{} already exists; a backup never overwrites a file", to.display()));
    }
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let schema = current_schema(db).await?;
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--no-privileges"])
                .arg(format!("--schema={schema}"))
                .arg(format!("--file={}", to.display()))
                .arg(format!("--dbname={}", libpq_url(url)));
            run(dump).await
        }
        _ => db
            .execute_unprepared(&format!("VACUUM INTO {}", sql_text(to)?))
            .await
            .map(drop)
            .map_err(|err| format!("the backup failed: {err}")),
    }
}

/// Restores the backup `from` into the empty database at `url` (a new SQLite file, or a
/// PostgreSQL database where the backed-up schema does not exist yet).
pub async fn restore(url: &str, from: &Path) -> Result<(), String> {
    if !from.is_file() {
        return Err(format!("{} is not a backup file", from.display()));
    }
    if url.starts_with("postgres") {
        prepare_postgres(url).await?;
        let mut restore = Command::new("pg_restore");
        restore
            .args(["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"])
            .arg(format!("--dbname={}", libpq_url(url)))
            .arg(from);
        return run(restore).await;
    }
    let target = sqlite_file(url)?;
    if target.metadata().is_ok_and(|meta| meta.len() > 0) {
        return Err(format!("{} already holds a database; restore into a new file", target.display()));
    }
    // Read-only, and without the server's settings (WAL would write to the backup).
    let source = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", from.display()))
        .await
        .map_err(|err| format!("cannot open the backup {}: {err}", from.display()))?;
    let result = source.execute_unprepared(&format!("VACUUM INTO {}", sql_text(&target)?)).await;
    source.close().await.ok();
    result.map(drop).map_err(|err| format!("the restore failed: {err}"))
}

/// What a schema's dump does not carry: the extensions its indexes use (installed database-wide,
/// as the migrations install them).
async fn prepare_postgres(url: &str) -> Result<(), String> {
    let db = sea_orm::Database::connect(url).await.map_err(|err| format!("cannot open the target database: {err}"))?;
    let result = db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").await;
    db.close().await.ok();
    result.map(drop).map_err(|err| format!("cannot install pg_trgm in the target database: {err}"))
}

/// The schema the connection works in (the one a backup takes).
async fn current_schema(db: &DatabaseConnection) -> Result<String, String> {
    #[derive(FromQueryResult)]
    struct Schema {
        name: String,
    }
    let statement = Statement::from_string(DbBackend::Postgres, "SELECT current_schema() AS name");
    Schema::find_by_statement(statement)
        .one(db)
        .await
        .map_err(|err| format!("cannot read the current schema: {err}"))?
        .map(|schema| schema.name)
        .ok_or_else(|| "the connection has no current schema".to_owned())
}

/// The file of a `sqlite://FILE?…` URL.
fn sqlite_file(url: &str) -> Result<PathBuf, String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).ok_or("not a SQLite URL")?;
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        return Err("restore needs a SQLite file".into());
    }
    Ok(PathBuf::from(file))
}

/// A path as an SQL string literal.
fn sql_text(path: &Path) -> Result<String, String> {
    let text = path.to_str().ok_or("the path is not valid UTF-8")?;
    Ok(format!("'{}'", text.replace('\'', "''")))
}

/// The URL as libpq reads it: the `postgres://` form sqlx also accepts, without the parameters
/// only sqlx knows.
fn libpq_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else { return url.to_owned() };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("statement-cache-capacity=") && !pair.starts_with("ssl-root-cert="))
        .collect();
    if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
}

/// Runs a PostgreSQL client tool; its own error output says what went wrong.
async fn run(mut command: Command) -> Result<(), String> {
    let program = command.as_std().get_program().to_string_lossy().into_owned();
    let output =
        command.output().await.map_err(|err| format!("cannot run {program} (install the PostgreSQL client): {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{program} failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_what_the_tools_read() {
        assert_eq!(sqlite_file("sqlite://data/ketnap.db?mode=rwc").unwrap(), PathBuf::from("data/ketnap.db"));
        assert_eq!(sqlite_file("sqlite:ketnap.db").unwrap(), PathBuf::from("ketnap.db"));
        assert!(sqlite_file("sqlite::memory:").is_err());
        assert_eq!(
            libpq_url("postgres://u@h/db?sslmode=require&statement-cache-capacity=0"),
            "postgres://u@h/db?sslmode=require"
        );
        assert_eq!(sql_text(Path::new("/tmp/it's.db")).unwrap(), "'/tmp/it''s.db'");
    }
}
