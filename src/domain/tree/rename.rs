//! Renaming a unit; the old name stays in its history.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::checks::{ensure_active, validate_effective_date, validate_name};
use super::events::record_event;
use super::find::get;
use crate::domain::audit::{self, Actor};
use crate::domain::text::fold;
use crate::entity::{unit, vocabulary::UnitEventKind};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;

/// Renames a unit; the old name stays in its history.
pub async fn rename<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    name: &str,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let name = validate_name(name)?;
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    if before.name == name {
        return Err(AppError::invalid("name", "the new name is the same as the current one"));
    }
    let mut active: unit::ActiveModel = before.clone().into();
    active.name_search = Set(fold(&name));
    active.name = Set(name);
    active.updated_at = Set(Utc::now());
    let after = active.update(db).await?;
    record_event(db, &after, UnitEventKind::Renamed, effective_on, |event| {
        event.old_name = Set(Some(before.name.clone()));
        event.new_name = Set(Some(after.name.clone()));
    })
    .await?;
    audit::changed(db, actor, "renameUnit", Some(&before), &after).await?;
    Ok(after)
}
