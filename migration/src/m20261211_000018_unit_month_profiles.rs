//! `unit_month_profiles`: admissions per province, calendar month and category of each profile
//! dimension the admissions are broken down by (ethnicity, gender, age band at the decision,
//! general and professional education, religion, occupation, nominating body), each admission
//! counted toward the province its cell stood under on the decision date — the attribution of
//! `unit_month_counts`. Only provinces keep rows: a district's year is counted live in a few
//! milliseconds, and rows for every unit would be six times as many. `key_sum` carries the sum of the counted people's
//! disclosure keys, which a release under disclosure control perturbs by. A province's year of
//! the eight breakdowns is then a grouped read of a few hundred rows instead of a walk over every
//! admission below it and each admitted person. The application fills the table from the rows
//! already there when this migration is applied (`ketnap::sql::profiles::rebuild_all`, run by
//! `db::migrate`) and keeps it exact in the transaction of every change (see
//! `ketnap::sql::profiles`).

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
                    .table(UnitMonthProfiles::Table)
                    .col(big_integer(UnitMonthProfiles::UnitId))
                    .col(date(UnitMonthProfiles::Month))
                    .col(string_len(UnitMonthProfiles::Dimension, 32))
                    .col(string_len(UnitMonthProfiles::Category, 64))
                    .col(big_integer(UnitMonthProfiles::Admissions))
                    .col(big_integer(UnitMonthProfiles::KeySum))
                    // "These units, these months" is one index range per unit, every dimension in it.
                    .primary_key(
                        Index::create()
                            .col(UnitMonthProfiles::UnitId)
                            .col(UnitMonthProfiles::Month)
                            .col(UnitMonthProfiles::Dimension)
                            .col(UnitMonthProfiles::Category),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitMonthProfiles::Table, UnitMonthProfiles::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UnitMonthProfiles::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum UnitMonthProfiles {
    Table,
    UnitId,
    /// The first day of the month.
    Month,
    /// The profile dimension (`ETHNICITY`, `AGE_BAND`, …).
    Dimension,
    /// The category of the dimension, as the live breakdown names it.
    Category,
    Admissions,
    /// The sum of the counted people's disclosure keys.
    KeySum,
}
