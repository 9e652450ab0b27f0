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
//!
//! One file per kind of person: `roster` (the members before the history), `admitted` (a
//! candidate's whole path to membership), `candidate` (one removed from the source or still in
//! it); `records` writes the rows they share (person, nomination, mentors, enrolment, stint,
//! membership change).

mod admitted;
mod candidate;
mod records;
mod roster;

use chrono::{Months, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::classes::Classes;
use super::numbers::Numbers;
use super::out::{Out, Stopped};
use super::plan::{FIRST_YEAR, HISTORY_END, LAST_YEAR, MONTH_WEIGHTS, date_or, last_month, year_factor};
use super::profile::{self, Place, Profile};
use super::random::{Stream, day_between, pick, plus_days, poisson, rng_for, weighted};
use super::tree::Tree;

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
}

/// A candidate as drawn on the day that decides their age (nomination or admission).
struct Drawn {
    age: u32,
    born: NaiveDate,
    female: bool,
    profile: Profile,
}

/// Draws a candidate of the cell at `place` whose age counts on `on`.
fn draw_candidate(rng: &mut StdRng, place: &Place, on: NaiveDate) -> Drawn {
    let age = candidate_age(rng);
    let born = born(rng, on, age);
    let female = rng.random_bool(0.48);
    let profile = profile::draw(rng, place, age, false);
    Drawn { age, born, female, profile }
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
