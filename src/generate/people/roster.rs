//! The members admitted before the history, loaded as a roster.

use rand::Rng;
use rand::rngs::StdRng;

use super::super::changes;
use super::super::out::Out;
use super::super::plan::{FIRST_YEAR, HISTORY_END, ROSTER_FROM, ROSTER_SHARE, date_or};
use super::super::profile::{self, Place};
use super::super::random::{day_between, plus_days};
use super::super::rows::{MEMBERS, V, vocab};
use super::{Mentor, People, born, next, years_between};
use crate::calendar::{OPEN_END, add_months};
use crate::domain::policy::CHARTER;
use crate::entity::membership_change::MembershipChangeKind as Kind;
use crate::entity::vocabulary::MemberStatus;

impl People<'_> {
    /// The members admitted before the history; returns those who stay official in the cell
    /// throughout (the mentors and introducers of the candidates).
    pub(super) fn roster(&mut self, rng: &mut StdRng, index: usize, place: &Place, out: &mut Out) -> Vec<Mentor> {
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
}
