//! What a resolver reads from the request context: the database pool and the request's loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::loaders::Loaders;
use crate::error::{AppError, AppResult};

/// The database pool.
pub fn database<'a>(ctx: &'a Context<'_>) -> AppResult<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>().map_err(|_| AppError::internal("the database is missing from the schema data"))
}

/// The request's DataLoaders.
pub fn loaders<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Loaders> {
    ctx.data::<Loaders>().map_err(|_| AppError::internal("the loaders are missing from the request data"))
}
