//! The funnel of an awareness-class cohort in the API.

use async_graphql::SimpleObject;
use chrono::NaiveDate;

use super::figures::CategoryCount;
use crate::domain::period::Period;
use crate::graphql::scalars::Date;
use crate::stats::disclosure::Release;
use crate::stats::funnel::FunnelTally;

/// What became of a cohort: everyone who completed an awareness class (lớp bồi dưỡng nhận thức về
/// Đảng) organised in the unit's subtree with a certificate dated in the period, observed on
/// `observedOn`. `completed = admitted + removed + stillInSource + other` always holds
/// (Núi Thành 2017–2021: 819 = 345 + 322 + 152 + 0).
#[derive(SimpleObject, Clone)]
pub struct Funnel {
    /// The day the fates are read on: the period's `asOf` when given, else today.
    pub observed_on: Date,
    /// People in the cohort, each counted once however many classes they completed.
    pub completed: i64,
    /// Of them, admitted (kết nạp) by a decision dated on or before `observedOn`.
    pub admitted: i64,
    /// Of them, not admitted and not in the source, removed from it (đưa ra khỏi nguồn) on or
    /// before `observedOn`.
    pub removed: i64,
    /// The removed by the reason of their latest removal, largest first (under disclosure
    /// control, see `Disclosure`).
    pub removed_by_reason: Vec<CategoryCount>,
    /// Of them, not admitted and still in the source pool (nguồn) on `observedOn`.
    pub still_in_source: i64,
    /// The rest: never nominated to the source by `observedOn` (0 when everyone trained came from it).
    pub other: i64,
}

impl Funnel {
    /// The funnel of `tally`, its removal reasons released to the caller by `release`.
    pub fn new(tally: FunnelTally, observed_on: NaiveDate, release: Release, period: &Period) -> Self {
        Funnel {
            observed_on: observed_on.into(),
            completed: tally.completed,
            admitted: tally.admitted,
            removed: tally.removed,
            removed_by_reason: CategoryCount::released(release.apply(&tally.removed_by_reason, period)),
            still_in_source: tally.still_in_source,
            other: tally.other,
        }
    }
}
