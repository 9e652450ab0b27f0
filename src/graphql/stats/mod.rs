//! Targets and aggregated attainment in the API: `PeriodInput`, `Unit.stats(period:)` with its
//! figures (attainment, membership, the source pool, classes, breakdowns, the funnel, the time
//! series and projection), allocation and ranking, and the target mutations.

pub mod classes;
pub mod figures;
pub mod funnel;
pub mod loader;
pub mod period;
pub mod ranking;
pub mod series;
pub mod targets;
pub mod types;

pub use period::PeriodInput;
pub use targets::{Target, TargetMutation};
pub use types::UnitStats;
