//! Sign-off of official figures (domain §2, issue 18 §1): the approval runs up the tree as in
//! DHIS2's approval levels (cells → commune → district → province), a signed-off period is locked
//! (`PERIOD_SIGNED_OFF`), the level above reopens it from the top down, and the figures kept at
//! each sign-off are served beside the live ones with the difference.

#[path = "signoff/helpers.rs"]
pub(crate) mod helpers;
#[path = "signoff/kept.rs"]
mod kept;
#[path = "signoff/late.rs"]
mod late;
#[path = "signoff/lock.rs"]
mod lock;
#[path = "signoff/reports.rs"]
mod reports;
#[path = "signoff/round.rs"]
mod round;
