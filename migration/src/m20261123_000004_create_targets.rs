//! Admission targets (chỉ tiêu): per unit, per year or per term, assigned by the level above or the
//! unit's own resolution target. Every change is kept in the audit trail (who, when, old value).

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
                    .table(Targets::Table)
                    .col(big_pk_auto(Targets::Id))
                    .col(big_integer(Targets::UnitId))
                    .col(string_len(Targets::Kind, 16))
                    .col(string_len(Targets::PeriodKind, 8))
                    .col(integer(Targets::StartYear))
                    .col(integer(Targets::EndYear))
                    .col(integer(Targets::Value))
                    .col(timestamp_with_time_zone(Targets::CreatedAt))
                    .col(timestamp_with_time_zone(Targets::UpdatedAt))
                    .foreign_key(ForeignKey::create().from(Targets::Table, Targets::UnitId).to(Units::Table, Units::Id))
                    .to_owned(),
            )
            .await?;
        // One target per unit, kind and period; also the lookup of a unit's (or its children's)
        // targets for a period.
        manager
            .create_index(
                Index::create()
                    .name("ux_targets_unit_period")
                    .table(Targets::Table)
                    .col(Targets::UnitId)
                    .col(Targets::PeriodKind)
                    .col(Targets::StartYear)
                    .col(Targets::EndYear)
                    .col(Targets::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Targets::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum Targets {
    Table,
    Id,
    UnitId,
    Kind,
    PeriodKind,
    StartYear,
    EndYear,
    Value,
    CreatedAt,
    UpdatedAt,
}
