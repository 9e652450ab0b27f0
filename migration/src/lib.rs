//! Database migrations for ketnap, one file per change, applied in order.
//!
//! The server applies pending migrations on start (unless `--no-migrate`); operators who migrate
//! separately use this crate's binary: `cargo run -p migration -- up|down|status`.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_units;
mod m20261123_000002_create_pipeline;
mod m20261123_000003_create_audit_log;
mod m20261123_000004_create_targets;
mod m20261123_000005_stats_indexes;
mod m20261123_000007_rollups;
mod m20261123_000008_trigram_search;
mod m20261205_000009_membership_changes;
mod m20261205_000010_unit_code_case;
mod m20261206_000011_period_signoffs;
mod m20261207_000012_congresses;
mod m20261207_000013_dossier_forms;
mod m20261207_000014_official_breakdowns;
mod m20261208_000015_disclosure_keys;
mod m20261209_000016_unit_stocks;
mod m20261210_000017_enrolment_results;
mod m20261211_000018_unit_month_profiles;
mod m20261212_000019_stock_flows;
mod m20261212_000020_fate_indexes;
mod m20261213_000021_awareness_cohorts;
mod m20261214_000022_unit_year_figures;

/// The far-future date that marks an open validity interval (`valid_to`) in dated tables.
///
/// A sentinel rather than NULL keeps every "as of" test a plain range comparison
/// (`valid_from <= d AND d < valid_to`) that a B-tree index can serve.
pub const OPEN_END: &str = "9999-12-31";

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_units::Migration),
            Box::new(m20261123_000002_create_pipeline::Migration),
            Box::new(m20261123_000003_create_audit_log::Migration),
            Box::new(m20261123_000004_create_targets::Migration),
            Box::new(m20261123_000005_stats_indexes::Migration),
            Box::new(m20261123_000007_rollups::Migration),
            Box::new(m20261123_000008_trigram_search::Migration),
            Box::new(m20261205_000009_membership_changes::Migration),
            Box::new(m20261205_000010_unit_code_case::Migration),
            Box::new(m20261206_000011_period_signoffs::Migration),
            Box::new(m20261207_000012_congresses::Migration),
            Box::new(m20261207_000013_dossier_forms::Migration),
            Box::new(m20261207_000014_official_breakdowns::Migration),
            Box::new(m20261208_000015_disclosure_keys::Migration),
            Box::new(m20261209_000016_unit_stocks::Migration),
            Box::new(m20261210_000017_enrolment_results::Migration),
            Box::new(m20261211_000018_unit_month_profiles::Migration),
            Box::new(m20261212_000019_stock_flows::Migration),
            Box::new(m20261212_000020_fate_indexes::Migration),
            Box::new(m20261213_000021_awareness_cohorts::Migration),
            Box::new(m20261214_000022_unit_year_figures::Migration),
        ]
    }
}
