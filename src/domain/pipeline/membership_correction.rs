//! Corrections of recorded membership changes: the decision, reason, counterpart or note, never
//! what the change counted (its member, kind, cell and day); the earlier values stay in the audit
//! trail.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::membership;
use super::membership_change::{Decision, check_reason, checked_decision, kind_code, trimmed};
use crate::domain::audit::{self, Actor, Change};
use crate::domain::signoff::lock::ensure_open_on;
use crate::entity::membership_change::{self, ChangeReason, MembershipChangeKind};
use crate::error::{AppError, AppResult};
use crate::ids::MemberId;

/// What may be corrected on a change: nothing it counted (kind, member, cell, effective date).
#[derive(Default)]
pub struct Correction {
    pub decision: Option<Decision>,
    pub reason: Option<ChangeReason>,
    pub counterpart: Option<String>,
    pub note: Option<String>,
}

/// Which change: a member has at most one change of a kind on a day.
#[derive(Debug, Clone, Copy)]
pub struct ChangeKey {
    pub member_id: MemberId,
    pub kind: MembershipChangeKind,
    pub effective_on: NaiveDate,
}

/// Loads a change, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, key: ChangeKey) -> AppResult<membership_change::Model> {
    membership_change::Entity::find()
        .filter(membership_change::Column::MemberId.eq(key.member_id.get()))
        .filter(membership_change::Column::Kind.eq(key.kind))
        .filter(membership_change::Column::EffectiveOn.eq(key.effective_on))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!("no {} of this member on {}", kind_code(key.kind), key.effective_on))
        })
}

/// Corrects a mistyped decision, reason, counterpart or note; the earlier values stay in the audit trail.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    key: ChangeKey,
    correction: Correction,
) -> AppResult<membership_change::Model> {
    let before = get(db, key).await?;
    // The balance breaks its flows down by reason: a correction revises the change's period.
    ensure_open_on(db, before.cell_id.into(), before.effective_on).await?;
    let mut model: membership_change::ActiveModel = before.clone().into();
    if let Some(reason) = correction.reason {
        check_reason(before.kind, reason)?;
        model.reason = Set(reason);
    }
    if let Some(decision) = correction.decision {
        let decision = checked_decision(db, decision, before.cell_id.into()).await?;
        model.decision_number = Set(Some(decision.number.into_string()));
        model.decision_date = Set(Some(decision.date));
        model.deciding_unit_id = Set(Some(decision.deciding_unit_id.get()));
    }
    if let Some(counterpart) = correction.counterpart {
        model.counterpart = Set(trimmed(Some(counterpart)));
    }
    if let Some(note) = correction.note {
        model.note = Set(trimmed(Some(note)));
    }
    model.updated_at = Set(Utc::now());
    let after = model.update(db).await?;
    let member = membership::get(db, MemberId::from(after.member_id)).await?;
    let change = Change {
        operation: "correctMembershipChange",
        entity_type: "MembershipChange",
        entity_id: after.id,
        unit_id: Some(after.cell_id),
        person_id: Some(member.person_id),
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(db, actor, change).await?;
    Ok(after)
}
