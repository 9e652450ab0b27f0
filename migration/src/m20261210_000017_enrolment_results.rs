//! An index that answers the awareness funnel's cohort and class attendance from the index alone:
//! a class's enrolments by result and certificate date, with the person. Without it, the cohort
//! of a national-scale province's year read every enrolment of its 564 classes from the table
//! (≈123 per class) to keep the 7 per class completed in the year: 70,803 pages for a statement
//! that now reads 28,226 (BENCHMARKS.md, "The funnel's enrolments from an index").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    ClassId,
    Result,
    CertificateDate,
    PersonId,
}

const NAME: &str = "ix_enrolments_class_result";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Enrolments::Table)
                    .col(Enrolments::ClassId)
                    .col(Enrolments::Result)
                    .col(Enrolments::CertificateDate)
                    .col(Enrolments::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Enrolments::Table).to_owned()).await
    }
}
