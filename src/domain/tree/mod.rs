//! The organisation tree: creating, renaming, moving, dissolving and merging units, each keeping
//! history, and the dated ancestry every report relies on.
//!
//! Ancestry lives in `unit_closure` as dated rows. A move effective on day D closes the rows that
//! linked the moved subtree to its old ancestors at D and opens rows to the new ones from D, with
//! two set-based statements whatever the subtree's size. A merge moves the sources' children to the
//! target and then hangs each dissolved source under the target, so facts recorded in a source
//! (admissions, nominations, members) roll up to the target from D on and to the source's old
//! ancestors before D, with no fact rewritten. Moves and merges recount the per-month rollup of
//! the units whose subtree changed, from D's month on (`domain::rollup::recount_from`).
//!
//! One file per concept: `checks` (the pure checks on codes, names, levels and dates), `find`
//! (a unit by id or code), `ancestry` (dated ancestry reads), `closure` (the closure-table
//! statements), `events` (the unit's history), and one file per mutation: `create`, `rename`,
//! `relink` (moves), `dissolve`, `merge`; `reorganise` applies many of them in one transaction
//! with one recount of the rollup (`regroup`) at the end.

mod ancestry;
mod checks;
mod closure;
mod create;
mod dissolve;
mod events;
mod find;
mod merge;
mod regroup;
mod relink;
mod rename;
mod reorganise;

pub use ancestry::{ancestors, is_within};
pub use checks::{RECORDS_BEGIN, ensure_outside, existed_on, validate_code, validate_kind, validate_name};
pub(crate) use closure::level_value;
pub use create::{NewUnit, create};
pub use dissolve::dissolve;
pub use find::{get, get_by_code};
pub use merge::merge;
pub use relink::move_unit;
pub use rename::rename;
pub use reorganise::Reorganisation;
