//! The organisation tree in the API: the `Unit` type, its queries and its mutations.

mod mutation;
mod query;
mod types;

pub use mutation::UnitMutation;
pub use query::{UnitQuery, unit_connection};
pub(crate) use types::load_unit;
pub use types::{Unit, UnitEvent};
