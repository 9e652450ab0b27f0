//! People, cell by cell: the members admitted before the history (loaded as a roster, as
//! `import-members` would), then ten years of the pipeline — nominations into the source with
//! their mentors, awareness classes completed, admissions with introducers and ceremony,
//! recognitions after the 12-month probation (a few not recognised), removals from the source with
//! reasons, and candidates still in the source at the end.
//!
//! Every row keeps the invariants the domain writers keep: each admission's person has exactly
//! one nomination (closed as ADMITTED on the decision date) and a completed awareness class within
//! the certificate's validity; the member and its stints follow the admission and its outcome;
//! mentors and introducers are official members of the cell on the day; a person is in at most one
//! pipeline.

use chrono::{Months, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::changes::{self, ChangeRow};
use super::classes::Classes;
use super::names;
use super::numbers::{Numbers, decision_suffix};
use super::out::{Out, Stopped};
use super::plan::{
    FIRST_YEAR, HISTORY_END, LAST_YEAR, MONTH_WEIGHTS, ROSTER_FROM, ROSTER_SHARE, date_or, last_month, quarter_of,
    year_factor,
};
use super::profile::nominating_body;
use super::profile::{self, Place, Profile};
use super::random::{Stream, day_between, pick, plus_days, poisson, rng_for, weighted};
use super::rows::{ADMISSIONS, ENROLMENTS, MEMBER_STINTS, MEMBERS, NOMINATION_MENTORS, NOMINATIONS, PERSONS, V, vocab};
use super::tree::Tree;
use crate::calendar::{OPEN_END, add_months};
use crate::domain::policy::CHARTER;
use crate::domain::text::fold;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind as Kind};
use crate::entity::vocabulary::{
    AdmissionOutcome, EnrolmentResult, Gender, MemberStatus, NominatingBody as Body, NominationStatus, RemovalReason,
};

/// The next id of each table the people fill.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    person: i64,
    member: i64,
    stint: i64,
    nomination: i64,
    mentor: i64,
    enrolment: i64,
    admission: i64,
    change: i64,
}

fn next(counter: &mut i64) -> i64 {
    *counter += 1;
    *counter
}

/// The state the cells share.
pub(crate) struct People<'a> {
    pub seed: u64,
    pub tree: &'a Tree,
    pub classes: &'a Classes,
    pub ids: Ids,
    pub numbers: Numbers,
}

/// An official member of the cell who can follow a candidate or introduce one.
#[derive(Debug, Clone, Copy)]
struct Mentor {
    member_id: i64,
    official_since: NaiveDate,
}

impl People<'_> {
    /// Generates and queues every row of the people of every cell.
    pub(crate) fn write(&mut self, out: &mut Out) -> Result<(), Stopped> {
        for index in 0..self.tree.cells.len() {
            self.cell(index, out);
            out.maybe_flush()?;
        }
        Ok(())
    }

    fn cell(&mut self, index: usize, out: &mut Out) {
        let tree = self.tree;
        let cell = &tree.cells[index];
        let district = &tree.districts[cell.district];
        let place = Place {
            region: tree.provinces[district.province].region,
            minority_share: district.minority_share,
            mountain: district.mountain,
            cell_kind: cell.kind,
            province_no: district.province as i64 + 1,
        };
        let mut rng = rng_for(self.seed, Stream::Cell, index as u64);
        let mentors = self.roster(&mut rng, index, &place, out);
        for year in FIRST_YEAR..=LAST_YEAR {
            for _ in 0..poisson(&mut rng, cell.rate * year_factor(year)) {
                self.admitted(&mut rng, index, &place, &mentors, year, out);
            }
        }
        // Removed from the source: nominated from the year before the history on.
        for year in FIRST_YEAR - 1..=LAST_YEAR {
            for _ in 0..poisson(&mut rng, cell.rate * year_factor(year) * 0.6) {
                let from = date_or(year, 1, 1);
                let nominated = day_between(&mut rng, from, date_or(year, last_month(year), 31));
                let removed = plus_days(nominated, rng.random_range(90..900));
                self.candidate(&mut rng, index, &place, &mentors, nominated, Some(removed), out);
            }
        }
        // Still in the source at the end of the history.
        for _ in 0..poisson(&mut rng, cell.rate * 0.5) {
            let nominated = day_between(&mut rng, date_or(2025, 1, 1), HISTORY_END);
            self.candidate(&mut rng, index, &place, &mentors, nominated, None, out);
        }
    }

    /// The members admitted before the history; returns those who stay official in the cell
    /// throughout (the mentors and introducers of the candidates).
    fn roster(&mut self, rng: &mut StdRng, index: usize, place: &Place, out: &mut Out) -> Vec<Mentor> {
        let cell = &self.tree.cells[index];
        let commune = &self.tree.communes[cell.commune];
        let count = (cell.members * ROSTER_SHARE * rng.random_range(0.9..1.1)).round().max(1.0) as usize;
        let mut stable = Vec::with_capacity(count);
        for _ in 0..count {
            let female = rng.random_bool(0.33);
            // More recent admissions are more numerous: older members have died or left.
            let back = (50.0 * rng.random::<f64>().powf(1.7)) as i32;
            let year = 2015 - back;
            let party_since = day_between(rng, date_or(year, 1, 1), date_or(year, 12, 31)).max(ROSTER_FROM);
            let age_then = 18 + (30.0 * rng.random::<f64>().powi(2)) as u32;
            let born = born(rng, party_since, age_then);
            let ceremony = plus_days(party_since, rng.random_range(7..35));
            let official_since = add_months(ceremony, CHARTER.probation_months);
            let age_now = years_between(born, HISTORY_END);
            let end_chance = 0.02 + if age_now > 65 { 0.1 } else { 0.0 } + if age_now > 80 { 0.25 } else { 0.0 };
            let ended = rng
                .random_bool(end_chance)
                .then(|| day_between(rng, plus_days(official_since, 1).max(date_or(FIRST_YEAR, 1, 1)), HISTORY_END));
            let transfer = (ended.is_none() && commune.cells.len() > 1 && rng.random_bool(0.03)).then(|| {
                let mut other = rng.random_range(commune.cells.clone());
                if other == index {
                    other = if other + 1 < commune.cells.end { other + 1 } else { commune.cells.start };
                }
                (self.tree.cells[other].id, day_between(rng, date_or(FIRST_YEAR, 1, 1), HISTORY_END))
            });

            let profile = profile::draw(rng, place, age_then, true);
            let with_citizen_id = rng.random_bool(0.75);
            let person_id = self.person(rng, place, &profile, female, born, party_since, with_citizen_id, out);
            let member_id = next(&mut self.ids.member);
            let ending = ended.map(|on| (on, changes::ending(rng)));
            let (status, end_reason) = match ending {
                Some((_, (kind, _))) => {
                    let (status, code) = changes::ended_status(kind);
                    (status, V::Static(code))
                }
                None => (MemberStatus::Official, V::Null),
            };
            // A few arrived from another province's organisation during the history.
            let arrival = (ended.is_none() && transfer.is_none() && changes::arrived(rng))
                .then(|| day_between(rng, date_or(FIRST_YEAR, 1, 1), HISTORY_END));
            out.rows(&MEMBERS).push([
                V::Int(member_id),
                V::Int(person_id),
                V::Null,
                vocab(status),
                V::Date(party_since),
                V::Date(official_since),
                V::opt_date(ended),
                end_reason,
                V::Stamp(party_since),
                V::Stamp(ended.unwrap_or(official_since)),
            ]);
            match (transfer, arrival) {
                (Some((other_cell, on)), _) => {
                    self.stint(member_id, cell.id, party_since, on, out);
                    self.stint(member_id, other_cell, on, OPEN_END, out);
                }
                (None, Some(on)) => {
                    self.stint(member_id, cell.id, on, OPEN_END, out);
                    self.change(member_id, index, (Kind::TransferredIn, changes::origin(rng)), on, out);
                }
                (None, None) => self.stint(member_id, cell.id, party_since, ended.unwrap_or(OPEN_END), out),
            }
            if let Some((on, change)) = ending {
                self.change(member_id, index, change, on, out);
            }
            if ended.is_none() && transfer.is_none() && arrival.is_none() {
                stable.push(Mentor { member_id, official_since });
            }
        }
        stable
    }

    /// A candidate admitted in `year`, with the whole path before and after the decision.
    fn admitted(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        place: &Place,
        mentors: &[Mentor],
        year: i32,
        out: &mut Out,
    ) {
        let tree = self.tree;
        let cell = &tree.cells[index];
        let district = &tree.districts[cell.district];
        let month = weighted(rng, &month_weights(year)) as u32;
        let decided = day_between(rng, date_or(year, month, 1), date_or(year, month, 31)).min(HISTORY_END);
        let age = candidate_age(rng);
        let born = born(rng, decided, age);
        let female = rng.random_bool(0.48);
        let profile = profile::draw(rng, place, age, false);

        // The awareness class one to three quarters before the decision, the nomination before it.
        let class = self.classes.of(cell.district, quarter_of(decided) - rng.random_range(1..=3));
        let nominated = match class {
            Some(class) => plus_days(class.starts_on, -rng.random_range(20..240)),
            None => plus_days(decided, -rng.random_range(200..500)),
        };
        let person_id = self.person(rng, place, &profile, female, born, nominated, true, out);
        let body = nominating_body(rng, age, female, place.cell_kind);
        let nomination_id =
            self.nomination(rng, person_id, cell.id, body, nominated, NominationStatus::Admitted, None, out);
        self.mentors(rng, nomination_id, mentors, nominated, Some(decided), out);
        if let Some(class) = class {
            self.enrol(class.id, person_id, EnrolmentResult::Completed, class.ends_on, out);
        }

        // Introducers: official members who have worked with the candidate for 12 months or more;
        // the Youth Union's committee stands in for one of them for most of its members.
        let youth_union = body == Body::YouthUnion && age <= 30 && rng.random_bool(0.8);
        let eligible: Vec<Mentor> = mentors.iter().copied().filter(|m| m.official_since <= decided).collect();
        let needed = if youth_union { 1 } else { 2 };
        let introducers = choose(rng, &eligible, needed);
        let introducer = |i: usize| introducers.get(i).map(|m| m.member_id);
        let since = |rng: &mut StdRng, present: bool| {
            present.then(|| decided.checked_sub_months(Months::new(rng.random_range(12..40))).unwrap_or(decided))
        };
        let since1 = since(rng, introducer(0).is_some());
        let since2 = since(rng, introducer(1).is_some());
        let (resolution, resolution_date) = if youth_union {
            (
                V::Text(format!("{}-NQ/ĐTN", rng.random_range(1..200))),
                V::Date(plus_days(decided, -rng.random_range(7..40))),
            )
        } else {
            (V::Null, V::Null)
        };

        // Ceremony within weeks; recognition promptly after the 12 months of probation.
        let ceremony = Some(plus_days(decided, rng.random_range(5..40))).filter(|c| *c <= HISTORY_END);
        let outcome = ceremony.and_then(|c| {
            let ends = add_months(c, CHARTER.probation_months);
            let on = plus_days(ends, rng.random_range(0..60));
            (on <= HISTORY_END).then_some((ends, on, rng.random_bool(0.975)))
        });
        let suffix = decision_suffix(district.kind);
        let number = self.numbers.decision(cell.district, decided, suffix);
        let admission_id = next(&mut self.ids.admission);
        let member_id = next(&mut self.ids.member);
        let (outcome_value, outcome_number, outcome_date, outcome_reason) = match outcome {
            None => (AdmissionOutcome::Probationary, V::Null, V::Null, V::Null),
            Some((_, on, recognised)) => (
                if recognised { AdmissionOutcome::Recognised } else { AdmissionOutcome::NotRecognised },
                V::Text(self.numbers.decision(cell.district, on, suffix)),
                V::Date(on),
                if recognised {
                    V::Null
                } else {
                    V::Static(pick(
                        rng,
                        &["Không đủ tư cách đảng viên", "Vi phạm tư cách đảng viên", "Bỏ sinh hoạt đảng"],
                    ))
                },
            ),
        };
        let touched = outcome.map_or(ceremony.unwrap_or(decided), |(_, on, _)| on);
        out.rows(&ADMISSIONS).push([
            V::Int(admission_id),
            V::Int(person_id),
            V::Int(nomination_id),
            V::Int(cell.id),
            V::Text(number),
            V::Date(decided),
            V::Int(district.id),
            V::opt_date(ceremony),
            V::opt_int(introducer(0)),
            V::opt_date(since1),
            V::opt_int(introducer(1)),
            V::opt_date(since2),
            resolution,
            resolution_date,
            V::Null,
            V::Null,
            vocab(outcome_value),
            outcome_number,
            outcome_date,
            outcome_reason,
            V::Stamp(decided),
            V::Stamp(touched),
        ]);
        let (status, official_since, ended) = match outcome {
            None => (MemberStatus::Probationary, None, None),
            Some((ends, _, true)) => (MemberStatus::Official, Some(ends), None),
            Some((_, on, false)) => (MemberStatus::NameDeleted, None, Some(on)),
        };
        out.rows(&MEMBERS).push([
            V::Int(member_id),
            V::Int(person_id),
            V::Int(admission_id),
            vocab(status),
            V::Date(decided),
            V::opt_date(official_since),
            V::opt_date(ended),
            if ended.is_some() { V::Static("NOT_RECOGNISED") } else { V::Null },
            V::Stamp(decided),
            V::Stamp(touched),
        ]);
        self.stint(member_id, cell.id, decided, ended.unwrap_or(OPEN_END), out);
        if let Some(on) = ended {
            self.change(member_id, index, (Kind::NameDeleted, ChangeReason::NotRecognised), on, out);
        }
    }

    /// A membership change of the member of cell `index`, decided by its district on `on`.
    fn change(
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

    /// A candidate removed from the source on `removed` (still in it when that is after the
    /// history's end), perhaps after attending a class.
    fn candidate(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        place: &Place,
        mentors: &[Mentor],
        nominated: NaiveDate,
        removed: Option<NaiveDate>,
        out: &mut Out,
    ) {
        let cell = &self.tree.cells[index];
        let removed = removed.filter(|r| *r <= HISTORY_END);
        let age = candidate_age(rng);
        let born = born(rng, nominated, age);
        let female = rng.random_bool(0.48);
        let profile = profile::draw(rng, place, age, false);
        let person_id = self.person(rng, place, &profile, female, born, nominated, true, out);
        let body = nominating_body(rng, age, female, place.cell_kind);
        let (status, reason) = match removed {
            Some(_) => (
                NominationStatus::Removed,
                Some(weighted(
                    rng,
                    &[
                        (RemovalReason::MovedAway, 40),
                        (RemovalReason::NoLongerMeetsStandards, 20),
                        (RemovalReason::Withdrew, 20),
                        (RemovalReason::PolicyViolation, 5),
                        (RemovalReason::Deceased, 2),
                        (RemovalReason::Other, 13),
                    ],
                )),
            ),
            None => (NominationStatus::Active, None),
        };
        let removal = removed.zip(reason);
        let nomination_id = self.nomination(rng, person_id, cell.id, body, nominated, status, removal, out);
        self.mentors(rng, nomination_id, mentors, nominated, removed, out);
        if rng.random_bool(0.55) {
            let class = self.classes.of(cell.district, quarter_of(nominated) + rng.random_range(1..=2));
            let until = removed.unwrap_or(HISTORY_END);
            if let Some(class) = class.filter(|c| c.ends_on <= until) {
                let result = if rng.random_bool(0.85) { EnrolmentResult::Completed } else { EnrolmentResult::Failed };
                self.enrol(class.id, person_id, result, class.ends_on, out);
            }
        }
    }

    fn person(
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

    fn nomination(
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
    fn mentors(
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

    fn enrol(&mut self, class_id: i64, person_id: i64, result: EnrolmentResult, ends_on: NaiveDate, out: &mut Out) {
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

    fn stint(&mut self, member_id: i64, cell_id: i64, from: NaiveDate, to: NaiveDate, out: &mut Out) {
        out.rows(&MEMBER_STINTS).push([
            V::Int(next(&mut self.ids.stint)),
            V::Int(member_id),
            V::Int(cell_id),
            V::Date(from),
            V::Date(to),
        ]);
    }
}

/// Up to `count` distinct members of `from`.
fn choose(rng: &mut StdRng, from: &[Mentor], count: usize) -> Vec<Mentor> {
    let mut chosen: Vec<Mentor> = Vec::with_capacity(count);
    if from.len() <= count {
        chosen.extend_from_slice(from);
        return chosen;
    }
    while chosen.len() < count {
        let candidate = pick(rng, from);
        if chosen.iter().all(|m| m.member_id != candidate.member_id) {
            chosen.push(candidate);
        }
    }
    chosen
}

/// Age at admission: mostly youth (the Youth Union's age), never under 18 or over 59.
fn candidate_age(rng: &mut StdRng) -> u32 {
    let (low, high) = weighted(rng, &[((18, 30), 68), ((31, 45), 26), ((46, 59), 6)]);
    rng.random_range(low..=high)
}

/// A birthday `age` full years (and up to a year) before `on`.
fn born(rng: &mut StdRng, on: NaiveDate, age: u32) -> NaiveDate {
    let birthday = on.checked_sub_months(Months::new(age * 12)).unwrap_or(on);
    plus_days(birthday, -rng.random_range(0..365))
}

fn years_between(from: NaiveDate, to: NaiveDate) -> u32 {
    crate::calendar::whole_months_between(from, to) / 12
}

fn month_weights(year: i32) -> Vec<(usize, u32)> {
    (1..=last_month(year) as usize).map(|m| (m, MONTH_WEIGHTS[m - 1])).collect()
}
