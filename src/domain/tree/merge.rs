//! Merging units into one: the sources' active units and members move to the target, and each
//! source is dissolved and hung under the target.

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::ancestry::current_ancestor_ids;
use super::checks::{ensure_active, validate_effective_date};
use super::dissolve::mark_dissolved;
use super::events::record_event;
use super::find::get;
use super::regroup::Regrouped;
use super::relink::relink;
use crate::calendar::OPEN_END;
use crate::domain::audit::{self, Actor};
use crate::entity::{unit, vocabulary::UnitEventKind};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;
use crate::sql::statement;

/// Merges `source_ids` into `target_id` from `effective_on`: the sources' active units and members
/// move to the target, and each source is dissolved and hung under the target, so its past
/// figures stay with its old ancestors and its open records roll up to the target from then on.
pub async fn merge<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    source_ids: &[UnitId],
    target_id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let mut regrouped = Regrouped::default();
    let target = merge_deferred(db, actor, source_ids, target_id, effective_on, &mut regrouped).await?;
    regrouped.recount(db).await?;
    Ok(target)
}

/// `merge`, leaving the recount of the rollup to the caller: the units whose figures the merge
/// changed are added to `regrouped`.
pub(super) async fn merge_deferred<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    source_ids: &[UnitId],
    target_id: UnitId,
    effective_on: NaiveDate,
    regrouped: &mut Regrouped,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    if source_ids.is_empty() {
        return Err(AppError::invalid("sourceIds", "name at least one unit to merge"));
    }
    let mut seen = std::collections::HashSet::new();
    if !source_ids.iter().all(|id| seen.insert(*id)) {
        return Err(AppError::invalid("sourceIds", "a unit is named twice among the merge sources"));
    }
    if source_ids.contains(&target_id) {
        return Err(AppError::invalid("targetId", "the merge target cannot also be a source"));
    }
    let target = get(db, target_id).await?;
    ensure_active(&target)?;
    // Every unit whose subtree gains or loses units: the target and the sources, with their
    // ancestors (a source's children, and the source itself, move under the target).
    regrouped.add(current_ancestor_ids(db, target.id.into(), true).await?, effective_on);
    for source_id in source_ids {
        let source = get(db, *source_id).await?;
        ensure_active(&source)?;
        regrouped.add(current_ancestor_ids(db, source.id.into(), true).await?, effective_on);
        merge_one(db, actor, &source, &target, effective_on).await?;
    }
    get(db, target.id.into()).await
}

/// Merges one active `source` into `target` on `on`.
async fn merge_one<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    source: &unit::Model,
    target: &unit::Model,
    on: NaiveDate,
) -> AppResult<()> {
    if source.level != target.level {
        return Err(AppError::refused(
            Rule::MergeLevel,
            format!(
                "{} is a {:?} and {} a {:?}: only units of one level merge",
                source.code, source.level, target.code, target.level
            ),
        ));
    }
    let children = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(source.id))
        .filter(unit::Column::DissolvedOn.is_null())
        .all(db)
        .await?;
    for child in children {
        let moved = relink(db, &child, target, on).await?;
        record_event(db, &moved, UnitEventKind::Moved, on, |event| {
            event.old_parent_id = Set(Some(source.id));
            event.new_parent_id = Set(Some(target.id));
        })
        .await?;
    }
    transfer_members(db, source.id, target.id, on).await?;
    let hung = relink(db, source, target, on).await?;
    let dissolved = mark_dissolved(db, &hung, on, Some(target.id)).await?;
    record_event(db, &dissolved, UnitEventKind::MergedInto, on, |event| {
        event.other_unit_id = Set(Some(target.id));
    })
    .await?;
    record_event(db, target, UnitEventKind::MergedFrom, on, |event| {
        event.other_unit_id = Set(Some(source.id));
    })
    .await?;
    audit::changed(db, actor, "mergeUnits", Some(source), &dissolved).await?;
    Ok(())
}

/// Moves the current members of cell `from` to cell `to` on `on` (a merge of cells).
async fn transfer_members<C: ConnectionTrait>(db: &C, from: i64, to: i64, on: NaiveDate) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "INSERT INTO member_stints (member_id, cell_id, valid_from, valid_to) \
         SELECT member_id, ?, ?, ? FROM member_stints WHERE cell_id = ? AND valid_to = ? AND valid_from < ?",
        vec![to.into(), on.into(), OPEN_END.into(), from.into(), OPEN_END.into(), on.into()],
    ))
    .await?;
    // Stints that began on the merge day itself move whole.
    db.execute_raw(statement(
        backend,
        "UPDATE member_stints SET cell_id = ? WHERE cell_id = ? AND valid_to = ? AND valid_from >= ?",
        vec![to.into(), from.into(), OPEN_END.into(), on.into()],
    ))
    .await?;
    db.execute_raw(statement(
        backend,
        "UPDATE member_stints SET valid_to = ? WHERE cell_id = ? AND valid_to = ?",
        vec![on.into(), from.into(), OPEN_END.into()],
    ))
    .await?;
    Ok(())
}
