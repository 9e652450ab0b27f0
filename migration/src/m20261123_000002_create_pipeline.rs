//! The development pipeline: people, party membership (with dated cell stints), nominations to the
//! source pool and their mentors, classes and enrolments, and admissions through recognition.
//!
//! Integrity the database itself guarantees, so that concurrent requests cannot break it:
//! one admission and one membership per person, one active nomination per person, one enrolment of a
//! person per class, and a citizen ID used by at most one person.

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
                    .table(Persons::Table)
                    .col(big_pk_auto(Persons::Id))
                    .col(string_len(Persons::FullName, 255))
                    .col(string_len(Persons::NameSearch, 255))
                    .col(string_len_null(Persons::OtherNames, 255))
                    .col(string_len(Persons::Gender, 16))
                    .col(date(Persons::DateOfBirth))
                    .col(string_len(Persons::Ethnicity, 64))
                    .col(string_len(Persons::Religion, 64))
                    .col(string_len(Persons::GeneralEducation, 32))
                    .col(string_len(Persons::ProfessionalEducation, 32))
                    .col(string_len(Persons::PoliticalTheory, 32))
                    .col(string_len(Persons::Occupation, 32))
                    .col(string_len_null(Persons::Position, 255))
                    .col(string_len_null(Persons::CitizenId, 12))
                    .col(text_null(Persons::Address))
                    .col(timestamp_with_time_zone(Persons::CreatedAt))
                    .col(timestamp_with_time_zone(Persons::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_persons_citizen_id")
                    .table(Persons::Table)
                    .col(Persons::CitizenId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_persons_name", Persons::Table, &[Persons::NameSearch, Persons::Id]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(big_pk_auto(Members::Id))
                    .col(big_integer_uniq(Members::PersonId))
                    .col(big_integer_null(Members::AdmissionId))
                    .col(string_len(Members::Status, 16))
                    .col(date(Members::PartySince))
                    .col(date_null(Members::OfficialSince))
                    .col(date_null(Members::EndedOn))
                    .col(string_len_null(Members::EndReason, 32))
                    .col(timestamp_with_time_zone(Members::CreatedAt))
                    .col(timestamp_with_time_zone(Members::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Members::Table, Members::PersonId).to(Persons::Table, Persons::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MemberStints::Table)
                    .col(big_pk_auto(MemberStints::Id))
                    .col(big_integer(MemberStints::MemberId))
                    .col(big_integer(MemberStints::CellId))
                    .col(date(MemberStints::ValidFrom))
                    .col(date(MemberStints::ValidTo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MemberStints::Table, MemberStints::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MemberStints::Table, MemberStints::CellId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Members of a cell now or on a date; a member's stints in order.
        index(
            manager,
            "ix_stints_cell",
            MemberStints::Table,
            &[MemberStints::CellId, MemberStints::ValidTo, MemberStints::ValidFrom, MemberStints::MemberId],
        )
        .await?;
        index(manager, "ix_stints_member", MemberStints::Table, &[MemberStints::MemberId, MemberStints::ValidFrom])
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Nominations::Table)
                    .col(big_pk_auto(Nominations::Id))
                    .col(big_integer(Nominations::PersonId))
                    .col(big_integer(Nominations::CellId))
                    .col(string_len(Nominations::NominatingBody, 32))
                    .col(date(Nominations::NominatedOn))
                    .col(string_len(Nominations::Status, 16))
                    .col(date_null(Nominations::RemovedOn))
                    .col(string_len_null(Nominations::RemovalReason, 32))
                    .col(text_null(Nominations::RemovalNote))
                    .col(timestamp_with_time_zone(Nominations::CreatedAt))
                    .col(timestamp_with_time_zone(Nominations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Nominations::Table, Nominations::PersonId)
                            .to(Persons::Table, Persons::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Nominations::Table, Nominations::CellId).to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Domain §2: a person is in at most one active pipeline at a time — enforced here, race-free.
        manager
            .create_index(
                Index::create()
                    .name("ux_nominations_active_person")
                    .table(Nominations::Table)
                    .col(Nominations::PersonId)
                    .unique()
                    .and_where(Expr::col(Nominations::Status).eq("ACTIVE"))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_nominations_cell",
            Nominations::Table,
            &[Nominations::CellId, Nominations::Status, Nominations::NominatedOn],
        )
        .await?;
        index(manager, "ix_nominations_person", Nominations::Table, &[Nominations::PersonId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(NominationMentors::Table)
                    .col(big_pk_auto(NominationMentors::Id))
                    .col(big_integer(NominationMentors::NominationId))
                    .col(big_integer(NominationMentors::MemberId))
                    .col(date(NominationMentors::AssignedOn))
                    .col(date_null(NominationMentors::ReleasedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NominationMentors::Table, NominationMentors::NominationId)
                            .to(Nominations::Table, Nominations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NominationMentors::Table, NominationMentors::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_mentors_nomination",
            NominationMentors::Table,
            &[NominationMentors::NominationId, NominationMentors::ReleasedOn],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Classes::Table)
                    .col(big_pk_auto(Classes::Id))
                    .col(big_integer(Classes::OrganiserUnitId))
                    .col(string_len(Classes::Kind, 32))
                    .col(string_len(Classes::Title, 255))
                    .col(date(Classes::StartsOn))
                    .col(date(Classes::EndsOn))
                    .col(string_len_null(Classes::Place, 255))
                    .col(timestamp_with_time_zone(Classes::CreatedAt))
                    .col(timestamp_with_time_zone(Classes::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Classes::Table, Classes::OrganiserUnitId).to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_classes_organiser", Classes::Table, &[Classes::OrganiserUnitId, Classes::StartsOn]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(big_pk_auto(Enrolments::Id))
                    .col(big_integer(Enrolments::ClassId))
                    .col(big_integer(Enrolments::PersonId))
                    .col(string_len(Enrolments::Result, 16))
                    .col(string_len_null(Enrolments::CertificateNumber, 64))
                    .col(date_null(Enrolments::CertificateDate))
                    .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                    .col(timestamp_with_time_zone(Enrolments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::ClassId)
                            .to(Classes::Table, Classes::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::PersonId)
                            .to(Persons::Table, Persons::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_enrolments_class_person")
                    .table(Enrolments::Table)
                    .col(Enrolments::ClassId)
                    .col(Enrolments::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_enrolments_person", Enrolments::Table, &[Enrolments::PersonId, Enrolments::Result]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Admissions::Table)
                    .col(big_pk_auto(Admissions::Id))
                    .col(big_integer_uniq(Admissions::PersonId))
                    .col(big_integer_null(Admissions::NominationId))
                    .col(big_integer(Admissions::CellId))
                    .col(string_len(Admissions::DecisionNumber, 64))
                    .col(date(Admissions::DecisionDate))
                    .col(big_integer(Admissions::DecidingUnitId))
                    .col(date_null(Admissions::CeremonyDate))
                    .col(big_integer_null(Admissions::Introducer1Id))
                    .col(date_null(Admissions::Introducer1Since))
                    .col(big_integer_null(Admissions::Introducer2Id))
                    .col(date_null(Admissions::Introducer2Since))
                    .col(string_len_null(Admissions::YouthUnionResolution, 128))
                    .col(date_null(Admissions::YouthUnionResolutionDate))
                    .col(string_len_null(Admissions::ExceptionReference, 128))
                    .col(text_null(Admissions::ExceptionNote))
                    .col(string_len(Admissions::Outcome, 16))
                    .col(string_len_null(Admissions::OutcomeDecisionNumber, 64))
                    .col(date_null(Admissions::OutcomeDecisionDate))
                    .col(text_null(Admissions::OutcomeReason))
                    .col(timestamp_with_time_zone(Admissions::CreatedAt))
                    .col(timestamp_with_time_zone(Admissions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Admissions::Table, Admissions::PersonId)
                            .to(Persons::Table, Persons::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Admissions::Table, Admissions::CellId).to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Admissions::Table, Admissions::DecidingUnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_admissions_cell_date", Admissions::Table, &[Admissions::CellId, Admissions::DecisionDate])
            .await?;
        index(manager, "ix_admissions_date", Admissions::Table, &[Admissions::DecisionDate]).await?;
        // The monthly "recognitions due / overdue" list scans probationers by ceremony date.
        index(manager, "ix_admissions_outcome", Admissions::Table, &[Admissions::Outcome, Admissions::CeremonyDate])
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Admissions::Table.into_iden(),
            Enrolments::Table.into_iden(),
            Classes::Table.into_iden(),
            NominationMentors::Table.into_iden(),
            Nominations::Table.into_iden(),
            MemberStints::Table.into_iden(),
            Members::Table.into_iden(),
            Persons::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Persons {
    Table,
    Id,
    FullName,
    NameSearch,
    OtherNames,
    Gender,
    DateOfBirth,
    Ethnicity,
    Religion,
    GeneralEducation,
    ProfessionalEducation,
    PoliticalTheory,
    Occupation,
    Position,
    CitizenId,
    Address,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Members {
    Table,
    Id,
    PersonId,
    AdmissionId,
    Status,
    PartySince,
    OfficialSince,
    EndedOn,
    EndReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum MemberStints {
    Table,
    Id,
    MemberId,
    CellId,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden, Clone)]
enum Nominations {
    Table,
    Id,
    PersonId,
    CellId,
    NominatingBody,
    NominatedOn,
    Status,
    RemovedOn,
    RemovalReason,
    RemovalNote,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum NominationMentors {
    Table,
    Id,
    NominationId,
    MemberId,
    AssignedOn,
    ReleasedOn,
}

#[derive(DeriveIden, Clone)]
enum Classes {
    Table,
    Id,
    OrganiserUnitId,
    Kind,
    Title,
    StartsOn,
    EndsOn,
    Place,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Enrolments {
    Table,
    Id,
    ClassId,
    PersonId,
    Result,
    CertificateNumber,
    CertificateDate,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Admissions {
    Table,
    Id,
    PersonId,
    NominationId,
    CellId,
    DecisionNumber,
    DecisionDate,
    DecidingUnitId,
    CeremonyDate,
    Introducer1Id,
    Introducer1Since,
    Introducer2Id,
    Introducer2Since,
    YouthUnionResolution,
    YouthUnionResolutionDate,
    ExceptionReference,
    ExceptionNote,
    Outcome,
    OutcomeDecisionNumber,
    OutcomeDecisionDate,
    OutcomeReason,
    CreatedAt,
    UpdatedAt,
}
