//! The training of a unit's own candidates (issue 17 §4): the enrolments in classes starting in
//! the period of the people in the unit's source pool, counted toward the ancestors of the
//! candidate's cell on the class's first day — whoever organised the class. A district's
//! awareness class thus shows in the figures of the commune and the cell that sent each
//! candidate, and a class whose results are not yet recorded shows its enrolled candidates.
//! The organiser's view stays in `classes`.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, FromQueryResult};

use super::classes::by_kind;

use crate::domain::period::Period;
use crate::entity::class::ClassKind;
use crate::error::AppResult;

/// One kind of class, as a unit's own candidates took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingTally {
    pub kind: ClassKind,
    /// Enrolments of the unit's candidates, whatever their result.
    pub enrolled: i64,
    /// Of those, attended (ATTENDED or COMPLETED).
    pub attended: i64,
    /// Of those, completed with a certificate (COMPLETED).
    pub completed: i64,
    /// Of those, no result recorded yet (ENROLLED).
    pub no_result_yet: i64,
}

#[derive(FromQueryResult)]
struct Row {
    unit_id: i64,
    kind: ClassKind,
    enrolled: i64,
    attended: i64,
    completed: i64,
    no_result_yet: i64,
}

/// Per unit of `units`, per kind of class (every kind listed, zeros included), the enrolments in
/// classes starting in the period of the candidates whose cell was in the unit's subtree on the
/// class's first day. A candidate's cell is the one of the nomination open during the class:
/// nominated by its last day, not removed before its first.
pub async fn own_candidates<C: ConnectionTrait>(
    db: &C,
    units: &[i64],
    period: &Period,
) -> AppResult<HashMap<i64, Vec<TrainingTally>>> {
    let select = "SELECT c.ancestor_id AS unit_id, cl.kind AS kind, COUNT(*) AS enrolled, \
         COALESCE(SUM(CASE WHEN e.result IN ('ATTENDED', 'COMPLETED') THEN 1 ELSE 0 END), 0) AS attended, \
         COALESCE(SUM(CASE WHEN e.result = 'COMPLETED' THEN 1 ELSE 0 END), 0) AS completed, \
         COALESCE(SUM(CASE WHEN e.result = 'ENROLLED' THEN 1 ELSE 0 END), 0) AS no_result_yet \
         FROM classes cl \
         JOIN enrolments e ON e.class_id = cl.id \
         JOIN nominations n ON n.person_id = e.person_id AND n.nominated_on <= cl.ends_on \
         AND (n.removed_on IS NULL OR n.removed_on > cl.starts_on) \
         JOIN unit_closure c ON c.descendant_id = n.cell_id \
         AND c.valid_from <= cl.starts_on AND cl.starts_on < c.valid_to";
    let tally = |kind, row: Option<&Row>| TrainingTally {
        kind,
        enrolled: row.map_or(0, |row| row.enrolled),
        attended: row.map_or(0, |row| row.attended),
        completed: row.map_or(0, |row| row.completed),
        no_result_yet: row.map_or(0, |row| row.no_result_yet),
    };
    by_kind(db, select, units, period, |row: &Row| (row.unit_id, row.kind), tally).await
}
