//! Disclosure keys: every person gets a random key from 0 to 255 (`persons.disclosure_key`),
//! kept with the record and never shown. A breakdown's category carries the sum of its people's
//! keys, and a count released under disclosure control is perturbed by a function of that sum
//! (the cell-key method of statistical offices' table builders), so the same people counted in
//! any table give the same perturbed count, and a difference of two tables is not the count of
//! the people between them. A sign-off keeps each kept category's key beside its count.
//!
//! PostgreSQL draws each row's key from a volatile default (evaluated per existing row when the
//! column is added, and per insert after). SQLite cannot add a column with such a default, so the
//! existing rows are filled by an update and new rows by a trigger; an insert that names a key
//! (the generator's seeded data) keeps it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE persons ADD COLUMN disclosure_key integer NOT NULL \
                     DEFAULT floor(random() * 256)::integer",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared("ALTER TABLE persons ADD COLUMN disclosure_key integer").await?;
                db.execute_unprepared("UPDATE persons SET disclosure_key = abs(random() % 256)").await?;
                db.execute_unprepared(
                    "CREATE TRIGGER persons_disclosure_key AFTER INSERT ON persons \
                     FOR EACH ROW WHEN NEW.disclosure_key IS NULL BEGIN \
                     UPDATE persons SET disclosure_key = abs(random() % 256) WHERE id = NEW.id; END",
                )
                .await?;
            }
        }
        db.execute_unprepared("ALTER TABLE official_breakdowns ADD COLUMN disclosure_key bigint NOT NULL DEFAULT 0")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() != DbBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER IF EXISTS persons_disclosure_key").await?;
        }
        db.execute_unprepared("ALTER TABLE official_breakdowns DROP COLUMN disclosure_key").await?;
        db.execute_unprepared("ALTER TABLE persons DROP COLUMN disclosure_key").await?;
        Ok(())
    }
}
