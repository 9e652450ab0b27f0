//! Maintained stock summaries: how many members (by standing) and candidates in the source a
//! province had on any day, kept as dated changes so that the stock on a day is a short indexed
//! sum instead of a walk over every stint or nomination below the province.
//!
//! `unit_stock_days` holds the net change of a stock on each day it changed; `unit_stock_months`
//! the net change of each calendar month (the sum of that month's days). The stock on day D is
//! the sum of the months before D's month plus the days of D's month up to D: a few hundred month
//! rows and at most 31 day rows per unit and category, whatever the province's size. The
//! application fills both tables from the base rows when this migration is applied
//! (`ketnap::sql::stocks::rebuild_all`, run by `db::migrate`) and keeps them exact in the
//! transaction of every change (see `ketnap::domain::stocks`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::Units;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, dated) in [(UnitStocks::Days, UnitStocks::Day), (UnitStocks::Months, UnitStocks::Month)] {
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(big_integer(UnitStocks::UnitId))
                        .col(string_len(UnitStocks::Figure, 32))
                        .col(string_len(UnitStocks::Category, 32))
                        .col(date(dated.clone()))
                        .col(big_integer(UnitStocks::Delta))
                        // The date before the category: "this unit's stock, these days" is one
                        // index range whatever the categories.
                        .primary_key(
                            Index::create()
                                .col(UnitStocks::UnitId)
                                .col(UnitStocks::Figure)
                                .col(dated)
                                .col(UnitStocks::Category),
                        )
                        .foreign_key(ForeignKey::create().from(table, UnitStocks::UnitId).to(Units::Table, Units::Id))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [UnitStocks::Months, UnitStocks::Days] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum UnitStocks {
    #[sea_orm(iden = "unit_stock_days")]
    Days,
    #[sea_orm(iden = "unit_stock_months")]
    Months,
    UnitId,
    /// `MEMBERS` or `IN_SOURCE`.
    Figure,
    /// A member's standing (`OFFICIAL`, `PROBATIONARY`); empty for the source.
    Category,
    /// The day of a change.
    Day,
    /// The first day of a month.
    Month,
    /// The net change of the stock on that day or in that month.
    Delta,
}
