//! Targets and aggregated attainment in the API: `PeriodInput`, `Unit.stats(period:)` with its
//! figures, attainment, allocation and ranking, and the target mutations.

pub mod loader;
pub mod period;
pub mod targets;
pub mod types;

pub use period::PeriodInput;
pub use targets::{Target, TargetMutation};
pub use types::UnitStats;
