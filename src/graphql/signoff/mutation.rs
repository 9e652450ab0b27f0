//! The mutations of sign-off: `signOffFigures` by the unit's committee (an administrator of the
//! unit's subtree), `approveFigures` and `reopenFigures` by the level above (an administrator of
//! a unit above it). Each is one transaction; a sign-off also keeps the period's figures for the
//! whole subtree.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::SignOff;
use crate::auth::Capability::SignOffFigures;
use crate::domain::signoff::{self, SignOffPeriod};
use crate::graphql::access::Touch;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::stats::PeriodInput;
use crate::graphql::transaction::write;
use crate::ids::UnitId;
use crate::stats::official;

/// A unit and a period of its figures.
#[derive(InputObject)]
pub struct FiguresInput {
    /// The unit.
    pub unit_id: ID,
    /// A year, a half, a quarter or a term (no `asOf`).
    pub period: PeriodInput,
}

/// A period to reopen, and why.
#[derive(InputObject)]
pub struct ReopenFiguresInput {
    /// The unit.
    pub unit_id: ID,
    /// A year, a half, a quarter or a term (no `asOf`).
    pub period: PeriodInput,
    /// Why the period is reopened (the correction to come), kept with the sign-off.
    pub reason: String,
}

fn parse(unit: &ID, period: &PeriodInput) -> Result<(UnitId, SignOffPeriod, crate::domain::period::Period)> {
    let unit = expect(unit, NodeKind::Unit, "unitId")?;
    let period = period.resolve()?;
    Ok((unit, SignOffPeriod::of(&period)?, period))
}

/// The sign-off a mutation changed.
#[derive(SimpleObject)]
pub struct SignOffPayload {
    /// The sign-off after the change.
    pub sign_off: SignOff,
}

/// Mutations of sign-off.
#[derive(Default)]
pub struct SignOffMutation;

#[Object]
impl SignOffMutation {
    /// Signs off the unit's figures for an ended period (ký duyệt): the period is locked for the
    /// subtree and every figure of every unit in it is kept. Needs every unit directly below to
    /// be approved first (`SIGN_OFF_AWAITS_CHILDREN`).
    async fn sign_off_figures(&self, ctx: &Context<'_>, input: FiguresInput) -> Result<SignOffPayload> {
        let (unit, period, resolved) = parse(&input.unit_id, &input.period)?;
        let signed = write(ctx, SignOffFigures, &[Touch::Unit(unit)], |txn, actor| {
            Box::pin(async move {
                let before = signoff::latest(txn, unit, period.start, period.end).await?;
                let signed = signoff::sign_off(txn, actor, unit, &period).await?;
                official::keep(txn, &signed, &resolved).await?;
                if let Some(previous) = before {
                    official::record_revision(txn, actor, &signed, &previous).await?;
                }
                Ok(signed)
            })
        })
        .await?;
        Ok(SignOffPayload { sign_off: SignOff(signed) })
    }

    /// Approves the signed-off figures of a unit below (phê duyệt); the level above's own
    /// sign-off waits for it.
    async fn approve_figures(&self, ctx: &Context<'_>, input: FiguresInput) -> Result<SignOffPayload> {
        let (unit, period, _) = parse(&input.unit_id, &input.period)?;
        let approved = write(ctx, SignOffFigures, &[Touch::UnitBelow(unit)], |txn, actor| {
            Box::pin(async move { signoff::approve(txn, actor, unit, &period).await })
        })
        .await?;
        Ok(SignOffPayload { sign_off: SignOff(approved) })
    }

    /// Reopens a locked period of a unit below for a correction (mở lại), once the level above's
    /// own figures for it are open; the unit then signs off again as a new revision.
    async fn reopen_figures(&self, ctx: &Context<'_>, input: ReopenFiguresInput) -> Result<SignOffPayload> {
        let (unit, period, _) = parse(&input.unit_id, &input.period)?;
        let reason = input.reason;
        let reopened = write(ctx, SignOffFigures, &[Touch::UnitBelow(unit)], |txn, actor| {
            Box::pin(async move { signoff::reopen(txn, actor, unit, &period, &reason).await })
        })
        .await?;
        Ok(SignOffPayload { sign_off: SignOff(reopened) })
    }
}
