//! Dissolving a unit that no longer has active units or members under it.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::checks::{ensure_active, validate_effective_date};
use super::events::record_event;
use super::find::get;
use crate::calendar::OPEN_END;
use crate::domain::audit::{self, Actor};
use crate::domain::signoff::lock::ensure_open_on;
use crate::domain::stocks::Revision;
use crate::entity::{member_stint, unit, vocabulary::UnitEventKind};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;

/// Dissolves a unit that no longer has active units or members under it.
pub async fn dissolve<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    ensure_empty(db, &before).await?;
    ensure_open_on(db, before.id.into(), effective_on).await?;
    let revision = Revision::of_units(db, &[before.id]).await?;
    let after = mark_dissolved(db, &before, effective_on, None).await?;
    revision.finish(db).await?;
    record_event(db, &after, UnitEventKind::Dissolved, effective_on, |_| {}).await?;
    audit::changed(db, actor, "dissolveUnit", Some(&before), &after).await?;
    Ok(after)
}

async fn ensure_empty<C: ConnectionTrait>(db: &C, unit: &unit::Model) -> AppResult<()> {
    let active_children = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(unit.id))
        .filter(unit::Column::DissolvedOn.is_null())
        .limit(1)
        .all(db)
        .await?;
    if !active_children.is_empty() {
        return Err(AppError::refused(
            Rule::UnitNotEmpty,
            format!("{} still has active units under it: move or dissolve them first", unit.code),
        ));
    }
    let current_members = member_stint::Entity::find()
        .filter(member_stint::Column::CellId.eq(unit.id))
        .filter(member_stint::Column::ValidTo.eq(OPEN_END))
        .limit(1)
        .all(db)
        .await?;
    if !current_members.is_empty() {
        return Err(AppError::refused(
            Rule::UnitNotEmpty,
            format!("{} still has members: transfer them first, or merge the cell", unit.code),
        ));
    }
    Ok(())
}

/// Marks `unit` dissolved on `on`, merged into `merged_into` when a merge dissolves it.
pub(super) async fn mark_dissolved<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    on: NaiveDate,
    merged_into: Option<i64>,
) -> AppResult<unit::Model> {
    let mut active: unit::ActiveModel = unit.clone().into();
    active.dissolved_on = Set(Some(on));
    active.merged_into_id = Set(merged_into);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}
