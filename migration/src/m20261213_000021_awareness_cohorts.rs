//! `awareness_cohorts`: the provinces' awareness-class completions, each with its person's settled
//! fate — the funnel's cohort and fates kept as rows. A row says that `person_id` holds an
//! awareness certificate dated `certificate_date` from a class organised under `province_id` (on
//! the class's first day), and what became of the person once every dated event of theirs had
//! happened: `fate` (`ADMITTED`, `IN_SOURCE`, `REMOVED`, `OTHER`), `reason` (the latest removal's,
//! when removed) and `settled_on`, the day from which that fate holds. A province's funnel of a
//! period observed on a day at or after its people's `settled_on` is then one index range, with
//! no probe per person; a person whose fate on the day was still moving is probed as before.
//!
//! Only provinces keep rows, as the stock summaries do: a district's cohort is a tenth of a
//! province's and its live statement reads it in a few milliseconds. The application fills the
//! table from the rows already there when this migration is applied
//! (`ketnap::sql::cohorts::rebuild_all`, run by `db::migrate`) and keeps it exact in the
//! transaction of every change (see `ketnap::sql::cohorts`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::Units;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BY_PERSON: &str = "ix_awareness_cohorts_person";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AwarenessCohorts::Table)
                    .col(big_integer(AwarenessCohorts::ProvinceId))
                    .col(date(AwarenessCohorts::CertificateDate))
                    .col(big_integer(AwarenessCohorts::PersonId))
                    .col(date(AwarenessCohorts::SettledOn))
                    .col(string_len(AwarenessCohorts::Fate, 16))
                    .col(string_len_null(AwarenessCohorts::Reason, 64))
                    .col(integer(AwarenessCohorts::DisclosureKey))
                    // "This province's certificates of these days" is one index range.
                    .primary_key(
                        Index::create()
                            .col(AwarenessCohorts::ProvinceId)
                            .col(AwarenessCohorts::CertificateDate)
                            .col(AwarenessCohorts::PersonId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwarenessCohorts::Table, AwarenessCohorts::ProvinceId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AwarenessCohorts::Table, AwarenessCohorts::PersonId)
                            .to(Persons::Table, Persons::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A write about a person rewrites that person's rows.
        let by_person =
            Index::create().name(BY_PERSON).table(AwarenessCohorts::Table).col(AwarenessCohorts::PersonId).to_owned();
        manager.create_index(by_person).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AwarenessCohorts::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum AwarenessCohorts {
    Table,
    /// The province the class's organiser stood under on the class's first day.
    ProvinceId,
    CertificateDate,
    PersonId,
    /// The day from which `fate` holds (0001-01-01 for a person with no dated event).
    SettledOn,
    Fate,
    /// The latest removal's reason, when `fate` is `REMOVED`.
    Reason,
    /// The person's disclosure key (set when the person is recorded, never changed), which a
    /// release of the removed by reason under disclosure control perturbs by.
    DisclosureKey,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}
