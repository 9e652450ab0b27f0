//! Sign-off of official figures (phê duyệt số liệu, domain §2), approval up the tree as DHIS2's
//! approval levels run it, and the lock it puts on a period:
//! - a unit's committee **signs off** its figures for a year, half, quarter or term once the
//!   period has ended and it has approved every unit directly below it; from then on the period
//!   is locked for its subtree (`lock::ensure_open`);
//! - the level above **approves** the signed-off figures (the next level's sign-off needs it);
//! - the level above **reopens** a signed-off or approved period for a correction, once its own
//!   figures for the period are open; the unit then signs off again (a new revision).
//!
//! Every step is one row change audited in the step's transaction. The figures kept at a
//! sign-off are written by `stats::official`, which the API calls in the same transaction.

pub mod lock;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, NotSet,
    QueryFilter, QueryOrder,
};

use super::audit::{self, Actor, Audited, Filing};
use super::period::{Period, PeriodSpec};
use super::tree;
use crate::calendar::today_in_vietnam;
use crate::entity::period_signoff::{self, SignOffPeriodKind, SignOffStatus};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;
use crate::sql::dated::Tree;
use crate::sql::statement;

/// A period figures are signed off for: a year, a half, a quarter or a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffPeriod {
    pub kind: SignOffPeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub label: String,
}

impl SignOffPeriod {
    /// The sign-off period of a resolved period; VALIDATION for a month, a range or an `asOf`.
    pub fn of(period: &Period) -> AppResult<Self> {
        let kind = match period.spec {
            PeriodSpec::Year(_) => SignOffPeriodKind::Year,
            PeriodSpec::Half(..) => SignOffPeriodKind::Half,
            PeriodSpec::Quarter(..) => SignOffPeriodKind::Quarter,
            PeriodSpec::Term(..) => SignOffPeriodKind::Term,
            PeriodSpec::Month(..) | PeriodSpec::Range(..) => {
                return Err(AppError::invalid(
                    "period",
                    "figures are signed off for a year, a half, a quarter or a term",
                ));
            }
        };
        if period.as_of.is_some() {
            return Err(AppError::invalid("period", "a sign-off covers the whole period: leave out asOf"));
        }
        if period.tree != Tree::OnFactDate {
            return Err(AppError::invalid("period", "a sign-off keeps the figures as dated: leave out boundaries"));
        }
        Ok(SignOffPeriod { kind, start: period.start, end: period.end, label: period.label() })
    }
}

/// The latest sign-off of `unit` for the period from `start` to `end`, if any.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    unit: UnitId,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Option<period_signoff::Model>> {
    Ok(period_signoff::Entity::find()
        .filter(period_signoff::Column::UnitId.eq(unit))
        .filter(period_signoff::Column::PeriodStart.eq(start))
        .filter(period_signoff::Column::PeriodEnd.eq(end))
        .order_by_desc(period_signoff::Column::Revision)
        .one(db)
        .await?)
}

/// Loads a sign-off by its ID (internal: the API names sign-offs by unit and period).
pub async fn get<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<period_signoff::Model> {
    period_signoff::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::internal("a sign-off vanished"))
}

/// The unit's committee signs off its figures for `period`: refused while the period runs
/// (`PERIOD_NOT_ENDED`), while it is locked (`PERIOD_SIGNED_OFF`), or while a unit directly below
/// has not been approved (`SIGN_OFF_AWAITS_CHILDREN`). Returns the new revision.
pub async fn sign_off<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit: UnitId,
    period: &SignOffPeriod,
) -> AppResult<period_signoff::Model> {
    let unit = tree::get(db, unit).await?;
    if period.end >= today_in_vietnam() {
        return Err(AppError::refused(Rule::PeriodNotEnded, format!("{} has not ended yet", period.label)));
    }
    let before = latest(db, unit.id.into(), period.start, period.end).await?;
    if let Some(locked) = before.as_ref().filter(|row| row.status != SignOffStatus::Reopened) {
        return Err(AppError::refused(
            Rule::PeriodSignedOff,
            format!("{} already signed off {} (revision {})", unit.code, period.label, locked.revision),
        ));
    }
    let waiting = children_not_approved(db, unit.id, period).await?;
    if !waiting.is_empty() {
        return Err(AppError::refused(
            Rule::SignOffAwaitsChildren,
            format!("approve the figures of {} for {} first", waiting.join(", "), period.label),
        ));
    }
    let created = period_signoff::ActiveModel {
        id: NotSet,
        unit_id: Set(unit.id),
        period_kind: Set(period.kind),
        period_start: Set(period.start),
        period_end: Set(period.end),
        label: Set(period.label.clone()),
        revision: Set(before.as_ref().map_or(1, |row| row.revision + 1)),
        status: Set(SignOffStatus::SignedOff),
        signed_off_at: Set(Utc::now()),
        signed_off_by_subject: Set(actor.subject.clone()),
        signed_off_by_name: Set(actor.name.clone()),
        approved_at: Set(None),
        approved_by_subject: Set(None),
        approved_by_name: Set(None),
        reopened_at: Set(None),
        reopened_by_subject: Set(None),
        reopened_by_name: Set(None),
        reopen_reason: Set(None),
    }
    .insert(db)
    .await?;
    audit::changed(db, actor, "signOffFigures", before.as_ref(), &created).await?;
    Ok(created)
}

/// The level above approves the unit's signed-off figures (`PERIOD_NOT_SIGNED_OFF` otherwise).
pub async fn approve<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit: UnitId,
    period: &SignOffPeriod,
) -> AppResult<period_signoff::Model> {
    let (_, before) = latest_in_state(
        db,
        unit,
        period,
        |status| status == SignOffStatus::SignedOff,
        |code| format!("{code} has no figures for {} awaiting approval", period.label),
    )
    .await?;
    transition(db, actor, "approveFigures", before, |model| {
        model.status = Set(SignOffStatus::Approved);
        model.approved_at = Set(Some(Utc::now()));
        model.approved_by_subject = Set(actor.subject.clone());
        model.approved_by_name = Set(actor.name.clone());
    })
    .await
}

/// The level above reopens a signed-off or approved period of the unit so that a correction can
/// be made (`PERIOD_NOT_SIGNED_OFF` when it is open; `PERIOD_SIGNED_OFF` while the level above
/// has itself signed off the period: it is reopened first, from the top down).
pub async fn reopen<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unit: UnitId,
    period: &SignOffPeriod,
    reason: &str,
) -> AppResult<period_signoff::Model> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "say why the period is reopened"));
    }
    let (unit, before) = latest_in_state(
        db,
        unit,
        period,
        |status| status != SignOffStatus::Reopened,
        |code| format!("{code} has not signed off {}: it is open", period.label),
    )
    .await?;
    if let Some(parent) = tree::ancestors(db, unit.id.into(), period.end).await?.pop()
        && latest(db, parent.id.into(), period.start, period.end)
            .await?
            .is_some_and(|row| row.status != SignOffStatus::Reopened)
    {
        return Err(AppError::refused(
            Rule::PeriodSignedOff,
            format!("{} has signed off {}: reopen it first", parent.code, period.label),
        ));
    }
    transition(db, actor, "reopenFigures", before, |model| {
        model.status = Set(SignOffStatus::Reopened);
        model.reopened_at = Set(Some(Utc::now()));
        model.reopened_by_subject = Set(actor.subject.clone());
        model.reopened_by_name = Set(actor.name.clone());
        model.reopen_reason = Set(Some(reason.to_owned()));
    })
    .await
}

/// The unit and its latest sign-off of the period, when `expected` accepts its status;
/// `PERIOD_NOT_SIGNED_OFF` (saying `why`, given the unit's code) otherwise.
async fn latest_in_state<C: ConnectionTrait>(
    db: &C,
    unit: UnitId,
    period: &SignOffPeriod,
    expected: impl Fn(SignOffStatus) -> bool,
    why: impl Fn(&str) -> String,
) -> AppResult<(crate::entity::unit::Model, period_signoff::Model)> {
    let unit = tree::get(db, unit).await?;
    match latest(db, unit.id.into(), period.start, period.end).await?.filter(|row| expected(row.status)) {
        Some(before) => Ok((unit, before)),
        None => Err(AppError::refused(Rule::PeriodNotSignedOff, why(&unit.code))),
    }
}

/// Changes a sign-off's status as `edit` says, and audits the change as `operation`.
async fn transition<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    operation: &str,
    before: period_signoff::Model,
    edit: impl FnOnce(&mut period_signoff::ActiveModel),
) -> AppResult<period_signoff::Model> {
    let mut model: period_signoff::ActiveModel = before.clone().into();
    edit(&mut model);
    let after = model.update(db).await?;
    audit::changed(db, actor, operation, Some(&before), &after).await?;
    Ok(after)
}

/// The units of `root`'s subtree that stood at the period's end, deepest first: the order a
/// whole subtree signs off in (a loader of history, the demo).
pub async fn bottom_up<C: ConnectionTrait>(
    db: &C,
    root: UnitId,
    period: &SignOffPeriod,
) -> AppResult<Vec<crate::entity::unit::Model>> {
    let end = period.end;
    let sql = "SELECT u.* FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id = ? AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR u.dissolved_on > ?) \
         ORDER BY c.depth DESC, u.code";
    let values = vec![root.get().into(), end.into(), end.into(), end.into(), end.into()];
    Ok(crate::entity::unit::Model::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?)
}

#[derive(FromQueryResult)]
struct Code {
    code: String,
}

/// The codes of the units directly below `unit` at the period's end (established by then, not
/// dissolved) whose figures for the period are not approved; at most five, for the message.
async fn children_not_approved<C: ConnectionTrait>(
    db: &C,
    unit: i64,
    period: &SignOffPeriod,
) -> AppResult<Vec<String>> {
    let end = period.end;
    let sql = "SELECT u.code AS code FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id = ? AND c.depth = 1 AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR u.dissolved_on > ?) \
         AND NOT EXISTS (SELECT 1 FROM period_signoffs s WHERE s.unit_id = u.id \
         AND s.period_start = ? AND s.period_end = ? AND s.status = 'APPROVED') \
         ORDER BY u.code LIMIT 5";
    let values = vec![unit.into(), end.into(), end.into(), end.into(), end.into(), period.start.into(), end.into()];
    let rows = Code::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| row.code).collect())
}

impl Audited for period_signoff::Model {
    const ENTITY_TYPE: &'static str = "PeriodSignOff";
    fn filing(&self) -> Filing {
        Filing { id: self.id, unit: Some(self.unit_id), person: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(spec: PeriodSpec, as_of: Option<NaiveDate>) -> AppResult<SignOffPeriod> {
        SignOffPeriod::of(&Period::resolve(spec, as_of)?)
    }

    #[test]
    fn a_year_half_quarter_or_term_is_signed_off_whole() {
        let year = period(PeriodSpec::Year(2021), None).ok();
        assert_eq!(year.map(|p| (p.kind, p.label)), Some((SignOffPeriodKind::Year, "2021".to_owned())));
        let term = period(PeriodSpec::Term(2020, 2025), None).ok();
        assert_eq!(
            term.map(|p| (p.kind, p.start.to_string(), p.end.to_string())),
            Some((SignOffPeriodKind::Term, "2021-01-01".to_owned(), "2025-12-31".to_owned()))
        );
        assert_eq!(period(PeriodSpec::Quarter(2021, 2), None).ok().map(|p| p.kind), Some(SignOffPeriodKind::Quarter));
        assert!(period(PeriodSpec::Month(2021, 3), None).is_err());
        let day = NaiveDate::from_ymd_opt(2021, 6, 30);
        assert!(period(PeriodSpec::Year(2021), day).is_err(), "a sign-off covers the whole period");
    }
}
