//! The rows every kind of person shares: the person, a nomination and its mentors, an enrolment,
//! a cell stint, and a membership change.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::super::changes::{self, ChangeRow};
use super::super::names;
use super::super::numbers::decision_suffix;
use super::super::out::Out;
use super::super::plan::HISTORY_END;
use super::super::profile::{self, Place, Profile};
use super::super::random::{pick, plus_days};
use super::super::rows::{ENROLMENTS, MEMBER_STINTS, NOMINATION_MENTORS, NOMINATIONS, PERSONS, V, vocab};
use super::{Mentor, People, choose, next};
use crate::domain::text::fold;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind as Kind};
use crate::entity::vocabulary::{EnrolmentResult, Gender, NominatingBody as Body, NominationStatus, RemovalReason};

impl People<'_> {
    /// A membership change of the member of cell `index`, decided by its district on `on`.
    pub(super) fn change(
        &mut self,
        member_id: i64,
        index: usize,
        (kind, reason): (Kind, ChangeReason),
        on: NaiveDate,
        out: &mut Out,
    ) {
        let cell = &self.tree.cells[index];
        let district = &self.tree.districts[cell.district];
        let decision_number = self.numbers.decision(cell.district, on, decision_suffix(district.kind));
        let id = next(&mut self.ids.change);
        let row = ChangeRow {
            id,
            member_id,
            cell_id: cell.id,
            kind,
            reason,
            on,
            decision_number,
            deciding_unit_id: district.id,
        };
        changes::push(out, row);
    }

    pub(super) fn person(
        &mut self,
        rng: &mut StdRng,
        place: &Place,
        profile: &Profile,
        female: bool,
        born: NaiveDate,
        recorded: NaiveDate,
        with_citizen_id: bool,
        out: &mut Out,
    ) -> i64 {
        let id = next(&mut self.ids.person);
        let full_name = names::person(rng, profile.ethnicity, female);
        let name_search = fold(&full_name);
        // In the order of `rows::PERSONS`: the keys, then the profile as `people::PROFILE` has it.
        out.rows(&PERSONS).push([
            V::Int(id),
            V::Text(name_search),
            V::Text(full_name),
            V::Null,
            vocab(if female { Gender::Female } else { Gender::Male }),
            V::Date(born),
            V::Static(profile.ethnicity),
            vocab(profile.religion),
            vocab(profile.general),
            vocab(profile.professional),
            vocab(profile.theory),
            vocab(profile.occupation),
            profile.position.map_or(V::Null, V::Static),
            V::opt_text(with_citizen_id.then(|| profile::citizen_id(place.province_no, id, female, born))),
            V::Null,
            V::Stamp(recorded),
            V::Stamp(recorded),
        ]);
        id
    }

    pub(super) fn nomination(
        &mut self,
        rng: &mut StdRng,
        person_id: i64,
        cell_id: i64,
        body: Body,
        nominated: NaiveDate,
        status: NominationStatus,
        removal: Option<(NaiveDate, RemovalReason)>,
        out: &mut Out,
    ) -> i64 {
        let id = next(&mut self.ids.nomination);
        let note = match removal {
            Some((_, RemovalReason::Other)) => {
                V::Static(pick(rng, &["Đi học xa", "Hoàn cảnh gia đình", "Đi nghĩa vụ quân sự"]))
            }
            _ => V::Null,
        };
        out.rows(&NOMINATIONS).push([
            V::Int(id),
            V::Int(person_id),
            V::Int(cell_id),
            vocab(body),
            V::Date(nominated),
            vocab(status),
            V::opt_date(removal.map(|(on, _)| on)),
            removal.map_or(V::Null, |(_, reason)| vocab(reason)),
            note,
            V::Stamp(nominated),
            V::Stamp(removal.map_or(nominated, |(on, _)| on)),
        ]);
        id
    }

    /// One or two official members of the cell assigned to follow the candidate, released when
    /// the nomination closes.
    pub(super) fn mentors(
        &mut self,
        rng: &mut StdRng,
        nomination_id: i64,
        mentors: &[Mentor],
        nominated: NaiveDate,
        closed: Option<NaiveDate>,
        out: &mut Out,
    ) {
        let assigned = plus_days(nominated, rng.random_range(0..20));
        let assigned = closed.map_or(assigned, |c| assigned.min(c)).min(HISTORY_END);
        let eligible: Vec<Mentor> = mentors.iter().copied().filter(|m| m.official_since <= assigned).collect();
        let count = if rng.random_bool(0.6) { 2 } else { 1 };
        for mentor in choose(rng, &eligible, count) {
            out.rows(&NOMINATION_MENTORS).push([
                V::Int(next(&mut self.ids.mentor)),
                V::Int(nomination_id),
                V::Int(mentor.member_id),
                V::Date(assigned),
                V::opt_date(closed),
            ]);
        }
    }

    pub(super) fn enrol(
        &mut self,
        class_id: i64,
        person_id: i64,
        result: EnrolmentResult,
        ends_on: NaiveDate,
        out: &mut Out,
    ) {
        let completed = result == EnrolmentResult::Completed;
        self.numbers.certificates += u64::from(completed);
        let number = completed.then(|| format!("{}/GCN-TTCT", self.numbers.certificates % 100_000 + 1));
        out.rows(&ENROLMENTS).push([
            V::Int(next(&mut self.ids.enrolment)),
            V::Int(class_id),
            V::Int(person_id),
            vocab(result),
            V::opt_text(number),
            V::opt_date(completed.then_some(ends_on)),
            V::Stamp(ends_on),
            V::Stamp(ends_on),
        ]);
    }

    pub(super) fn stint(&mut self, member_id: i64, cell_id: i64, from: NaiveDate, to: NaiveDate, out: &mut Out) {
        out.rows(&MEMBER_STINTS).push([
            V::Int(next(&mut self.ids.stint)),
            V::Int(member_id),
            V::Int(cell_id),
            V::Date(from),
            V::Date(to),
        ]);
    }
}
