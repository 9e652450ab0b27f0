//! The ranking order of units by attainment: best first, ties in name order ignoring case and
//! Vietnamese diacritics ("Đà Nẵng" between "Cẩm Lệ" and "Hải Châu"), units without a target last
//! (in name order too). Ranks are 1, 2, 3… in that order, ties included, and continue through the
//! units without a target.

use std::cmp::Ordering;

use super::attainment::Attainment;
use crate::domain::text::fold;

/// A unit to rank: its name and id (the tie-breakers), its attainment, and what the caller keeps
/// with it.
pub struct Entry<T> {
    pub name: String,
    pub id: i64,
    pub attainment: Option<Attainment>,
    pub item: T,
}

/// A ranked entry: 1 for the best.
pub struct Ranked<T> {
    pub rank: u32,
    pub attainment: Option<Attainment>,
    pub item: T,
}

/// Orders `entries` by attainment (see the module documentation) and numbers them.
pub fn rank<T>(entries: Vec<Entry<T>>) -> Vec<Ranked<T>> {
    let mut keyed: Vec<(String, Entry<T>)> = entries.into_iter().map(|entry| (fold(&entry.name), entry)).collect();
    keyed.sort_by(|(a_name, a), (b_name, b)| {
        by_attainment(a.attainment.as_ref(), b.attainment.as_ref())
            .then_with(|| a_name.cmp(b_name))
            .then(a.id.cmp(&b.id))
    });
    keyed
        .into_iter()
        .enumerate()
        .map(|(index, (_, entry))| Ranked {
            rank: u32::try_from(index + 1).unwrap_or(u32::MAX),
            attainment: entry.attainment,
            item: entry.item,
        })
        .collect()
}

/// Higher ratio first; without a target after every unit with one.
fn by_attainment(a: Option<&Attainment>, b: Option<&Attainment>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.ratio.total_cmp(&x.ratio),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry whose item is its name, so the order reads as names.
    fn entry(name: &'static str, id: i64, admissions: i64, target: Option<i32>) -> Entry<&'static str> {
        Entry { name: name.to_owned(), id, attainment: Attainment::new(admissions, target), item: name }
    }

    fn order(entries: Vec<Entry<&'static str>>) -> Vec<(u32, &'static str)> {
        rank(entries).into_iter().map(|ranked| (ranked.rank, ranked.item)).collect()
    }

    #[test]
    fn best_attainment_first_and_ties_by_name_ignoring_diacritics() {
        let ranked = order(vec![
            entry("Hải Châu", 1, 45, Some(50)),
            entry("Núi Thành", 2, 112, Some(90)),
            entry("Đà Nẵng", 3, 45, Some(50)),
            entry("Cẩm Lệ", 4, 45, Some(50)),
        ]);
        // By code point "Đ" (U+0110) would sort after "H"; folded, it is a "d".
        assert_eq!(ranked, [(1, "Núi Thành"), (2, "Cẩm Lệ"), (3, "Đà Nẵng"), (4, "Hải Châu")]);
    }

    #[test]
    fn same_name_ties_by_id() {
        let ranked = order(vec![entry("Tân An", 9, 1, Some(2)), entry("Tan An", 4, 1, Some(2))]);
        assert_eq!(ranked, [(1, "Tan An"), (2, "Tân An")]);
    }

    #[test]
    fn units_without_a_target_come_last_in_name_order_and_ranks_continue() {
        let ranked = order(vec![
            entry("Bắc", 1, 5, None),
            entry("Ấp", 2, 3, Some(0)),
            entry("Tây", 3, 1, Some(10)),
            entry("Zô", 4, 0, Some(10)),
        ]);
        assert_eq!(ranked, [(1, "Tây"), (2, "Zô"), (3, "Ấp"), (4, "Bắc")]);
        let attained: Vec<bool> = rank(vec![entry("Bắc", 1, 5, None), entry("Tây", 3, 1, Some(10))])
            .iter()
            .map(|ranked| ranked.attainment.is_some())
            .collect();
        assert_eq!(attained, [true, false]);
    }
}
