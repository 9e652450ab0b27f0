//! Reading the dated ancestry in `unit_closure`: a unit's ancestors on a day, its current
//! ancestors, and whether one unit lies in another's current subtree.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};

use crate::calendar::OPEN_END;
use crate::entity::{unit, unit_closure};
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::statement;

/// The ancestors of a unit as of `on`, from the province down to its parent.
pub async fn ancestors<C: ConnectionTrait>(db: &C, id: UnitId, on: NaiveDate) -> AppResult<Vec<unit::Model>> {
    let rows = unit::Model::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT u.* FROM unit_closure c JOIN units u ON u.id = c.ancestor_id \
         WHERE c.descendant_id = ? AND c.depth > 0 AND c.valid_from <= ? AND ? < c.valid_to \
         ORDER BY c.depth DESC",
        vec![id.into(), on.into(), on.into()],
    ))
    .all(db)
    .await?;
    Ok(rows)
}

/// Whether `unit_id` lies in the current subtree of `root_id` (itself included).
pub async fn is_within<C: ConnectionTrait>(db: &C, root_id: UnitId, unit_id: UnitId) -> AppResult<bool> {
    Ok(unit_closure::Entity::find()
        .filter(unit_closure::Column::AncestorId.eq(root_id))
        .filter(unit_closure::Column::DescendantId.eq(unit_id))
        .filter(unit_closure::Column::ValidTo.eq(OPEN_END))
        .one(db)
        .await?
        .is_some())
}

/// The current ancestors of unit `id`, with the unit itself when `with_self`.
pub(super) async fn current_ancestor_ids<C: ConnectionTrait>(
    db: &C,
    id: UnitId,
    with_self: bool,
) -> AppResult<Vec<UnitId>> {
    let minimum_depth = if with_self { 0 } else { 1 };
    Ok(unit_closure::Entity::find()
        .filter(unit_closure::Column::DescendantId.eq(id))
        .filter(unit_closure::Column::ValidTo.eq(OPEN_END))
        .filter(unit_closure::Column::Depth.gte(minimum_depth))
        .all(db)
        .await?
        .into_iter()
        .map(|row| UnitId::from(row.ancestor_id))
        .collect())
}
