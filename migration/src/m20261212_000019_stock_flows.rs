//! The provinces' stock summaries (`unit_stock_days`, `unit_stock_months`) gain flows counted on
//! their dates: removals from the source by reason (with the removed people's disclosure keys),
//! and classes by kind with their attendance and completions. No table changes: the new figures
//! are rows of the same tables. Applying this migration is what tells `ketnap::db::migrate` to
//! recount the summaries from the rows already recorded, as it did when the tables were added
//! (the SQL that counts them lives in the service, which this crate does not depend on).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
