//! A candidate admitted in a year of the history, with the whole path before the decision
//! (nomination, mentors, awareness class) and after it (ceremony, probation, recognition).
//!
//! The random draws happen in a fixed order (the decision day, the candidate, the path before,
//! the introducers, the ceremony and outcome, the reason a member is not recognised), so that a
//! seed always gives the same people.

use chrono::{Months, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::super::numbers::decision_suffix;
use super::super::out::Out;
use super::super::plan::{HISTORY_END, date_or, quarter_of};
use super::super::profile::{Place, nominating_body};
use super::super::random::{day_between, pick, plus_days, weighted};
use super::super::rows::{ADMISSIONS, MEMBERS, V, vocab};
use super::{Drawn, Mentor, People, choose, draw_candidate, month_weights, next};
use crate::calendar::{OPEN_END, add_months};
use crate::domain::policy::CHARTER;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind as Kind};
use crate::entity::vocabulary::{
    AdmissionOutcome, EnrolmentResult, MemberStatus, NominatingBody as Body, NominationStatus,
};

/// An admission as decided: who, from which nomination, on which day, and what followed.
struct Decided {
    person_id: i64,
    nomination_id: i64,
    on: NaiveDate,
    ceremony: Option<NaiveDate>,
    outcome: Option<Outcome>,
}

/// The end of a probation: when the 12 months ended, the day of the decision on it, and whether
/// it recognised the member.
#[derive(Clone, Copy)]
struct Outcome {
    ends: NaiveDate,
    on: NaiveDate,
    recognised: bool,
}

impl Decided {
    /// The last day the admission changed.
    fn touched(&self) -> NaiveDate {
        self.outcome.map_or(self.ceremony.unwrap_or(self.on), |outcome| outcome.on)
    }
}

/// The introducers of an admission (up to two official members, with the day each began to work
/// with the candidate) and the Youth Union committee's resolution when it stands in for one.
struct Introducers {
    members: [Option<i64>; 2],
    since: [Option<NaiveDate>; 2],
    resolution: V,
    resolution_date: V,
}

impl People<'_> {
    /// A candidate admitted in `year`, with the whole path before and after the decision.
    pub(super) fn admitted(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        place: &Place,
        mentors: &[Mentor],
        year: i32,
        out: &mut Out,
    ) {
        let month = weighted(rng, &month_weights(year)) as u32;
        let decided = day_between(rng, date_or(year, month, 1), date_or(year, month, 31)).min(HISTORY_END);
        let drawn = draw_candidate(rng, place, decided);
        let (person_id, nomination_id, body) = self.path_to(rng, index, place, mentors, &drawn, decided, out);
        let introducers = introducers(rng, mentors, body, drawn.age, decided);
        let (ceremony, outcome) = ceremony_and_outcome(rng, decided);
        let decided = Decided { person_id, nomination_id, on: decided, ceremony, outcome };
        let admission_id = self.admission(rng, index, &decided, introducers, out);
        self.member(index, &decided, admission_id, out);
    }

    /// The path before the decision on `decided`: the person, the nomination (closed as ADMITTED
    /// on that day) with its mentors, and the awareness class one to three quarters before.
    /// Returns the person, the nomination and the body that nominated.
    fn path_to(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        place: &Place,
        mentors: &[Mentor],
        drawn: &Drawn,
        decided: NaiveDate,
        out: &mut Out,
    ) -> (i64, i64, Body) {
        let cell = &self.tree.cells[index];
        // The awareness class one to three quarters before the decision, the nomination before it.
        let class = self.classes.of(cell.district, quarter_of(decided) - rng.random_range(1..=3));
        let nominated = match class {
            Some(class) => plus_days(class.starts_on, -rng.random_range(20..240)),
            None => plus_days(decided, -rng.random_range(200..500)),
        };
        let Drawn { age, born, female, ref profile } = *drawn;
        let person_id = self.person(rng, place, profile, female, born, nominated, true, out);
        let body = nominating_body(rng, age, female, place.cell_kind);
        let nomination_id =
            self.nomination(rng, person_id, cell.id, body, nominated, NominationStatus::Admitted, None, out);
        self.mentors(rng, nomination_id, mentors, nominated, Some(decided), out);
        if let Some(class) = class {
            self.enrol(class.id, person_id, EnrolmentResult::Completed, class.ends_on, out);
        }
        (person_id, nomination_id, body)
    }

    /// The admission's row, with its decision numbers from the district; returns its id.
    fn admission(
        &mut self,
        rng: &mut StdRng,
        index: usize,
        decided: &Decided,
        introducers: Introducers,
        out: &mut Out,
    ) -> i64 {
        let cell = &self.tree.cells[index];
        let district = &self.tree.districts[cell.district];
        let suffix = decision_suffix(district.kind);
        let number = self.numbers.decision(cell.district, decided.on, suffix);
        let admission_id = next(&mut self.ids.admission);
        let (outcome_value, outcome_number, outcome_date, outcome_reason) = match decided.outcome {
            None => (AdmissionOutcome::Probationary, V::Null, V::Null, V::Null),
            Some(Outcome { on, recognised, .. }) => (
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
        let [introducer1, introducer2] = introducers.members;
        let [since1, since2] = introducers.since;
        out.rows(&ADMISSIONS).push([
            V::Int(admission_id),
            V::Int(decided.person_id),
            V::Int(decided.nomination_id),
            V::Int(cell.id),
            V::Text(number),
            V::Date(decided.on),
            V::Int(district.id),
            V::opt_date(decided.ceremony),
            V::opt_int(introducer1),
            V::opt_date(since1),
            V::opt_int(introducer2),
            V::opt_date(since2),
            introducers.resolution,
            introducers.resolution_date,
            V::Null,
            V::Null,
            vocab(outcome_value),
            outcome_number,
            outcome_date,
            outcome_reason,
            V::Stamp(decided.on),
            V::Stamp(decided.touched()),
        ]);
        admission_id
    }

    /// The member the admission made, in the cell from the decision on; a member not recognised
    /// has their name deleted on the day of that decision.
    fn member(&mut self, index: usize, decided: &Decided, admission_id: i64, out: &mut Out) {
        let cell_id = self.tree.cells[index].id;
        let member_id = next(&mut self.ids.member);
        let (status, official_since, ended) = match decided.outcome {
            None => (MemberStatus::Probationary, None, None),
            Some(Outcome { ends, recognised: true, .. }) => (MemberStatus::Official, Some(ends), None),
            Some(Outcome { on, recognised: false, .. }) => (MemberStatus::NameDeleted, None, Some(on)),
        };
        out.rows(&MEMBERS).push([
            V::Int(member_id),
            V::Int(decided.person_id),
            V::Int(admission_id),
            vocab(status),
            V::Date(decided.on),
            V::opt_date(official_since),
            V::opt_date(ended),
            if ended.is_some() { V::Static("NOT_RECOGNISED") } else { V::Null },
            V::Stamp(decided.on),
            V::Stamp(decided.touched()),
        ]);
        self.stint(member_id, cell_id, decided.on, ended.unwrap_or(OPEN_END), out);
        if let Some(on) = ended {
            self.change(member_id, index, (Kind::NameDeleted, ChangeReason::NotRecognised), on, out);
        }
    }
}

/// Introducers: official members who have worked with the candidate for 12 months or more; the
/// Youth Union's committee stands in for one of them for most of its members.
fn introducers(rng: &mut StdRng, mentors: &[Mentor], body: Body, age: u32, decided: NaiveDate) -> Introducers {
    let youth_union = body == Body::YouthUnion && age <= 30 && rng.random_bool(0.8);
    let eligible: Vec<Mentor> = mentors.iter().copied().filter(|m| m.official_since <= decided).collect();
    let needed = if youth_union { 1 } else { 2 };
    let chosen = choose(rng, &eligible, needed);
    let member = |i: usize| chosen.get(i).map(|m| m.member_id);
    let since = |rng: &mut StdRng, present: bool| {
        present.then(|| decided.checked_sub_months(Months::new(rng.random_range(12..40))).unwrap_or(decided))
    };
    let since1 = since(rng, member(0).is_some());
    let since2 = since(rng, member(1).is_some());
    let (resolution, resolution_date) = if youth_union {
        (V::Text(format!("{}-NQ/ĐTN", rng.random_range(1..200))), V::Date(plus_days(decided, -rng.random_range(7..40))))
    } else {
        (V::Null, V::Null)
    };
    Introducers { members: [member(0), member(1)], since: [since1, since2], resolution, resolution_date }
}

/// The ceremony within weeks of the decision, and recognition promptly after the 12 months of
/// probation (a few members not recognised); either is `None` when it falls after the history.
fn ceremony_and_outcome(rng: &mut StdRng, decided: NaiveDate) -> (Option<NaiveDate>, Option<Outcome>) {
    let ceremony = Some(plus_days(decided, rng.random_range(5..40))).filter(|c| *c <= HISTORY_END);
    let outcome = ceremony.and_then(|c| {
        let ends = add_months(c, CHARTER.probation_months);
        let on = plus_days(ends, rng.random_range(0..60));
        (on <= HISTORY_END).then_some(Outcome { ends, on, recognised: rng.random_bool(0.975) })
    });
    (ceremony, outcome)
}
