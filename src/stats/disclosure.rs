//! Statistical disclosure control: what a breakdown shows a caller who may not read personal
//! records (the `dashboard` role), so that no published figure identifies a person (Decree
//! 13/2023/NĐ-CP; domain §2 "Personal data").
//!
//! Three rules, applied to one breakdown (a table of categories of one figure) at a time:
//! 1. **Primary suppression**: a category counting at least one but fewer than the threshold
//!    (default 5) is withheld.
//! 2. **Complementary suppression**: the figure's total is published elsewhere (`admissions`), so
//!    one withheld category could be worked out by subtraction; the smallest shown categories are
//!    withheld with it until at least two are withheld and together they count at least the
//!    threshold. Withheld categories are merged into one row without a name: naming them would
//!    tell that someone of that category is among the few.
//! 3. **Coarse periods only**: a breakdown is published only for a whole year, half, quarter,
//!    month or term (no `from`–`to` range, no `asOf` that cuts a month): otherwise two
//!    ranges a day apart pin one person's categories to the day they were admitted.

use crate::domain::period::{Period, PeriodSpec};
use crate::sql::dated::Tree;
use crate::stats::rollups::covers_whole_months;

/// The threshold when none is configured.
pub const DEFAULT_THRESHOLD: i64 = 5;

/// One row of a breakdown as released to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Released {
    /// A category and its count.
    Shown(String, i64),
    /// The withheld categories together, neither named nor counted.
    Suppressed,
}

/// How a caller's breakdowns are released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Every category as counted: callers who may read the personal records themselves.
    Full,
    /// With the rules above, at this threshold.
    Controlled { threshold: i64 },
}

impl Release {
    /// Releases the `rows` (category, count) of a breakdown over `period`, largest first; the
    /// withheld categories, if any, as one `Suppressed` row at the end.
    pub fn apply(self, rows: &[(String, i64)], period: &Period) -> Vec<Released> {
        let threshold = match self {
            Release::Controlled { threshold } if threshold > 1 => threshold,
            _ => return rows.iter().map(|(c, n)| Released::Shown(c.clone(), *n)).collect(),
        };
        let mut sorted: Vec<(String, i64)> = rows.iter().filter(|(_, n)| *n > 0).cloned().collect();
        sorted.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
        if sorted.is_empty() {
            return Vec::new();
        }
        if !is_coarse(period) {
            return vec![Released::Suppressed];
        }
        let mut shown = sorted.len();
        // Primary: the small categories are at the end of the sorted list.
        while shown > 0 && sorted[shown - 1].1 < threshold {
            shown -= 1;
        }
        // Complementary: withhold the smallest shown until the withheld can't be subtracted out.
        let withheld_sum = |shown: usize| sorted[shown..].iter().map(|(_, n)| n).sum::<i64>();
        while shown < sorted.len() && shown > 0 && (sorted.len() - shown < 2 || withheld_sum(shown) < threshold) {
            shown -= 1;
        }
        let mut released: Vec<Released> = sorted[..shown].iter().map(|(c, n)| Released::Shown(c.clone(), *n)).collect();
        if shown < sorted.len() {
            released.push(Released::Suppressed);
        }
        released
    }

    /// The sum of the categories `keep` accepts, or None when releasing it would disclose a
    /// withheld category: the split into kept and not kept is itself a two-row breakdown.
    pub fn share(self, rows: &[(String, i64)], period: &Period, keep: impl Fn(&str) -> bool) -> Option<i64> {
        let kept: i64 = rows.iter().filter(|(c, _)| keep(c)).map(|(_, n)| n).sum();
        let rest: i64 = rows.iter().filter(|(c, _)| !keep(c)).map(|(_, n)| n).sum();
        let split = [("KEPT".to_owned(), kept), ("REST".to_owned(), rest)];
        let released = self.apply(&split, period);
        released.iter().all(|row| matches!(row, Released::Shown(..))).then_some(kept)
    }
}

/// Whether `period` is one a breakdown may be published for under control: a named calendar
/// period, counted to the end of a month, on each fact's own date. On the last day's tree a
/// merged unit's breakdown less its own dated one would be its predecessors' part of the period,
/// a second cut of the same facts, so that view is not published under control at all.
fn is_coarse(period: &Period) -> bool {
    !matches!(period.spec, PeriodSpec::Range(..))
        && covers_whole_months(period.start, period.counted_end())
        && period.tree == Tree::OnFactDate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> Period {
        Period::resolve(PeriodSpec::Year(2021), None).expect("a year")
    }

    fn rows(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
        pairs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
    }

    fn shown(pairs: &[(&str, i64)]) -> Vec<Released> {
        pairs.iter().map(|(c, n)| Released::Shown((*c).to_owned(), *n)).collect()
    }

    const FIVE: Release = Release::Controlled { threshold: 5 };

    #[test]
    fn large_categories_are_shown_and_full_release_shows_all() {
        let table = rows(&[("Kinh", 40), ("Mông", 7)]);
        assert_eq!(FIVE.apply(&table, &year()), shown(&[("Kinh", 40), ("Mông", 7)]));
        let small = rows(&[("Kinh", 40), ("Mông", 1)]);
        assert_eq!(Release::Full.apply(&small, &year()), shown(&[("Kinh", 40), ("Mông", 1)]));
    }

    #[test]
    fn one_small_category_takes_the_smallest_other_with_it() {
        let table = rows(&[("Kinh", 40), ("Thái", 9), ("Mông", 1)]);
        assert_eq!(FIVE.apply(&table, &year()), vec![Released::Shown("Kinh".into(), 40), Released::Suppressed]);
    }

    #[test]
    fn withheld_categories_together_reach_the_threshold() {
        // Two withheld counting 2 in all would still say "one each": a third goes with them.
        let table = rows(&[("Kinh", 40), ("Thái", 6), ("Mông", 1), ("Tày", 1)]);
        assert_eq!(FIVE.apply(&table, &year()), vec![Released::Shown("Kinh".into(), 40), Released::Suppressed]);
        let enough = rows(&[("Kinh", 40), ("Mông", 3), ("Tày", 2)]);
        assert_eq!(FIVE.apply(&enough, &year()), vec![Released::Shown("Kinh".into(), 40), Released::Suppressed]);
    }

    #[test]
    fn a_small_total_withholds_everything_and_a_range_is_never_published() {
        assert_eq!(FIVE.apply(&rows(&[("MALE", 1)]), &year()), vec![Released::Suppressed]);
        let day = chrono::NaiveDate::from_ymd_opt(2021, 3, 2).expect("a day");
        let range = Period::resolve(PeriodSpec::Range(day, day), None).expect("a range");
        assert_eq!(FIVE.apply(&rows(&[("Kinh", 40)]), &range), vec![Released::Suppressed]);
        let so_far = Period::resolve(PeriodSpec::Year(2021), Some(day)).expect("a year so far");
        assert_eq!(FIVE.apply(&rows(&[("Kinh", 40)]), &so_far), vec![Released::Suppressed]);
    }

    #[test]
    fn a_share_is_withheld_when_it_or_its_complement_is_small() {
        let table = rows(&[("Kinh", 40), ("Mông", 1)]);
        assert_eq!(FIVE.share(&table, &year(), |c| c != "Kinh"), None);
        assert_eq!(FIVE.share(&table, &year(), |c| c == "Kinh"), None);
        let fine = rows(&[("Kinh", 40), ("Mông", 6)]);
        assert_eq!(FIVE.share(&fine, &year(), |c| c != "Kinh"), Some(6));
        assert_eq!(FIVE.share(&rows(&[("Kinh", 40)]), &year(), |c| c != "Kinh"), Some(0));
        // "None of the one admitted is of a minority" would tell that one person's ethnicity.
        assert_eq!(FIVE.share(&rows(&[("Kinh", 1)]), &year(), |c| c != "Kinh"), None);
    }
}
