//! A unit by its id or by its code.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::unit;
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;

/// Loads a unit by id, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: UnitId) -> AppResult<unit::Model> {
    unit::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no unit with id {id}")))
}

/// Loads a unit by its code, or NOT_FOUND.
pub async fn get_by_code<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<unit::Model> {
    unit::Entity::find()
        .filter(unit::Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no unit with code '{}'", code.trim())))
}
