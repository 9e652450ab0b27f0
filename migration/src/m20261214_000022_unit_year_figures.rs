//! `unit_year_figures`: per unit and calendar year, the three figures a dashboard's row of units
//! shows for a year — the admissions decided in the year in the unit's subtree (each counted
//! toward every ancestor-or-self of its cell on the decision date, the attribution of
//! `unit_month_counts`, whose twelve months of the year it sums) and the unit's own assigned and
//! resolution targets for the year (null when not set). A national ranking then reads one row
//! per province by its primary key, where it probed the targets' index and summed twelve rollup
//! rows. A row whose admissions are zero and whose targets are both unset is not kept.
//!
//! The application fills the table from the rollup and the targets when this migration is
//! applied (`ketnap::sql::year_figures::recount`, run by `db::migrate`) and keeps it exact in the
//! transaction of every change (see `ketnap::sql::year_figures`).

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
                    .table(UnitYearFigures::Table)
                    .col(big_integer(UnitYearFigures::UnitId))
                    .col(integer(UnitYearFigures::Year))
                    .col(big_integer(UnitYearFigures::Admissions).default(0))
                    .col(integer_null(UnitYearFigures::AssignedTarget))
                    .col(integer_null(UnitYearFigures::ResolutionTarget))
                    // "These units' figures of this year" is one probe per unit.
                    .primary_key(Index::create().col(UnitYearFigures::UnitId).col(UnitYearFigures::Year))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitYearFigures::Table, UnitYearFigures::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UnitYearFigures::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum UnitYearFigures {
    Table,
    UnitId,
    /// The calendar year.
    Year,
    /// Admissions decided in the year under the unit (on each decision date's tree).
    Admissions,
    /// The unit's assigned target for the year, if set.
    AssignedTarget,
    /// The unit's resolution target for the year, if set.
    ResolutionTarget,
}
