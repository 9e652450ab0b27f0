//! `RowsAhead`: where a request keeps the row figures its lists read ahead (`read_ahead`), by
//! unit and period. Apart from `read_ahead` so that the request's loaders, which hold it, do not
//! depend on the resolvers' context.

use std::collections::HashMap;
use std::sync::Mutex;

use super::loader::RowFiguresKey;
use crate::domain::period::Period;
use crate::stats::row_figures::RowFigures;

/// The row figures a request read ahead, by unit and period. Emptied with the request's other
/// remembered reads before a write (`Loaders::forget`).
#[derive(Default)]
pub struct RowsAhead(Mutex<HashMap<(i64, Period), RowFigures>>);

impl RowsAhead {
    /// The figures read ahead for `unit_id` in `period`, if they were.
    pub fn get(&self, unit_id: i64, period: &Period) -> Option<RowFigures> {
        self.lock().get(&(unit_id, *period)).copied()
    }

    /// Those of `units` without figures read ahead for one of `periods`.
    pub fn missing(&self, units: &[i64], periods: &[Period]) -> Vec<i64> {
        let read = self.lock();
        units
            .iter()
            .copied()
            .filter(|unit_id| periods.iter().any(|period| !read.contains_key(&(*unit_id, *period))))
            .collect()
    }

    /// Keeps what a read ahead found.
    pub(super) fn remember(&self, read: impl IntoIterator<Item = (RowFiguresKey, RowFigures)>) {
        self.lock().extend(read.into_iter().map(|(key, figures)| ((key.unit_id, key.period), figures)));
    }

    /// Forgets everything read ahead.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, Period), RowFigures>> {
        // A panic while holding the lock cannot leave the map half-written: keep using it.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
