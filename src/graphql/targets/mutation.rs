//! The mutations that set and clear targets, and the inputs naming a target.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::Target;
use crate::auth::Capability::SetTargets;
use crate::domain::period::TargetPeriod;
use crate::domain::targets;
use crate::entity::target::{TargetKind, TargetPeriodKind};
use crate::error::AppError;
use crate::graphql::access::Touch;
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::stats::period::TermInput;
use crate::graphql::transaction::write;
use crate::ids::UnitId;

/// Which target: a unit, a kind, and a year or a term.
#[derive(InputObject)]
pub struct TargetRefInput {
    /// The unit.
    pub unit_id: ID,
    /// ASSIGNED or RESOLUTION.
    pub kind: TargetKind,
    /// A year target. Give this or `term`.
    pub year: Option<i32>,
    /// A term target. Give this or `year`.
    pub term: Option<TermInput>,
}

impl TargetRefInput {
    fn parse(&self) -> Result<(UnitId, TargetKind, TargetPeriod)> {
        let unit = expect(&self.unit_id, NodeKind::Unit, "unitId")?;
        let period = match (self.year, self.term) {
            (Some(year), None) => TargetPeriod::checked(TargetPeriodKind::Year, year, year)?,
            (None, Some(term)) => TargetPeriod::checked(TargetPeriodKind::Term, term.start_year, term.end_year)?,
            _ => return Err(AppError::invalid("year", "give exactly one of year and term").into()),
        };
        Ok((unit, self.kind, period))
    }
}

/// A target to set.
#[derive(InputObject)]
pub struct SetTargetInput {
    /// Which target.
    pub target: TargetRefInput,
    /// The number of admissions targeted.
    pub value: i32,
}

/// The target a mutation changed.
#[derive(SimpleObject)]
pub struct TargetPayload {
    /// The target after the change (for `clearTarget`: as it was before it was cleared).
    pub target: Target,
}

/// Mutations of targets.
#[derive(Default)]
pub struct TargetMutation;

#[Object]
impl TargetMutation {
    /// Sets (or changes) a unit's target for a year or a term; the old value is kept in its history.
    async fn set_target(&self, ctx: &Context<'_>, input: SetTargetInput) -> Result<TargetPayload> {
        let (unit, kind, period) = input.target.parse()?;
        let value = input.value;
        let touches = [target_touch(unit, kind)];
        let changed = write(ctx, SetTargets, &touches, |txn, actor| {
            Box::pin(targets::set(txn, actor, unit, kind, period, value))
        })
        .await?;
        Ok(TargetPayload { target: Target(changed) })
    }

    /// Sets many targets in one transaction (a province handing its year's targets down to every
    /// district at once): all are set, or none when one is refused.
    async fn set_targets(&self, ctx: &Context<'_>, inputs: Vec<SetTargetInput>) -> Result<Vec<Target>> {
        if inputs.is_empty() || inputs.len() > 1_000 {
            return Err(AppError::invalid("inputs", "give 1 to 1,000 targets").into());
        }
        let parsed = inputs
            .iter()
            .map(|input| input.target.parse().map(|(unit, kind, period)| (unit, kind, period, input.value)))
            .collect::<Result<Vec<_>>>()?;
        let touches: Vec<Touch> = parsed.iter().map(|(unit, kind, ..)| target_touch(*unit, *kind)).collect();
        let changed = write(ctx, SetTargets, &touches, |txn, actor| {
            Box::pin(async move {
                let mut changed = Vec::with_capacity(parsed.len());
                for (unit, kind, period, value) in parsed {
                    changed.push(targets::set(txn, actor, unit, kind, period, value).await?);
                }
                Ok(changed)
            })
        })
        .await?;
        Ok(changed.into_iter().map(Target).collect())
    }

    /// Clears a unit's target for a year or a term; NOT_FOUND when it has none.
    async fn clear_target(&self, ctx: &Context<'_>, input: TargetRefInput) -> Result<TargetPayload> {
        let (unit, kind, period) = input.parse()?;
        let touches = [target_touch(unit, kind)];
        let cleared =
            write(ctx, SetTargets, &touches, |txn, actor| Box::pin(targets::clear(txn, actor, unit, kind, period)))
                .await?;
        Ok(TargetPayload { target: Target(cleared) })
    }
}

/// An assigned target is set by the level above the unit; a resolution target is the unit's own
/// (its congress resolves it), so the unit's own administrators may set it too.
fn target_touch(unit: UnitId, kind: TargetKind) -> Touch {
    match kind {
        TargetKind::Assigned => Touch::UnitBelow(unit),
        TargetKind::Resolution => Touch::Unit(unit),
    }
}
