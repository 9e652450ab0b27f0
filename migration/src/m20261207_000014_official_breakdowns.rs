//! `official_breakdowns`: the breakdowns a unit's sign-off keeps of its own figures (admissions
//! by ethnicity, gender, age band…, removals by reason, the membership balance's flows by reason
//! and its opening stock), one row per category, beside the scalar figures of `official_figures`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OfficialBreakdowns::Table)
                    .col(big_integer(OfficialBreakdowns::SignoffId))
                    .col(string_len(OfficialBreakdowns::Breakdown, 48))
                    .col(string_len(OfficialBreakdowns::Category, 96))
                    .col(big_integer(OfficialBreakdowns::Value))
                    .primary_key(
                        Index::create()
                            .col(OfficialBreakdowns::SignoffId)
                            .col(OfficialBreakdowns::Breakdown)
                            .col(OfficialBreakdowns::Category),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfficialBreakdowns::Table, OfficialBreakdowns::SignoffId)
                            .to(PeriodSignoffs::Table, PeriodSignoffs::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OfficialBreakdowns::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum OfficialBreakdowns {
    Table,
    SignoffId,
    /// The `UnitStats` field the breakdown is served as live (`admissionsByEthnicity`).
    Breakdown,
    Category,
    Value,
}

#[derive(DeriveIden)]
enum PeriodSignoffs {
    Table,
    Id,
}
