//! The `Target` output type (chỉ tiêu) with its change history, and a unit's targets.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::period::TargetPeriod;
use crate::domain::targets;
use crate::entity::target::{self, TargetKind};
use crate::entity::{audit_log, unit};
use crate::graphql::context::{database, loaders};
use crate::graphql::stats::period::TargetPeriodInfo;
use crate::graphql::unit::Unit;
use crate::ids::UnitId;

/// The API face of a `targets` row.
pub struct Target(pub target::Model);

/// An admission target (chỉ tiêu) of a unit for a year or a term.
#[Object]
impl Target {
    /// The unit the target is for.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        Ok(loaders(ctx)?.units.load_one(UnitId::from(self.0.unit_id)).await?.map(Unit))
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
        let rows = targets::history(database(ctx)?, self.0.id.into()).await?;
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

/// Every change of every target of a unit, cleared ones included, oldest first.
pub async fn history_of_unit(ctx: &Context<'_>, unit: &unit::Model) -> Result<Vec<TargetChange>> {
    Ok(targets::history_of_unit(database(ctx)?, unit.id.into()).await?.into_iter().map(TargetChange::from).collect())
}

/// The targets of a unit, newest period first.
pub async fn of_unit(ctx: &Context<'_>, unit: &unit::Model) -> Result<Vec<Target>> {
    Ok(targets::of_unit(database(ctx)?, unit.id.into()).await?.into_iter().map(Target).collect())
}
