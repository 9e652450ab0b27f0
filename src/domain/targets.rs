//! Admission targets: set, changed and cleared with their history in the audit trail, read in
//! batches for lists of units, and the allocation of a unit's target among its children.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, ModelTrait, NotSet,
    QueryFilter, QueryOrder,
};

use super::audit::{self, Actor, Change};
use super::period::TargetPeriod;
use super::signoff;
use super::tree;
use crate::entity::audit_log;
use crate::entity::target::{self, TargetKind, TargetPeriodKind};
use crate::error::{AppError, AppResult};
use crate::ids::{TargetId, UnitId};
use crate::rules::Rule;
use crate::sql::{placeholders, statement, year_figures};

/// Sets (creates or changes) a unit's target for a period.
pub async fn set<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit_id: UnitId,
    kind: TargetKind,
    period: TargetPeriod,
    value: i32,
) -> AppResult<target::Model> {
    if !(0..=1_000_000).contains(&value) {
        return Err(AppError::invalid("value", "a target is a number of admissions from 0 to 1,000,000"));
    }
    let unit = tree::get(db, unit_id).await?;
    if unit.dissolved_on.is_some() {
        return Err(AppError::refused(Rule::UnitDissolved, format!("unit {} has been dissolved", unit.code)));
    }
    let now = Utc::now();
    let before = find(db, unit_id, kind, period).await?;
    if before.as_ref().is_none_or(|existing| existing.value != value) {
        ensure_target_open(db, unit_id, period).await?;
    }
    if let Some(same) = before.as_ref().filter(|existing| existing.value == value) {
        // Nothing changes, so nothing is written and no audit row says it did.
        return Ok(same.clone());
    }
    let after = match &before {
        Some(existing) => {
            let mut model: target::ActiveModel = existing.clone().into();
            model.value = Set(value);
            model.updated_at = Set(now);
            model.update(db).await?
        }
        None => {
            target::ActiveModel {
                id: NotSet,
                unit_id: Set(unit_id.get()),
                kind: Set(kind),
                period_kind: Set(period.kind),
                start_year: Set(period.start_year),
                end_year: Set(period.end_year),
                value: Set(value),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?
        }
    };
    keep_year_figures(db, unit_id, kind, period, Some(value)).await?;
    let change = Change {
        operation: "setTarget",
        entity_type: "Target",
        entity_id: after.id,
        unit_id: Some(unit_id.get()),
        person_id: None,
        before: before.as_ref(),
        after: Some(&after),
    };
    audit::record(db, actor, change).await?;
    Ok(after)
}

/// Clears a unit's target for a period; NOT_FOUND when there is none.
pub async fn clear<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit_id: UnitId,
    kind: TargetKind,
    period: TargetPeriod,
) -> AppResult<target::Model> {
    let before = find(db, unit_id, kind, period)
        .await?
        .ok_or_else(|| AppError::not_found("the unit has no such target to clear"))?;
    ensure_target_open(db, unit_id, period).await?;
    before.clone().delete(db).await?;
    keep_year_figures(db, unit_id, kind, period, None).await?;
    let change = Change {
        operation: "clearTarget",
        entity_type: "Target",
        entity_id: before.id,
        unit_id: Some(unit_id.get()),
        person_id: None,
        before: Some(&before),
        after: None,
    };
    audit::record(db, actor, change).await?;
    Ok(before)
}

/// Brings the unit's row of the year's figures (`sql::year_figures`) in step with a target of a
/// year set to `value` or cleared (`None`); a term's targets are not kept there.
async fn keep_year_figures<C: ConnectionTrait>(
    db: &C,
    unit_id: UnitId,
    kind: TargetKind,
    period: TargetPeriod,
    value: Option<i32>,
) -> AppResult<()> {
    if period.kind != TargetPeriodKind::Year {
        return Ok(());
    }
    year_figures::target_written(db, unit_id.get(), kind, period.start_year, value).await
}

/// A target is compared with every period inside its year or term: refused while one of them is
/// signed off for the unit or a unit above it.
async fn ensure_target_open<C: ConnectionTrait>(db: &C, unit_id: UnitId, period: TargetPeriod) -> AppResult<()> {
    let (first, last) = period.days();
    signoff::lock::ensure_open(db, unit_id, first, last).await
}

async fn find<C: ConnectionTrait>(
    db: &C,
    unit_id: UnitId,
    kind: TargetKind,
    period: TargetPeriod,
) -> AppResult<Option<target::Model>> {
    Ok(target::Entity::find()
        .filter(target::Column::UnitId.eq(unit_id))
        .filter(target::Column::Kind.eq(kind))
        .filter(target::Column::PeriodKind.eq(period.kind))
        .filter(target::Column::StartYear.eq(period.start_year))
        .filter(target::Column::EndYear.eq(period.end_year))
        .one(db)
        .await?)
}

/// The targets of many units for one period, by unit and kind.
pub async fn for_units<C: ConnectionTrait>(
    db: &C,
    unit_ids: &[UnitId],
    period: TargetPeriod,
) -> AppResult<HashMap<(UnitId, TargetKind), i32>> {
    let rows = target::Entity::find()
        .filter(target::Column::UnitId.is_in(unit_ids.iter().copied()))
        .filter(target::Column::PeriodKind.eq(period.kind))
        .filter(target::Column::StartYear.eq(period.start_year))
        .filter(target::Column::EndYear.eq(period.end_year))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|t| ((UnitId::from(t.unit_id), t.kind), t.value)).collect())
}

/// Every target of a unit, newest period first.
pub async fn of_unit<C: ConnectionTrait>(db: &C, unit_id: UnitId) -> AppResult<Vec<target::Model>> {
    Ok(target::Entity::find()
        .filter(target::Column::UnitId.eq(unit_id))
        .order_by_desc(target::Column::EndYear)
        .order_by_desc(target::Column::StartYear)
        .order_by_asc(target::Column::Kind)
        .all(db)
        .await?)
}

/// The recorded changes of a target, oldest first.
pub async fn history<C: ConnectionTrait>(db: &C, target_id: TargetId) -> AppResult<Vec<audit_log::Model>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::EntityType.eq("Target"))
        .filter(audit_log::Column::EntityId.eq(target_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?)
}

/// The recorded changes of every target of a unit, cleared ones included, oldest first.
pub async fn history_of_unit<C: ConnectionTrait>(db: &C, unit_id: UnitId) -> AppResult<Vec<audit_log::Model>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::EntityType.eq("Target"))
        .filter(audit_log::Column::UnitId.eq(unit_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?)
}

/// How a unit's target is handed down: per unit, the sum of its active children's targets of the
/// same kind and period, and how many of its active children have one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocation {
    pub allocated: i64,
    pub children_with_target: i64,
    pub children: i64,
}

#[derive(FromQueryResult)]
struct AllocationRow {
    parent_id: i64,
    allocated: Option<i64>,
    with_target: i64,
    children: i64,
}

/// The allocation of many units' targets to their children, in one grouped statement.
pub async fn allocations<C: ConnectionTrait>(
    db: &C,
    unit_ids: &[UnitId],
    kind: TargetKind,
    period: TargetPeriod,
) -> AppResult<HashMap<UnitId, Allocation>> {
    if unit_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let kind_value: sea_orm::Value = sea_orm::ActiveEnum::to_value(&kind).into();
    let period_kind: sea_orm::Value = sea_orm::ActiveEnum::to_value(&period.kind).into();
    let mut values = vec![kind_value, period_kind, period.start_year.into(), period.end_year.into()];
    values.extend(unit_ids.iter().map(|id| sea_orm::Value::from(*id)));
    let sql = format!(
        "SELECT u.parent_id AS parent_id, SUM(t.value) AS allocated, COUNT(t.id) AS with_target, COUNT(*) AS children \
         FROM units u LEFT JOIN targets t ON t.unit_id = u.id AND t.kind = ? AND t.period_kind = ? \
         AND t.start_year = ? AND t.end_year = ? \
         WHERE u.parent_id IN ({}) AND u.dissolved_on IS NULL GROUP BY u.parent_id",
        placeholders(unit_ids.len())
    );
    let rows = AllocationRow::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let allocation = Allocation {
                allocated: row.allocated.unwrap_or(0),
                children_with_target: row.with_target,
                children: row.children,
            };
            (UnitId::from(row.parent_id), allocation)
        })
        .collect())
}
