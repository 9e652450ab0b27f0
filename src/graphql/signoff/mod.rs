//! Sign-off of official figures in the API: the `SignOff` type and the mutations that sign off,
//! approve and reopen a unit's period (`domain::signoff`), and `UnitStats.official`, the figures
//! kept at the sign-off beside the live ones (`stats::official`).

pub mod mutation;
pub mod official;
pub mod types;

pub use mutation::SignOffMutation;
