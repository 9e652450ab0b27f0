//! The pipeline's read side: candidates, people, classes, members, probation review and missing
//! ceremonies over a unit's subtree; a person's timeline; `node(id:)` for every pipeline type.
//! Fixtures are inserted as rows (`fixtures`), so these tests read only through the API.

mod candidates;
pub mod fixtures;
mod records;
