//! `RowsAhead`: where a request keeps the row figures its lists read ahead (`read_ahead`), by
//! unit and period. Apart from `read_ahead` so that the request's loaders, which hold it, do not
//! depend on the resolvers' context.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::loader::RowFiguresKey;
use crate::domain::period::Period;
use crate::stats::row_figures::RowFigures;

/// The row figures a request read ahead, by unit, then period. Filed by unit alone: a request
/// asks a row for one period or two, and hashing a `Period` (a dozen fields) at every lookup was
/// a twentieth of a ranking's instructions; in a B-tree, as a list's hundred ids are found in a
/// few comparisons each, cheaper than hashing each id. Emptied with the request's other remembered reads
/// before a write (`Loaders::forget`).
#[derive(Default)]
pub struct RowsAhead(Mutex<BTreeMap<i64, Vec<(Period, RowFigures)>>>);

impl RowsAhead {
    /// The figures read ahead for `unit_id` in `period`, if they were.
    pub fn get(&self, unit_id: i64, period: &Period) -> Option<RowFigures> {
        let read = self.lock();
        read.get(&unit_id)?.iter().find(|(read, _)| read == period).map(|(_, figures)| *figures)
    }

    /// Those of `units` without figures read ahead for one of `periods`.
    pub fn missing(&self, units: &[i64], periods: &[Period]) -> Vec<i64> {
        let read = self.lock();
        let has = |unit_id: &i64, period: &Period| {
            read.get(unit_id).is_some_and(|figures| figures.iter().any(|(read, _)| read == period))
        };
        units.iter().copied().filter(|unit_id| periods.iter().any(|period| !has(unit_id, period))).collect()
    }

    /// Keeps what a read ahead found.
    pub(super) fn remember(&self, read: impl IntoIterator<Item = (RowFiguresKey, RowFigures)>) {
        let mut kept = self.lock();
        for (key, figures) in read {
            let unit = kept.entry(key.unit_id).or_default();
            match unit.iter_mut().find(|(period, _)| *period == key.period) {
                Some(found) => found.1 = figures,
                None => unit.push((key.period, figures)),
            }
        }
    }

    /// Forgets everything read ahead.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<i64, Vec<(Period, RowFigures)>>> {
        // A panic while holding the lock cannot leave the map half-written: keep using it.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
