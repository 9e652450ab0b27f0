//! Input objects of the pipeline mutations, each parsed once into the domain's types.

use async_graphql::{ID, InputObject, Result};

use crate::domain::decision::DecisionNumber;
use crate::domain::people::PersonInput as PersonProfile;
use crate::domain::pipeline::admission::{Admit, Introducer, YouthUnionResolution};
use crate::domain::pipeline::class::{NewClass, ResultEntry};
use crate::domain::pipeline::nomination::PersonRef;
use crate::entity::class::ClassKind;
use crate::entity::enrolment::EnrolmentResult;
use crate::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use crate::error::AppError;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::scalars::Date;

/// A person's profile.
#[derive(InputObject)]
pub struct PersonInput {
    /// Full name with diacritics, e.g. "Hồ Thị Lan".
    pub full_name: String,
    /// Other names (tên gọi khác).
    pub other_names: Option<String>,
    /// Gender.
    pub gender: Gender,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Ethnic group (dân tộc), one of the 54, spelled with or without diacritics ("Xơ Đăng", "mong").
    pub ethnicity: String,
    /// Religion (default NONE).
    #[graphql(default_with = "Religion::None")]
    pub religion: Religion,
    /// General education completed.
    pub general_education: GeneralEducation,
    /// Highest professional qualification (default NONE).
    #[graphql(default_with = "ProfessionalEducation::None")]
    pub professional_education: ProfessionalEducation,
    /// Political theory level (default NONE).
    #[graphql(default_with = "PoliticalTheory::None")]
    pub political_theory: PoliticalTheory,
    /// Occupation or role category.
    pub occupation: Occupation,
    /// The role as written, e.g. "Bí thư Chi đoàn".
    pub position: Option<String>,
    /// Citizen ID (căn cước công dân), 12 digits; a person with the same ID is reused.
    pub citizen_id: Option<String>,
    /// Home address.
    pub address: Option<String>,
}

impl From<PersonInput> for PersonProfile {
    fn from(input: PersonInput) -> Self {
        PersonProfile {
            full_name: input.full_name,
            other_names: input.other_names,
            gender: input.gender,
            date_of_birth: input.date_of_birth.0,
            ethnicity: input.ethnicity,
            religion: input.religion,
            general_education: input.general_education,
            professional_education: input.professional_education,
            political_theory: input.political_theory,
            occupation: input.occupation,
            position: input.position,
            citizen_id: input.citizen_id,
            address: input.address,
        }
    }
}

/// A new class.
#[derive(InputObject)]
pub struct CreateClassInput {
    /// The organising unit: a district (its political centre), a commune, or a province.
    pub organiser_id: ID,
    /// The kind of class.
    pub kind: ClassKind,
    /// Its title, e.g. "Lớp bồi dưỡng nhận thức về Đảng khóa I/2021".
    pub title: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Where it is held.
    pub place: Option<String>,
}

impl CreateClassInput {
    pub fn parse(self) -> Result<NewClass> {
        Ok(NewClass {
            organiser_unit_id: expect(&self.organiser_id, NodeKind::Unit, "organiserId")?,
            kind: self.kind,
            title: self.title,
            starts_on: self.starts_on.0,
            ends_on: self.ends_on.0,
            place: self.place,
        })
    }
}

/// One person's result in a class.
#[derive(InputObject)]
pub struct ClassResultInput {
    /// The enrolled person.
    pub person_id: ID,
    /// The result.
    pub result: EnrolmentResult,
    /// The certificate number (required to complete an awareness class).
    pub certificate_number: Option<String>,
    /// The certificate date (required to complete an awareness class).
    pub certificate_date: Option<Date>,
}

impl ClassResultInput {
    pub fn parse(self) -> Result<ResultEntry> {
        Ok(ResultEntry {
            person_id: expect(&self.person_id, NodeKind::Person, "personId")?,
            result: self.result,
            certificate_number: self.certificate_number,
            certificate_date: self.certificate_date.map(|d| d.0),
        })
    }
}

/// An introducer (người giới thiệu).
#[derive(InputObject)]
pub struct IntroducerInput {
    /// The introducing official member.
    pub member_id: ID,
    /// Since when they have worked with the candidate (at least 12 months before the decision).
    pub worked_with_since: Date,
}

/// The Youth Union committee's resolution introducing a Youth Union member.
#[derive(InputObject)]
pub struct YouthUnionResolutionInput {
    /// Its reference as written.
    pub reference: String,
    /// Its date.
    pub date: Date,
}

/// An admission decision.
#[derive(InputObject)]
pub struct AdmitInput {
    /// The candidate; they must be in a source pool.
    pub person_id: ID,
    /// The cell admitting them.
    pub cell_id: ID,
    /// The decision number as written, e.g. "125-QĐ/HU".
    pub decision_number: String,
    /// The decision date; party age counts from it.
    pub decision_date: Date,
    /// The deciding committee: one of the cell's superior units on the decision date.
    pub deciding_unit_id: ID,
    /// The admission ceremony, if already held (else `recordAdmissionCeremony` later).
    pub ceremony_date: Option<Date>,
    /// Two introducing official members, or one with `youthUnionResolution`.
    pub introducers: Vec<IntroducerInput>,
    /// The Youth Union committee's resolution standing in for one introducer.
    pub youth_union_resolution: Option<YouthUnionResolutionInput>,
    /// The approval reference of an exception (e.g. a candidate over 60 approved centrally).
    pub exception_reference: Option<String>,
    /// A note on the exception.
    pub exception_note: Option<String>,
}

impl AdmitInput {
    /// The admission the input asks for, its dossier checked from `dossier_required_from` on.
    pub fn parse(self, dossier_required_from: Option<chrono::NaiveDate>) -> Result<Admit> {
        let introducers = self
            .introducers
            .iter()
            .map(|i| {
                Ok(Introducer {
                    member_id: expect(&i.member_id, NodeKind::Member, "introducers")?,
                    worked_with_since: i.worked_with_since.0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Admit {
            person_id: expect(&self.person_id, NodeKind::Person, "personId")?,
            cell_id: expect(&self.cell_id, NodeKind::Unit, "cellId")?,
            decision_number: DecisionNumber::parse(&self.decision_number, "decisionNumber")?,
            decision_date: self.decision_date.0,
            deciding_unit_id: expect(&self.deciding_unit_id, NodeKind::Unit, "decidingUnitId")?,
            ceremony_date: self.ceremony_date.map(|d| d.0),
            introducers,
            youth_union: self
                .youth_union_resolution
                .map(|y| YouthUnionResolution { reference: y.reference, date: y.date.0 }),
            exception_reference: self.exception_reference,
            exception_note: self.exception_note,
            dossier_required_from,
        })
    }
}

/// Parses a list of global IDs of one kind.
pub fn ids<T: From<i64>>(list: &[ID], kind: NodeKind, field: &'static str) -> Result<Vec<T>> {
    Ok(list.iter().map(|id| expect(id, kind, field)).collect::<Result<Vec<_>, _>>()?)
}

/// The person an input names: an existing one by `personId`, or a new profile (reused when its
/// citizen ID is already recorded); exactly one of the two.
pub fn person_ref(person_id: Option<ID>, person: Option<PersonInput>) -> Result<PersonRef> {
    match (person_id, person) {
        (Some(id), None) => Ok(PersonRef::Existing(expect(&id, NodeKind::Person, "personId")?)),
        (None, Some(profile)) => Ok(PersonRef::New(profile.into())),
        _ => Err(AppError::invalid("person", "give exactly one of personId and person").into()),
    }
}
