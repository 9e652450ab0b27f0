//! Statistical disclosure control: what a breakdown shows a caller who may not read personal
//! records (the `dashboard` role), so that no published figure identifies a person (Decree
//! 13/2023/NĐ-CP; domain §2 "Personal data").
//!
//! Four rules, applied to one breakdown (a table of categories of one figure) at a time:
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
//! 4. **Perturbed counts** (the cell-key method of statistical offices' flexible table builders):
//!    suppression keeps one table safe, but not two tables subtracted from each other — a quarter
//!    minus two of its months, a district minus all but one of its communes. So every shown
//!    count is perturbed by −2 to +2, chosen by its *cell key*: the sum of the counted people's
//!    disclosure keys (random, kept with each person, never shown) modulo 256. The same people
//!    give the same key wherever they are counted, so asking the same count another way returns
//!    the same perturbed value (nothing to average away), while a difference of two tables
//!    carries the noise of every count in it: the few people between them are not counted out.

use crate::domain::period::{Period, PeriodSpec};
use crate::sql::dated::{Category, Tree};
use crate::stats::rollups::covers_whole_months;

/// The threshold when none is configured.
pub const DEFAULT_THRESHOLD: i64 = 5;

/// The cell keys that move a shown count, as half-open ranges of `0..256` and the step each
/// takes: 10 % of keys −2, 20 % −1, 40 % unchanged, 20 % +1, 10 % +2 (mean 0, variance 1.2).
const STEPS: [(i64, i64); 5] = [(26, -2), (77, -1), (179, 0), (230, 1), (256, 2)];

/// Whether a breakdown's categories carry the sum of their people's disclosure keys
/// (`Category::key`). Only a release under disclosure control perturbs by them, and where the
/// counted facts do not join the person already (removals, membership flows) summing them reads
/// each person: so they are summed only when asked for. The admission profiles and the funnel
/// carry them always (they cost nothing there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keys {
    /// Sum each category's people's keys.
    Summed,
    /// Leave the keys 0.
    Skipped,
}

/// One row of a breakdown as released to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Released {
    /// A category and its count as counted.
    Shown(String, i64),
    /// A category and its count moved by its cell key (`STEPS`: at most 2 either way).
    Perturbed(String, i64),
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
    /// Whether the breakdowns released this way need their people's disclosure keys.
    pub fn keys(self) -> Keys {
        match self {
            Release::Controlled { .. } => Keys::Summed,
            Release::Full => Keys::Skipped,
        }
    }

    /// Releases the `rows` of a breakdown over `period`, largest first; the withheld categories,
    /// if any, as one `Suppressed` row at the end.
    pub fn apply(self, rows: &[Category], period: &Period) -> Vec<Released> {
        let threshold = match self {
            Release::Controlled { threshold } if threshold > 1 => threshold,
            _ => return rows.iter().map(|c| Released::Shown(c.name.clone(), c.count)).collect(),
        };
        let mut sorted: Vec<&Category> = rows.iter().filter(|c| c.count > 0).collect();
        sorted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        if sorted.is_empty() {
            return Vec::new();
        }
        if !is_coarse(period) {
            return vec![Released::Suppressed];
        }
        let counts: Vec<i64> = sorted.iter().map(|c| c.count).collect();
        let shown = shown_prefix(&counts, threshold);
        let mut perturbed: Vec<(String, i64)> =
            sorted[..shown].iter().map(|c| (c.name.clone(), perturbed(c, threshold))).collect();
        // Ordered by what is released: the order of the true counts would tell which of two
        // close categories is larger.
        perturbed.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
        let mut released: Vec<Released> = perturbed.into_iter().map(|(c, n)| Released::Perturbed(c, n)).collect();
        if shown < sorted.len() {
            released.push(Released::Suppressed);
        }
        released
    }

    /// The sum of the categories `keep` accepts, as released, or None when releasing it would
    /// disclose a withheld category: the split into kept and not kept is itself a two-row
    /// breakdown (its kept row's key the sum of the kept categories' keys).
    pub fn share(self, rows: &[Category], period: &Period, keep: impl Fn(&str) -> bool) -> Option<i64> {
        let side = |name: &str, kept: bool| Category {
            name: name.to_owned(),
            count: rows.iter().filter(|c| keep(&c.name) == kept).map(|c| c.count).sum(),
            key: rows.iter().filter(|c| keep(&c.name) == kept).map(|c| c.key).sum(),
        };
        let released = self.apply(&[side("KEPT", true), side("REST", false)], period);
        let mut kept = Some(0);
        for row in released {
            match row {
                Released::Suppressed => return None,
                Released::Shown(name, n) | Released::Perturbed(name, n) if name == "KEPT" => kept = Some(n),
                Released::Shown(..) | Released::Perturbed(..) => {}
            }
        }
        kept
    }
}

/// How many of the `counts` (largest first) are shown: the small ones withheld (primary), then
/// the smallest shown with them until the withheld can't be subtracted out (complementary).
fn shown_prefix(counts: &[i64], threshold: i64) -> usize {
    let mut shown = counts.len();
    while shown > 0 && counts[shown - 1] < threshold {
        shown -= 1;
    }
    let withheld_sum = |shown: usize| counts[shown..].iter().sum::<i64>();
    while shown < counts.len() && shown > 0 && (counts.len() - shown < 2 || withheld_sum(shown) < threshold) {
        shown -= 1;
    }
    shown
}

/// A shown category's count moved by its cell key (`STEPS`), never below the threshold: a
/// released count under the threshold would read as a small category.
fn perturbed(category: &Category, threshold: i64) -> i64 {
    let cell_key = category.key.rem_euclid(256);
    let step = STEPS.iter().find(|(below, _)| cell_key < *below).map_or(0, |(_, step)| *step);
    (category.count + step).max(threshold)
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

    /// Categories whose cell keys leave their counts as they are (100 is in the unchanged range).
    fn rows(pairs: &[(&str, i64)]) -> Vec<Category> {
        pairs.iter().map(|(c, n)| Category { name: (*c).to_owned(), count: *n, key: 100 }).collect()
    }

    fn released(pairs: &[(&str, i64)]) -> Vec<Released> {
        pairs.iter().map(|(c, n)| Released::Perturbed((*c).to_owned(), *n)).collect()
    }

    const FIVE: Release = Release::Controlled { threshold: 5 };

    #[test]
    fn large_categories_are_shown_and_full_release_shows_all() {
        let table = rows(&[("Kinh", 40), ("Mông", 7)]);
        assert_eq!(FIVE.apply(&table, &year()), released(&[("Kinh", 40), ("Mông", 7)]));
        let small = rows(&[("Kinh", 40), ("Mông", 1)]);
        let full = vec![Released::Shown("Kinh".into(), 40), Released::Shown("Mông".into(), 1)];
        assert_eq!(Release::Full.apply(&small, &year()), full);
    }

    #[test]
    fn one_small_category_takes_the_smallest_other_with_it() {
        let table = rows(&[("Kinh", 40), ("Thái", 9), ("Mông", 1)]);
        assert_eq!(FIVE.apply(&table, &year()), vec![Released::Perturbed("Kinh".into(), 40), Released::Suppressed]);
    }

    #[test]
    fn withheld_categories_together_reach_the_threshold() {
        // Two withheld counting 2 in all would still say "one each": a third goes with them.
        let table = rows(&[("Kinh", 40), ("Thái", 6), ("Mông", 1), ("Tày", 1)]);
        assert_eq!(FIVE.apply(&table, &year()), vec![Released::Perturbed("Kinh".into(), 40), Released::Suppressed]);
        let enough = rows(&[("Kinh", 40), ("Mông", 3), ("Tày", 2)]);
        assert_eq!(FIVE.apply(&enough, &year()), vec![Released::Perturbed("Kinh".into(), 40), Released::Suppressed]);
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

    #[test]
    fn a_cell_key_moves_a_count_by_at_most_two_and_never_below_the_threshold() {
        let at = |count: i64, key: i64| perturbed_count(count, key);
        assert_eq!([at(40, 0), at(40, 25), at(40, 26), at(40, 76), at(40, 77), at(40, 178)], [38, 38, 39, 39, 40, 40]);
        assert_eq!([at(40, 179), at(40, 229), at(40, 230), at(40, 255)], [41, 41, 42, 42]);
        // Only the key modulo 256 counts: the sum of more people's keys picks the same way.
        assert_eq!(at(40, 256 * 7 + 230), 42);
        assert_eq!([at(5, 0), at(6, 0), at(7, 0), at(6, 255)], [5, 5, 5, 8]);
    }

    fn perturbed_count(count: i64, key: i64) -> i64 {
        super::perturbed(&Category { name: "Kinh".to_owned(), count, key }, 5)
    }

    /// The attack suppression alone does not stop (README, "Disclosure control"): a quarter's
    /// category minus the same category in its months, where one month's single person is
    /// withheld. The quarter counts 7 people; January 6 of them (shown); the seventh, admitted in
    /// February, is withheld there. Without perturbation `quarter − January` is 1, the withheld
    /// person, every time; with it, over 10,000 draws of the people's keys the difference hits
    /// the true count a quarter of the time, and is spread over −3 … 4.
    #[test]
    fn subtracting_two_tables_does_not_count_out_the_person_between_them() {
        let mut draw = 0x2545_f491_4f6c_dd1d_u64;
        let mut key = move || {
            // xorshift: a fixed sequence, so the test is the same on every run.
            draw ^= draw << 13;
            draw ^= draw >> 7;
            draw ^= draw << 17;
            i64::try_from(draw % 256).unwrap_or(0)
        };
        let (mut exact, mut seen) = (0, std::collections::BTreeSet::new());
        for _ in 0..10_000 {
            let keys: Vec<i64> = (0..7).map(|_| key()).collect();
            let january: i64 = keys[..6].iter().sum();
            let quarter = january + keys[6];
            let difference = perturbed_count(7, quarter) - perturbed_count(6, january);
            exact += i32::from(difference == 1);
            seen.insert(difference);
        }
        assert!((2_000..3_200).contains(&exact), "the difference was the true count {exact} times in 10,000");
        assert!(seen.contains(&-1) && seen.contains(&3), "differences seen: {seen:?}");
    }
}
