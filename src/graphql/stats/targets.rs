//! Targets in the API: the `Target` type with its change history, and the mutations that set and
//! clear targets.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::period::{TargetPeriodInfo, TermInput};
use crate::auth::Capability::SetTargets;
use crate::domain::period::TargetPeriod;
use crate::domain::targets;
use crate::entity::target::{self, TargetKind, TargetPeriodKind};
use crate::entity::{audit_log, unit};
use crate::error::AppError;
use crate::graphql::access::Touch;
use crate::graphql::context::{database, loaders, write};
use crate::graphql::ids::{NodeKind, expect};
use crate::graphql::unit::Unit;

/// The API face of a `targets` row.
pub struct Target(pub target::Model);

/// An admission target (chỉ tiêu) of a unit for a year or a term.
#[Object]
impl Target {
    /// The unit the target is for.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        Ok(loaders(ctx)?.units.load_one(self.0.unit_id).await?.map(Unit))
    }

    /// ASSIGNED by the level above, or the unit's own RESOLUTION target.
    async fn kind(&self) -> TargetKind {
        self.0.kind
    }

    /// The year or term.
    async fn period(&self) -> TargetPeriodInfo {
        TargetPeriodInfo(TargetPeriod {
            kind: self.0.period_kind,
            start_year: self.0.start_year,
            end_year: self.0.end_year,
        })
    }

    /// The number of admissions targeted.
    async fn value(&self) -> i32 {
        self.0.value
    }

    /// Every change of the target, oldest first: who, when, the old and the new value.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<TargetChange>> {
        let rows = targets::history(database(ctx)?, self.0.id).await?;
        Ok(rows.into_iter().map(TargetChange::from).collect())
    }

    /// When it was first set.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One change of a target.
#[derive(SimpleObject)]
pub struct TargetChange {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (the token's subject), when known.
    pub by: Option<String>,
    /// `setTarget` or `clearTarget`.
    pub operation: String,
    /// Which target: ASSIGNED or RESOLUTION.
    pub kind: Option<TargetKind>,
    /// Which year or term, e.g. "2021" or "2020–2025".
    pub period_label: Option<String>,
    /// The value before; null when the target was first set.
    pub old_value: Option<i32>,
    /// The value after; null when the target was cleared.
    pub new_value: Option<i32>,
}

impl From<audit_log::Model> for TargetChange {
    fn from(row: audit_log::Model) -> Self {
        let value = |json: &Option<String>| {
            json.as_deref()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .and_then(|v| v.get("value").and_then(serde_json::Value::as_i64))
                .and_then(|v| i32::try_from(v).ok())
        };
        let record = row
            .after
            .as_deref()
            .or(row.before.as_deref())
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .unwrap_or_default();
        let kind = serde_json::from_value::<TargetKind>(record["kind"].clone()).ok();
        let years = (record["start_year"].as_i64(), record["end_year"].as_i64());
        let period_label = match (record["period_kind"].as_str(), years) {
            (Some("TERM"), (Some(start), Some(end))) => Some(format!("{start}–{end}")),
            (Some(_), (Some(year), _)) => Some(year.to_string()),
            _ => None,
        };
        TargetChange {
            kind,
            period_label,
            at: row.occurred_at,
            by: row.actor_subject.clone(),
            operation: row.operation.clone(),
            old_value: value(&row.before),
            new_value: value(&row.after),
        }
    }
}

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
    fn parse(&self) -> Result<(i64, TargetKind, TargetPeriod)> {
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
fn target_touch(unit: i64, kind: TargetKind) -> Touch {
    match kind {
        TargetKind::Assigned => Touch::UnitBelow(unit),
        TargetKind::Resolution => Touch::Unit(unit),
    }
}

/// Every change of every target of a unit, cleared ones included, oldest first.
pub async fn history_of_unit(ctx: &Context<'_>, unit: &unit::Model) -> Result<Vec<TargetChange>> {
    Ok(targets::history_of_unit(database(ctx)?, unit.id).await?.into_iter().map(TargetChange::from).collect())
}

/// The targets of a unit, newest period first.
pub async fn of_unit(ctx: &Context<'_>, unit: &unit::Model) -> Result<Vec<Target>> {
    Ok(targets::of_unit(database(ctx)?, unit.id).await?.into_iter().map(Target).collect())
}
