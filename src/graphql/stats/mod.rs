//! Aggregated figures in the API: `PeriodInput`, `Unit.stats(period:)` with its figures
//! (attainment, membership, the source pool, classes, breakdowns, the funnel, the time series and
//! projection), allocation and ranking. Each is computed in `crate::stats` (or `domain`) and only
//! presented here.

pub mod balance;
pub mod classes;
pub mod figures;
pub mod funnel;
pub mod loader;
pub mod period;
pub mod ranking;
pub mod read_ahead;
pub mod rows_ahead;
pub mod series;
pub mod types;
pub mod unit_stats;

pub use period::PeriodInput;
pub use unit_stats::UnitStats;
