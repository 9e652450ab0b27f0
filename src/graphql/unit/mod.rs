//! The organisation tree in the API: the `Unit` type, its queries and its mutations.

mod connection;
mod drill_down;
mod fields;
mod mutation;
mod plain_rows;
mod query;
mod recognitions_due;
mod types;

pub use mutation::UnitMutation;
pub use query::UnitQuery;
pub(crate) use recognitions_due::due_within_days;
pub(crate) use types::load_unit;
pub use types::{Unit, UnitEvent};
