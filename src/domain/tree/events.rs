//! A unit's history: one `unit_event` row per change to it, with the date it took effect.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};

use crate::entity::{unit, unit_event, vocabulary::UnitEventKind};
use crate::error::AppResult;

/// Records a change of kind `kind` to `unit` effective `on`; `fill` sets the fields the kind uses.
pub(super) async fn record_event<C, F>(
    db: &C,
    unit: &unit::Model,
    kind: UnitEventKind,
    on: NaiveDate,
    fill: F,
) -> AppResult<()>
where
    C: ConnectionTrait,
    F: FnOnce(&mut unit_event::ActiveModel),
{
    let mut event = unit_event::ActiveModel {
        id: NotSet,
        unit_id: Set(unit.id),
        kind: Set(kind),
        effective_on: Set(on),
        old_name: Set(None),
        new_name: Set(None),
        old_parent_id: Set(None),
        new_parent_id: Set(None),
        other_unit_id: Set(None),
        recorded_at: Set(Utc::now()),
    };
    fill(&mut event);
    event.insert(db).await?;
    Ok(())
}
