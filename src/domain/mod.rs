//! The rules and workflows of party member development, free of GraphQL and HTTP, so that each
//! rule can be tested without a server and reused by the command-line importers.

pub mod audit;
pub mod audit_read;
pub mod change_watch;
pub mod citizen_id;
pub mod congress;
pub mod decision;
pub mod dossier;
pub mod ethnicity;
pub mod people;
pub mod period;
pub mod pipeline;
pub mod pipeline_read;
pub mod policy;
pub mod read_audit;
pub mod rollup;
pub mod scope;
pub mod signoff;
pub mod stocks;
pub mod targets;
pub mod text;
pub mod tree;
pub mod tree_read;
pub mod unit_row;

/// The window a list page reads and the slice it gets back (keyset paging both ways).
pub use crate::sql::keyset::{Slice, Window};
