//! Class figures in the API: classes held, attendance and completions per kind, as the organiser
//! counts them; and the training of a unit's own candidates, wherever the class was organised.

use async_graphql::SimpleObject;

use crate::entity::class::ClassKind;
use crate::stats::classes::ClassTally;
use crate::stats::training::TrainingTally;

/// Classes of one kind held in a unit's subtree in the period, with their attendance.
#[derive(SimpleObject, Clone)]
pub struct ClassKindCount {
    /// The kind of class (lớp bồi dưỡng).
    pub kind: ClassKind,
    /// Classes starting in the period, organised by a unit of the subtree (as it stood on the
    /// class's first day).
    pub classes: i64,
    /// Enrolments in those classes with the result ATTENDED or COMPLETED; a person who attended
    /// two classes counts twice.
    pub attendees: i64,
    /// Enrolments in those classes with the result COMPLETED (a certificate, giấy chứng nhận, issued).
    pub completions: i64,
}

impl From<ClassTally> for ClassKindCount {
    fn from(tally: ClassTally) -> Self {
        ClassKindCount {
            kind: tally.kind,
            classes: tally.classes,
            attendees: tally.attendees,
            completions: tally.completions,
        }
    }
}

/// How a unit's own candidates took one kind of class in the period: the enrolments of the
/// people in the source of the unit's cells (the cell of their nomination on the class's first
/// day), in classes starting in the period, whoever organised them.
#[derive(SimpleObject, Clone)]
pub struct CandidateTraining {
    /// The kind of class.
    pub kind: ClassKind,
    /// Enrolments of the unit's candidates, whatever their result.
    pub enrolled: i64,
    /// Of those, attended (ATTENDED or COMPLETED).
    pub attended: i64,
    /// Of those, completed with a certificate (COMPLETED).
    pub completed: i64,
    /// Of those, with no result recorded yet (ENROLLED): the class is running, or its results
    /// are not in.
    pub no_result_yet: i64,
}

impl From<TrainingTally> for CandidateTraining {
    fn from(tally: TrainingTally) -> Self {
        CandidateTraining {
            kind: tally.kind,
            enrolled: tally.enrolled,
            attended: tally.attended,
            completed: tally.completed,
            no_result_yet: tally.no_result_yet,
        }
    }
}
