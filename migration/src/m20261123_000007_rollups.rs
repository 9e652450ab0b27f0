//! `unit_month_counts`: admissions, recognitions and names deleted per unit and calendar month,
//! each fact counted toward every unit that was an ancestor-or-self of its cell on the fact's
//! date (the dated closure). A year of a province is a sum of at most 12 rows instead of a grouped
//! read of every admission below it. The primary key `(unit_id, month)` serves "these units, these
//! months" as one index range per unit; the application keeps the table in step with admissions
//! and the closure in the same transaction as each change (see `ketnap::stats::rollups`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::Units;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnitMonthCounts::Table)
                    .col(big_integer(UnitMonthCounts::UnitId))
                    .col(date(UnitMonthCounts::Month))
                    .col(big_integer(UnitMonthCounts::Admissions).default(0))
                    .col(big_integer(UnitMonthCounts::Recognitions).default(0))
                    .col(big_integer(UnitMonthCounts::NamesDeleted).default(0))
                    .primary_key(Index::create().col(UnitMonthCounts::UnitId).col(UnitMonthCounts::Month))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitMonthCounts::Table, UnitMonthCounts::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UnitMonthCounts::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum UnitMonthCounts {
    Table,
    UnitId,
    /// The first day of the month.
    Month,
    Admissions,
    Recognitions,
    NamesDeleted,
}
