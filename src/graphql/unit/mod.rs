//! The organisation tree in the API: the `Unit` type, its queries and its mutations.

mod fields;
mod mutation;
mod query;
mod types;

pub use mutation::UnitMutation;
pub use query::UnitQuery;
pub(crate) use types::load_unit;
pub use types::{Unit, UnitEvent};
