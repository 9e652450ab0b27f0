//! Trigram indexes for name search on PostgreSQL. Unit and person searches match every word of
//! the query anywhere in the folded name (`name_search LIKE '%word%'`), which no B-tree serves:
//! at national scale (millions of persons) that is a full scan per search. A GIN index with
//! `pg_trgm`'s `gin_trgm_ops` answers `LIKE '%word%'` from the index. SQLite has no such index
//! and keeps its scan; the migration does nothing there.
//!
//! The extension is created in `public` (unless the database has it already, wherever it is) and
//! the operator class is named with its schema, so that a deployment or test living in another
//! schema neither owns the extension nor loses it when that schema is dropped. An advisory lock
//! keeps two migrations starting at once from creating it twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table): the folded-name column `name_search` of each.
const INDEXES: [(&str, &str); 2] = [("ix_units_name_trgm", "units"), ("ix_persons_name_trgm", "persons")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("SELECT pg_advisory_xact_lock(74602611230000008)").await?;
        let schema = match extension_schema(db).await? {
            Some(schema) => schema,
            None => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").await?;
                extension_schema(db).await?.unwrap_or_else(|| "public".to_owned())
            }
        };
        for (index, table) in INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (name_search \"{schema}\".gin_trgm_ops)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // The extension stays: other schemas of the database may use it.
        let db = manager.get_connection();
        for (index, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {index}")).await?;
        }
        Ok(())
    }
}

/// The schema the `pg_trgm` extension lives in, if it is installed.
async fn extension_schema<C: ConnectionTrait>(db: &C) -> Result<Option<String>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname = 'pg_trgm'",
        ))
        .await?;
    row.map(|row| row.try_get::<String>("", "schema")).transpose()
}
