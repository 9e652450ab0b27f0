//! Targets (chỉ tiêu) in the API: the `Target` type with its change history, and the mutations
//! that set and clear targets. Attainment against them is a figure, in `stats`.

mod mutation;
pub mod types;

pub use mutation::TargetMutation;
pub use types::{Target, TargetChange};
