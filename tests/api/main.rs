#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Integration tests through the public GraphQL API, one module per capability, in one test
//! binary (one link instead of one per file). Each test runs on its own fresh database: a SQLite
//! file by default, or its own PostgreSQL schema when `KETNAP_TEST_DATABASE_URL` is set.

mod access;
mod attainment;
mod audit;
mod auth_http;
mod backup;
mod bench_dashboards;
mod bench_smoke;
mod candidate_training;
mod cohort_summary;
mod common;
mod completion;
mod config;
mod congress;
mod dashboard;
mod database_errors;
mod dossier;
mod examples;
mod flow_summaries;
mod generate;
mod hardening;
mod http;
mod http_contract;
mod import;
mod import_members;
mod live;
mod membership_changes;
mod paging;
mod pipeline;
mod pipeline_queries;
mod profile_summary;
mod query_plans;
mod read_cache;
mod read_cache_reach;
mod readme;
mod reorganisation;
mod reports;
mod rollups;
mod rules;
mod schema;
mod signoff;
mod statement_shapes;
mod stats_figures;
mod stock_summaries;
mod telemetry;
mod tree;
mod year_figures;
