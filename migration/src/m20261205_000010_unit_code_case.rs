//! Unit codes are unique regardless of case: `QNM.NTH` and `qnm.nth` would be two units that a
//! person reading a report, or a token's `unit` claim typed by hand, cannot tell apart. A unique
//! index on `lower(code)` holds it under concurrent creates too (SQLite and PostgreSQL both
//! index expressions); the domain checks first, to answer with a clear CONFLICT.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE UNIQUE INDEX IF NOT EXISTS ux_units_code_lower ON units (lower(code))").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX IF EXISTS ux_units_code_lower").await?;
        Ok(())
    }
}
