//! ketnap — the GraphQL API for party member development (công tác phát triển đảng viên):
//! the organisation tree, the admission pipeline, targets and attainment.

pub mod auth;
pub mod cache;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entity;
pub mod error;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod import;
pub mod reports;
pub mod rules;
pub mod sql;
pub mod stats;
