//! A candidate removed from the source, or still in it at the end of the history.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::super::out::Out;
use super::super::plan::{HISTORY_END, quarter_of};
use super::super::profile::{Place, nominating_body};
use super::super::random::weighted;
use super::{Drawn, Mentor, People, draw_candidate};
use crate::entity::vocabulary::{EnrolmentResult, NominationStatus, RemovalReason};

impl People<'_> {
    /// A candidate removed from the source on `removed` (still in it when that is after the
    /// history's end), perhaps after attending a class.
    pub(super) fn candidate(
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
        let Drawn { age, born, female, profile } = draw_candidate(rng, place, nominated);
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
}
