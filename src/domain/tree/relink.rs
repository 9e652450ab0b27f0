//! Moving a unit, with its whole subtree, under a new parent from a date on.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::ancestry::{current_ancestor_ids, is_within};
use super::checks::{ensure_active, ensure_outside, ensure_parent_level, validate_effective_date};
use super::closure::{ensure_after_last_change, move_subtree};
use super::events::record_event;
use super::find::get;
use super::regroup::Regrouped;
use crate::domain::audit::{self, Actor};
use crate::domain::signoff::lock::ensure_open_on;
use crate::entity::{unit, vocabulary::UnitEventKind};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;

/// Places a unit (with its whole subtree) under a new parent from `effective_on`.
pub async fn move_unit<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    new_parent_id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let mut regrouped = Regrouped::default();
    let after = move_deferred(db, actor, id, new_parent_id, effective_on, &mut regrouped).await?;
    // The subtree's facts from the move on now count toward the new ancestors, not the old.
    regrouped.recount(db).await?;
    Ok(after)
}

/// `move_unit`, leaving the recount of the rollup to the caller: the units whose figures the
/// move changed are added to `regrouped`.
pub(super) async fn move_deferred<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    new_parent_id: UnitId,
    effective_on: NaiveDate,
    regrouped: &mut Regrouped,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    let new_parent = get(db, new_parent_id).await?;
    ensure_active(&new_parent)?;
    ensure_parent_level(before.level, &new_parent)?;
    if before.parent_id == Some(new_parent.id) {
        return Err(AppError::invalid("parentId", format!("{} is already under {}", before.code, new_parent.code)));
    }
    regrouped.add(current_ancestor_ids(db, before.id.into(), false).await?, effective_on);
    let after = relink(db, &before, &new_parent, effective_on).await?;
    regrouped.add(current_ancestor_ids(db, after.id.into(), false).await?, effective_on);
    record_event(db, &after, UnitEventKind::Moved, effective_on, |event| {
        event.old_parent_id = Set(before.parent_id);
        event.new_parent_id = Set(Some(new_parent.id));
    })
    .await?;
    audit::changed(db, actor, "moveUnit", Some(&before), &after).await?;
    Ok(after)
}

/// Re-parents `unit` at `on` in the closure table and the `parent_id` column. Level rules are the
/// caller's business (a merge hangs a source under a unit of its own level).
pub(super) async fn relink<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    new_parent: &unit::Model,
    on: NaiveDate,
) -> AppResult<unit::Model> {
    ensure_outside(unit, new_parent, is_within(db, unit.id.into(), new_parent.id.into()).await?)?;
    ensure_after_last_change(db, unit, new_parent, on).await?;
    // The old ancestors lose the subtree's figures from `on`, the new ones gain them (a move or
    // a merge): refused inside a period either side has signed off.
    ensure_open_on(db, unit.id.into(), on).await?;
    ensure_open_on(db, new_parent.id.into(), on).await?;
    move_subtree(db, unit, new_parent, on).await?;
    let mut active: unit::ActiveModel = unit.clone().into();
    active.parent_id = Set(Some(new_parent.id));
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}
