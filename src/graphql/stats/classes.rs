//! Class figures in the API: classes held, attendance and completions per kind.

use async_graphql::SimpleObject;

use crate::entity::class::ClassKind;
use crate::stats::classes::ClassTally;

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
