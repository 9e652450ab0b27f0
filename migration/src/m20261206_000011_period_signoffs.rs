//! Sign-off of official figures (phê duyệt số liệu, domain §2): `period_signoffs` holds each
//! unit's sign-off of a period (a year, half, quarter or term), its approval by the level above
//! and its reopening, one row per revision; `official_figures` keeps, for every unit of the
//! signed-off subtree, the figures as they stood at the sign-off (the snapshot the live figures
//! are compared with).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::{Units, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PeriodSignoffs::Table)
                    .col(big_pk_auto(PeriodSignoffs::Id))
                    .col(big_integer(PeriodSignoffs::UnitId))
                    .col(string_len(PeriodSignoffs::PeriodKind, 8))
                    .col(date(PeriodSignoffs::PeriodStart))
                    .col(date(PeriodSignoffs::PeriodEnd))
                    .col(string_len(PeriodSignoffs::Label, 32))
                    .col(integer(PeriodSignoffs::Revision))
                    .col(string_len(PeriodSignoffs::Status, 16))
                    .col(timestamp_with_time_zone(PeriodSignoffs::SignedOffAt))
                    .col(string_len_null(PeriodSignoffs::SignedOffBySubject, 255))
                    .col(string_len_null(PeriodSignoffs::SignedOffByName, 255))
                    .col(timestamp_with_time_zone_null(PeriodSignoffs::ApprovedAt))
                    .col(string_len_null(PeriodSignoffs::ApprovedBySubject, 255))
                    .col(string_len_null(PeriodSignoffs::ApprovedByName, 255))
                    .col(timestamp_with_time_zone_null(PeriodSignoffs::ReopenedAt))
                    .col(string_len_null(PeriodSignoffs::ReopenedBySubject, 255))
                    .col(string_len_null(PeriodSignoffs::ReopenedByName, 255))
                    .col(text_null(PeriodSignoffs::ReopenReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PeriodSignoffs::Table, PeriodSignoffs::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One row per unit, period and revision: two concurrent sign-offs of one period cannot
        // both succeed. Also the lookup of a unit's sign-offs by period, which the lock reads.
        manager
            .create_index(
                Index::create()
                    .name("ux_period_signoffs_unit_period")
                    .table(PeriodSignoffs::Table)
                    .col(PeriodSignoffs::UnitId)
                    .col(PeriodSignoffs::PeriodStart)
                    .col(PeriodSignoffs::PeriodEnd)
                    .col(PeriodSignoffs::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfficialFigures::Table)
                    .col(big_integer(OfficialFigures::SignoffId))
                    .col(big_integer(OfficialFigures::UnitId))
                    .col(string_len(OfficialFigures::Figure, 32))
                    .col(big_integer(OfficialFigures::Value))
                    .primary_key(
                        Index::create()
                            .col(OfficialFigures::SignoffId)
                            .col(OfficialFigures::UnitId)
                            .col(OfficialFigures::Figure),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfficialFigures::Table, OfficialFigures::SignoffId)
                            .to(PeriodSignoffs::Table, PeriodSignoffs::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A unit's official figures across its ancestors' sign-offs (the stats field reads them
        // by unit and sign-off).
        index(manager, "ix_official_figures_unit", OfficialFigures::Table, &[OfficialFigures::UnitId]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OfficialFigures::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PeriodSignoffs::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum PeriodSignoffs {
    Table,
    Id,
    UnitId,
    /// YEAR, HALF, QUARTER or TERM.
    PeriodKind,
    PeriodStart,
    PeriodEnd,
    /// "2021", "H1 2021", "Q2 2021", "2020–2025".
    Label,
    /// 1 for the first sign-off, one more after each reopening.
    Revision,
    /// SIGNED_OFF, APPROVED or REOPENED.
    Status,
    SignedOffAt,
    SignedOffBySubject,
    SignedOffByName,
    ApprovedAt,
    ApprovedBySubject,
    ApprovedByName,
    ReopenedAt,
    ReopenedBySubject,
    ReopenedByName,
    ReopenReason,
}

#[derive(DeriveIden, Clone)]
enum OfficialFigures {
    Table,
    SignoffId,
    UnitId,
    Figure,
    Value,
}
