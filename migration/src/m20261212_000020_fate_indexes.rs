//! Indexes that answer the awareness funnel's fates from the index alone: for each person of a
//! cohort, whether they were admitted by the observation day, in the source that day or removed
//! from it (with the latest removal's reason). The funnel probes both tables once or twice per
//! person (4,040 people in a national-scale province's year); with the dates and the reason in
//! the index a probe reads no table page. The nominations' index replaces `ix_nominations_person`
//! (its first column), so a nomination's write maintains as many indexes as before; the
//! admissions' is new beside the unique index on `person_id`, and PostgreSQL reads the decision
//! date from it (SQLite keeps reaching a person's one admission through the unique index)
//! (BENCHMARKS.md, "Flows from the stock summaries").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Nominations {
    Table,
    PersonId,
    NominatedOn,
    RemovedOn,
    RemovalReason,
}

#[derive(DeriveIden)]
enum Admissions {
    Table,
    PersonId,
    DecisionDate,
}

const NOMINATIONS: &str = "ix_nominations_person_fate";
const REPLACED: &str = "ix_nominations_person";
const ADMISSIONS: &str = "ix_admissions_person_decided";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let nominations = Index::create()
            .name(NOMINATIONS)
            .table(Nominations::Table)
            .col(Nominations::PersonId)
            .col(Nominations::NominatedOn)
            .col(Nominations::RemovedOn)
            .col(Nominations::RemovalReason)
            .to_owned();
        manager.create_index(nominations).await?;
        manager.drop_index(Index::drop().name(REPLACED).table(Nominations::Table).to_owned()).await?;
        let admissions = Index::create()
            .name(ADMISSIONS)
            .table(Admissions::Table)
            .col(Admissions::PersonId)
            .col(Admissions::DecisionDate)
            .to_owned();
        manager.create_index(admissions).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(ADMISSIONS).table(Admissions::Table).to_owned()).await?;
        let replaced = Index::create().name(REPLACED).table(Nominations::Table).col(Nominations::PersonId).to_owned();
        manager.create_index(replaced).await?;
        manager.drop_index(Index::drop().name(NOMINATIONS).table(Nominations::Table).to_owned()).await
    }
}
