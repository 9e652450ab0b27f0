//! sea-orm entities, one file per table, and the closed vocabularies stored in them. No business
//! logic lives here.
//!
//! The vocabulary enums derive both `DeriveActiveEnum` (stored as stable upper-case strings) and
//! `async_graphql::Enum`, so the database and the API share one list of values and one set of
//! descriptions; the rules that use them live in `domain`.

pub mod admission;
pub mod audit_log;
pub mod class;
pub mod congress;
pub mod dossier_form;
pub mod enrolment;
pub mod member;
pub mod member_stint;
pub mod membership_change;
pub mod nomination;
pub mod nomination_mentor;
pub mod official_figure;
pub mod period_signoff;
pub mod person;
pub mod target;
pub mod unit;
pub mod unit_closure;
pub mod unit_event;
pub mod vocabulary;
