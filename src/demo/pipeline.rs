//! Seeds the demo pipeline described in `cast` through the pipeline's own workflows — the same
//! calls the API makes — so that every Charter rule is checked as it would be for real data.

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use sea_orm::ConnectionTrait;

use super::cast::{Admission, CANDIDATES, CLASSES, Candidate, DemoClass, OFFICIALS, Official, Outcome, Profile, Stage};
use crate::calendar::{add_months, today_in_vietnam};
use crate::domain::audit::Actor;
use crate::domain::decision::DecisionNumber;
use crate::domain::dossier;
use crate::domain::people::{self, PersonInput};
use crate::domain::pipeline::admission::{self, Admit, Introducer, YouthUnionResolution};
use crate::domain::pipeline::class::{self, NewClass, ResultEntry};
use crate::domain::pipeline::membership::{self, NewMember};
use crate::domain::pipeline::nomination::{self, Nominate, PersonRef};
use crate::domain::tree;
use crate::entity::class::ClassKind;
use crate::entity::enrolment::EnrolmentResult;
use crate::entity::person::{Gender, Religion};
use crate::entity::unit::{self, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, PersonId};

/// Creates the officials, the classes and the candidates, in the caller's transaction.
pub async fn seed_pipeline<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<()> {
    let mut seeder = Seeder { db, actor, today: today_in_vietnam(), members: HashMap::new(), classes: Vec::new() };
    for (i, official) in OFFICIALS.iter().enumerate() {
        seeder.official(i, official).await?;
    }
    for class in CLASSES {
        seeder.class(class).await?;
    }
    for (i, candidate) in CANDIDATES.iter().enumerate() {
        seeder.candidate(OFFICIALS.len() + i, candidate).await?;
    }
    Ok(())
}

struct Seeder<'a, C> {
    db: &'a C,
    actor: &'a Actor,
    today: NaiveDate,
    /// The officials' member ids by name.
    members: HashMap<&'static str, i64>,
    /// The classes' ids, in the order of `CLASSES`, with the next certificate serial of each.
    classes: Vec<(i64, u32)>,
}

impl<C: ConnectionTrait> Seeder<'_, C> {
    fn ago(&self, days: u32) -> NaiveDate {
        self.today - Days::new(u64::from(days))
    }

    async fn cell(&self, code: &str) -> AppResult<unit::Model> {
        tree::get_by_code(self.db, code).await
    }

    /// An official member, loaded as `import-members` loads a roster.
    async fn official(&mut self, index: usize, official: &Official) -> AppResult<()> {
        let person = people::create_or_reuse(
            self.db,
            self.actor,
            self.person(index, official.cell, &official.profile),
            people::Reuse::ANYWHERE,
        )
        .await?;
        let cell = self.cell(official.cell).await?;
        // Admitted some weeks before the anniversary, recognised a week after probation ended.
        let party_since = self.ago(official.party_years * 365 + 40);
        let official_since = add_months(party_since, 12) + Days::new(7);
        let new = NewMember {
            person_id: person.id,
            cell_id: cell.id,
            admission_id: None,
            party_since,
            official_since: Some(official_since),
        };
        let member = membership::create(self.db, self.actor, new).await?;
        self.members.insert(official.profile.name, member.id);
        Ok(())
    }

    async fn class(&mut self, class: &DemoClass) -> AppResult<()> {
        let organiser = tree::get_by_code(self.db, class.organiser).await?;
        let starts_on = self.ago(class.starts);
        let new = NewClass {
            organiser_unit_id: organiser.id.into(),
            kind: ClassKind::Awareness,
            title: class.title.to_owned(),
            starts_on,
            ends_on: starts_on + Days::new(u64::from(class.days.saturating_sub(1))),
            place: Some(class.place.to_owned()),
        };
        let created = class::create(self.db, self.actor, new).await?;
        self.classes.push((created.id, 1));
        Ok(())
    }

    /// A candidate, taken through the pipeline to their stage.
    async fn candidate(&mut self, index: usize, candidate: &Candidate) -> AppResult<()> {
        let cell = self.cell(candidate.cell).await?;
        let nominate = Nominate {
            person: PersonRef::New(self.person(index, candidate.cell, &candidate.profile)),
            cell_id: cell.id.into(),
            nominating_body: candidate.body,
            nominated_on: self.ago(candidate.nominated),
            mentor_ids: self.member_ids(candidate.mentors)?,
            reuse: people::Reuse::ANYWHERE,
        };
        let nominated = nomination::nominate(self.db, self.actor, nominate).await?;
        if let Some(class) = candidate.class {
            let completed = !matches!(candidate.stage, Stage::Enrolled);
            self.attend(class, nominated.person_id.into(), completed).await?;
        }
        match candidate.stage {
            Stage::InSource | Stage::Enrolled => Ok(()),
            Stage::Removed { on, reason, note } => {
                let on = self.ago(on);
                nomination::remove(self.db, self.actor, nominated.id.into(), on, reason, Some(note.to_owned())).await?;
                Ok(())
            }
            Stage::Admitted(admission) => {
                self.admit(&cell, nominated.person_id.into(), candidate.nominated, admission).await
            }
        }
    }

    /// Enrols the person in a class of `CLASSES` and, when `completed`, records the certificate
    /// issued on its last day.
    async fn attend(&mut self, index: usize, person_id: PersonId, completed: bool) -> AppResult<()> {
        let spec = CLASSES.get(index).ok_or_else(|| AppError::internal(format!("no demo class {index}")))?;
        let (class_id, serial) =
            self.classes.get_mut(index).ok_or_else(|| AppError::internal("classes not created"))?;
        class::enrol(self.db, self.actor, (*class_id).into(), &[person_id]).await?;
        if completed {
            let last_day = self.today - Days::new(u64::from(spec.starts)) + Days::new(u64::from(spec.days - 1));
            let entry = ResultEntry {
                person_id,
                result: EnrolmentResult::Completed,
                certificate_number: Some(format!("{serial}/{}", spec.certificate)),
                certificate_date: Some(last_day),
            };
            *serial += 1;
            class::record_results(self.db, self.actor, (*class_id).into(), vec![entry]).await?;
        }
        Ok(())
    }

    /// Admits by the decision of the cell's district committee, then decides the probation.
    async fn admit(
        &self,
        cell: &unit::Model,
        person_id: PersonId,
        nominated: u32,
        admission: Admission,
    ) -> AppResult<()> {
        let decided_on = self.ago(admission.decided);
        let ancestors = tree::ancestors(self.db, cell.id.into(), decided_on).await?;
        let district = ancestors.iter().find(|unit| unit.level == UnitLevel::District);
        let district = district.ok_or_else(|| AppError::internal(format!("{} has no district", cell.code)))?;
        // The introducers have worked with the candidate since a year before the nomination.
        let worked_with_since = self.ago(nominated + 365);
        let introducers = self.member_ids(admission.introducers)?;
        let admit = Admit {
            person_id,
            cell_id: cell.id.into(),
            decision_number: decision(admission.number)?,
            decision_date: decided_on,
            deciding_unit_id: district.id.into(),
            ceremony_date: Some(self.ago(admission.ceremony)),
            introducers: introducers.into_iter().map(|member_id| Introducer { member_id, worked_with_since }).collect(),
            youth_union: admission
                .youth_union
                .map(|(reference, on)| YouthUnionResolution { reference: reference.to_owned(), date: self.ago(on) }),
            exception_reference: admission.exception.map(|(reference, _)| reference.to_owned()),
            exception_note: admission.exception.map(|(_, note)| note.to_owned()),
            // The demo keeps every dossier, so the check holds for every admission.
            dossier_required_from: Some(tree::RECORDS_BEGIN),
        };
        // The dossier is complete a week before the decision.
        let forms = dossier::required(admit.youth_union.is_some());
        let received = forms.into_iter().map(|form| dossier::Received {
            form,
            received_on: decided_on - Days::new(7),
            note: None,
        });
        dossier::record(self.db, self.actor, person_id, received.collect()).await?;
        let admitted = admission::admit(self.db, self.actor, admit).await?;
        match admission.then {
            Outcome::OnProbation => {}
            Outcome::Recognised { number, on } => {
                admission::recognise(self.db, self.actor, admitted.id.into(), decision(number)?, self.ago(on)).await?;
            }
            Outcome::NotRecognised { number, on, reason } => {
                let number = decision(number)?;
                admission::not_recognised(self.db, self.actor, admitted.id.into(), number, self.ago(on), reason)
                    .await?;
            }
        }
        Ok(())
    }

    fn member_ids(&self, names: &[&str]) -> AppResult<Vec<MemberId>> {
        let id = |name: &&str| {
            self.members
                .get(name)
                .copied()
                .map(MemberId::from)
                .ok_or_else(|| AppError::internal(format!("{name} is not a demo official")))
        };
        names.iter().map(id).collect()
    }

    /// The profile as entered. Birthdays are spread over the month by the person's place in the
    /// cast, so that ages read naturally.
    fn person(&self, index: usize, cell: &str, profile: &Profile) -> PersonInput {
        let (years, months) = profile.age;
        let spread = Days::new((index as u64 * 11) % 28);
        let date_of_birth = self.today - Months::new(years * 12 + months) - spread;
        PersonInput {
            full_name: profile.name.to_owned(),
            other_names: None,
            gender: profile.gender,
            date_of_birth,
            ethnicity: profile.ethnicity.to_owned(),
            religion: Religion::None,
            general_education: profile.schooling,
            professional_education: profile.training,
            political_theory: profile.theory,
            occupation: profile.occupation,
            position: profile.position.map(str::to_owned),
            citizen_id: profile.id_serial.map(|serial| citizen_id(cell, profile.gender, date_of_birth, serial)),
            address: None,
        }
    }
}

/// A citizen ID as issued: the province of registration, a digit for the century of birth and
/// the gender, the year of birth, and a serial number.
fn citizen_id(cell: &str, gender: Gender, born: NaiveDate, serial: u32) -> String {
    let province = if cell.starts_with("DBN") { "011" } else { "049" };
    let century = if born.year() < 2000 { 0 } else { 2 } + u8::from(gender == Gender::Female);
    format!("{province}{century}{:02}{:06}", born.year() % 100, serial % 1_000_000)
}

/// A decision number of the demo's script.
fn decision(number: &str) -> AppResult<DecisionNumber> {
    DecisionNumber::parse(number, "decisionNumber")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_ids_follow_the_issued_pattern() {
        let born = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(citizen_id("QNM.X", Gender::Male, born(1972, 3, 5), 2468), "049072002468");
        assert_eq!(citizen_id("DBN.X", Gender::Female, born(2001, 1, 1), 205532), "011301205532");
    }
}
