//! Indexes for the aggregate figures. Each figure walks a unit's subtree in the dated closure and
//! then reads the facts of each cell in a date range; these give that read an index with the
//! date after the cell, as `ix_admissions_cell_date` does for admissions.
//!
//! - Nominations by cell and nomination date: nominations in a period, and the source pool on a
//!   day (nominated by then). `ix_nominations_cell` has the status between, so the range is lost.
//! - Nominations by cell and removal date: removals from the source in a period, by reason.
//! - Admissions by cell, outcome and outcome date: recognitions and names deleted in a period and
//!   their time series. Without it the planner starts from `ix_admissions_outcome` and reads every
//!   recognised admission in the country to keep one province's.

use sea_orm_migration::prelude::*;

use crate::m20261123_000001_create_units::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 3] =
    ["ix_nominations_cell_nominated", "ix_nominations_cell_removed", "ix_admissions_cell_outcome"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, INDEXES[0], Nominations::Table, &[Nominations::CellId, Nominations::NominatedOn]).await?;
        index(manager, INDEXES[1], Nominations::Table, &[Nominations::CellId, Nominations::RemovedOn]).await?;
        index(
            manager,
            INDEXES[2],
            Admissions::Table,
            &[Admissions::CellId, Admissions::Outcome, Admissions::OutcomeDecisionDate],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (INDEXES[0], Nominations::Table.into_iden()),
            (INDEXES[1], Nominations::Table.into_iden()),
            (INDEXES[2], Admissions::Table.into_iden()),
        ] {
            manager.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Nominations {
    Table,
    CellId,
    NominatedOn,
    RemovedOn,
}

#[derive(DeriveIden, Clone)]
enum Admissions {
    Table,
    CellId,
    Outcome,
    OutcomeDecisionDate,
}
