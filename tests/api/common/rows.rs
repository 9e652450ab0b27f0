//! Raw rows for tests that need many facts fast (thousands of admissions for the worked
//! examples): built here once, so every fixture fills the same columns the same way.

use chrono::{NaiveDate, Utc};
use ketnap::entity::admission::{self, AdmissionOutcome};
use sea_orm::{ActiveValue::Set, NotSet};

/// A probationary admission of `person_id` into `cell_id`, decided by `deciding_unit_id` on
/// `decided`, numbered "{person_id}-QĐ/HU", with every optional column empty. Set the columns a test
/// needs (ceremony, nomination, outcome) on the returned model.
pub fn admission_row(
    person_id: i64,
    cell_id: i64,
    deciding_unit_id: i64,
    decided: NaiveDate,
) -> admission::ActiveModel {
    let now = Utc::now();
    admission::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        nomination_id: Set(None),
        cell_id: Set(cell_id),
        decision_number: Set(format!("{person_id}-QĐ/HU")),
        decision_date: Set(decided),
        deciding_unit_id: Set(deciding_unit_id),
        ceremony_date: Set(None),
        introducer1_id: Set(None),
        introducer1_since: Set(None),
        introducer2_id: Set(None),
        introducer2_since: Set(None),
        youth_union_resolution: Set(None),
        youth_union_resolution_date: Set(None),
        exception_reference: Set(None),
        exception_note: Set(None),
        outcome: Set(AdmissionOutcome::Probationary),
        outcome_decision_number: Set(None),
        outcome_decision_date: Set(None),
        outcome_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// An active nomination of `person_id` into `cell_id`'s source by `body` on `on`.
pub fn nomination_row(
    person_id: i64,
    cell_id: i64,
    body: ketnap::entity::nomination::NominatingBody,
    on: NaiveDate,
) -> ketnap::entity::nomination::ActiveModel {
    let now = Utc::now();
    ketnap::entity::nomination::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        cell_id: Set(cell_id),
        nominating_body: Set(body),
        nominated_on: Set(on),
        status: Set(ketnap::entity::nomination::NominationStatus::Active),
        removed_on: Set(None),
        removal_reason: Set(None),
        removal_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
