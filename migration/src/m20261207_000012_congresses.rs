//! `congresses`: a unit's congress (đại hội) opening a term (nhiệm kỳ), with the date it was held
//! and its resolution's number. A term's figures for a unit count from its congress to the day
//! before its next one; without a recorded congress they count the term's nominal years.

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
                    .table(Congresses::Table)
                    .col(big_pk_auto(Congresses::Id))
                    .col(big_integer(Congresses::UnitId))
                    .col(integer(Congresses::TermStartYear))
                    .col(integer(Congresses::TermEndYear))
                    .col(date(Congresses::HeldOn))
                    .col(string_len(Congresses::ResolutionNumber, 64))
                    .col(text_null(Congresses::Note))
                    .col(timestamp_with_time_zone(Congresses::CreatedAt))
                    .col(timestamp_with_time_zone(Congresses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Congresses::Table, Congresses::UnitId).to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One congress per unit and term; also the lookup of a list of units' congresses opening
        // a term and the next one (a ranking's rows read both in one statement).
        manager
            .create_index(
                Index::create()
                    .name("ux_congresses_unit_term")
                    .table(Congresses::Table)
                    .col(Congresses::UnitId)
                    .col(Congresses::TermStartYear)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Congresses::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum Congresses {
    Table,
    Id,
    UnitId,
    /// The year the term is named from ("2020" of 2020–2025).
    TermStartYear,
    /// The year the term is named to, when its next congress is due ("2025" of 2020–2025).
    TermEndYear,
    /// The first day of the congress; the term counts from it.
    HeldOn,
    /// The congress resolution's number ("01-NQ/ĐH").
    ResolutionNumber,
    Note,
    CreatedAt,
    UpdatedAt,
}
