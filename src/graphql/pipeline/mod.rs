//! The development pipeline in the API: people, nominations and their mentors, classes and
//! enrolments, admissions and memberships — the output types, the queries over a unit's subtree,
//! and the mutations.

mod changes;
pub mod dossier;
mod inputs;
mod mutation;
mod query;
mod types;

pub use changes::MembershipChangeMutation;
pub use dossier::DossierMutation;
pub use mutation::PipelineMutation;
pub use query::{CountedConnection, PipelineQuery};
pub use types::admission::{Introducer, ProbationItem};
pub use types::{Admission, Enrolment, Member, MemberStint, MentorAssignment, Nomination, Person, TrainingClass};
