//! `Unit.recognitionsDue`: the headline counts of probationers due for recognition, batched
//! over every unit of a request in one grouped statement.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, SimpleObject};
use chrono::NaiveDate;

use crate::domain::pipeline_read::{self, probation_due_bound};
use crate::error::{AppError, AppResult};
use crate::graphql::context::loaders;
use crate::graphql::loaders::PipelineLoader;
use crate::graphql::scalars::Date;
use crate::ids::UnitId;

/// How far ahead a review of probationers looks: 0 to 3660 days, 30 by default.
pub(crate) fn due_within_days(days: Option<i32>) -> AppResult<u64> {
    u64::try_from(days.unwrap_or(30))
        .ok()
        .filter(|days| *days <= 3660)
        .ok_or_else(|| AppError::invalid("dueWithinDays", "look 0 to 3660 days ahead"))
}

/// How many probationary members (đảng viên dự bị) of a unit's current subtree are due for
/// recognition as official members (công nhận chính thức), and how many are overdue. Counts only:
/// the people themselves are listed by `probationReview`, which needs a role that reads records.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct RecognitionsDue {
    /// The day the counts are taken on.
    pub as_of: Date,
    /// How far ahead `due` looks, in days.
    pub due_within_days: i32,
    /// Probationers whose 12 months end within `dueWithinDays` of `asOf`, the overdue included.
    pub due: u64,
    /// Probationers whose 12 months ended before `asOf` without a recognition decision.
    pub overdue: u64,
}

/// One unit's counts with the two ceremony-date bounds they are taken at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DueKey {
    pub unit: UnitId,
    pub due_by: NaiveDate,
    pub overdue_by: NaiveDate,
}

impl Loader<DueKey> for PipelineLoader {
    type Value = pipeline_read::RecognitionsDue;
    type Error = AppError;

    async fn load(&self, keys: &[DueKey]) -> Result<HashMap<DueKey, Self::Value>, AppError> {
        // A request normally asks with one pair of bounds: one statement per pair.
        let mut bounds: Vec<(NaiveDate, NaiveDate)> = keys.iter().map(|key| (key.due_by, key.overdue_by)).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut found = HashMap::new();
        for (due_by, overdue_by) in bounds {
            let units: Vec<UnitId> = keys
                .iter()
                .filter(|key| (key.due_by, key.overdue_by) == (due_by, overdue_by))
                .map(|key| key.unit)
                .collect();
            let counts = pipeline_read::recognitions_due(self.database(), &units, due_by, overdue_by).await?;
            for unit in units {
                let value = counts.get(&unit).copied().unwrap_or_default();
                found.insert(DueKey { unit, due_by, overdue_by }, value);
            }
        }
        Ok(found)
    }
}

/// The counts of `unit` on `as_of`, looking `days` ahead.
pub(super) async fn of_unit(
    ctx: &Context<'_>,
    unit: i64,
    days: u64,
    as_of: NaiveDate,
) -> async_graphql::Result<RecognitionsDue> {
    // Overdue: probation ended strictly before `as_of` (ending on `as_of` itself is due, not late).
    let yesterday = as_of.pred_opt().unwrap_or(as_of);
    let key = DueKey {
        unit: unit.into(),
        due_by: probation_due_bound(as_of, days),
        overdue_by: probation_due_bound(yesterday, 0),
    };
    let counts = loaders(ctx)?.pipeline.load_one(key).await?.unwrap_or_default();
    Ok(RecognitionsDue {
        as_of: Date(as_of),
        due_within_days: i32::try_from(days).unwrap_or(i32::MAX),
        due: counts.due,
        overdue: counts.overdue,
    })
}
