//! The cache's own rules, without a database.

use std::collections::BTreeSet;

use super::*;

/// Squares, each depending on the subtree of unit n % 10 (units 1 and 2 are two provinces).
struct Squares;
struct Cubes;
/// Values of the tree's structure.
struct Paths;

impl Dependent<i64> for Squares {
    fn depends_on(key: &i64) -> Depends {
        Depends::Subtree(key % 10)
    }
}
impl Dependent<i64> for Cubes {
    fn depends_on(_: &i64) -> Depends {
        Depends::Anything
    }
}
impl Dependent<i64> for Paths {
    fn depends_on(_: &i64) -> Depends {
        Depends::Tree
    }
}

fn cache() -> SharedCache {
    SharedCache::new(CacheSettings { max_entries: 4, max_age: Duration::from_secs(60) })
}

fn reached(units: &[i64], tree: bool) -> Footprint {
    Footprint::Units { subtrees: units.iter().copied().collect::<BTreeSet<_>>(), tree }
}

fn remember<N: Dependent<i64> + 'static>(cache: &SharedCache, keys: &[i64]) {
    let lookup = cache.lookup::<N, i64, i64>(keys);
    cache.store::<N, i64, i64>(lookup.ticket, keys.iter().map(|n| (*n, Some(n * n))));
}

#[test]
fn remembers_values_and_absences_per_namespace() {
    let cache = cache();
    let first = cache.lookup::<Squares, i64, i64>(&[2, 3]);
    assert_eq!(first.missing, vec![2, 3]);
    cache.store::<Squares, i64, i64>(first.ticket, [(2, Some(4)), (3, None)]);

    let again = cache.lookup::<Squares, i64, i64>(&[2, 3, 5]);
    assert_eq!(again.found, HashMap::from([(2, 4)]));
    assert_eq!(again.missing, vec![5], "3 is remembered to have no value");
    assert_eq!(cache.lookup::<Cubes, i64, i64>(&[2]).missing, vec![2], "another loader's keys are apart");
}

#[test]
fn a_change_during_a_read_keeps_out_only_what_it_reached() {
    let cache = cache();
    let lookup = cache.lookup::<Squares, i64, i64>(&[1, 2]);
    cache.changed(&reached(&[2], false));
    cache.store::<Squares, i64, i64>(lookup.ticket, [(1, Some(1)), (2, Some(4))]);
    let again = cache.lookup::<Squares, i64, i64>(&[1, 2]);
    assert_eq!(again.found, HashMap::from([(1, 1)]), "unit 1 was not reached: its value is kept");
    assert_eq!(again.missing, vec![2]);

    let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
    cache.changed(&Footprint::Everything);
    cache.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
    assert_eq!(cache.lookup::<Squares, i64, i64>(&[2]).missing, vec![2]);
}

#[test]
fn a_change_forgets_the_subtrees_it_reached_and_what_depends_on_anything() {
    let cache = SharedCache::new(CacheSettings { max_entries: 100, max_age: Duration::from_secs(60) });
    remember::<Squares>(&cache, &[1, 11, 2, 12]);
    remember::<Cubes>(&cache, &[1]);
    remember::<Paths>(&cache, &[1]);
    assert_eq!(cache.len(), 6);

    cache.changed(&reached(&[1, 7], false));
    assert_eq!(cache.lookup::<Squares, i64, i64>(&[1, 11, 2, 12]).missing, vec![1, 11]);
    assert_eq!(cache.lookup::<Cubes, i64, i64>(&[1]).missing, vec![1], "country-wide values are forgotten");
    assert!(cache.lookup::<Paths, i64, i64>(&[1]).missing.is_empty(), "the tree did not change");
    assert_eq!(cache.len(), 3);

    cache.changed(&reached(&[], true));
    assert_eq!(cache.lookup::<Paths, i64, i64>(&[1]).missing, vec![1], "the tree changed");
    assert!(cache.lookup::<Squares, i64, i64>(&[2, 12]).missing.is_empty());

    cache.changed(&Footprint::Everything);
    assert!(cache.is_empty());
}

#[test]
fn a_read_that_outlived_more_changes_than_are_kept_is_not_stored() {
    let cache = cache();
    let lookup = cache.lookup::<Squares, i64, i64>(&[1]);
    for _ in 0..=RECENT_CHANGES {
        cache.changed(&reached(&[2], false));
    }
    cache.store::<Squares, i64, i64>(lookup.ticket, [(1, Some(1))]);
    assert!(cache.is_empty());
}

#[test]
fn suspended_it_neither_serves_nor_stores() {
    let cache = cache();
    remember::<Squares>(&cache, &[2]);
    let before = cache.lookup::<Squares, i64, i64>(&[3]);
    cache.suspend();
    let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
    assert!(lookup.ticket.is_none());
    assert_eq!(lookup.missing, vec![2]);
    cache.resume();
    cache.store::<Squares, i64, i64>(before.ticket, [(3, Some(9))]);
    assert_eq!(cache.lookup::<Squares, i64, i64>(&[2, 3]).missing, vec![2, 3], "resuming starts over");
}

#[test]
fn a_full_cache_starts_over_and_an_old_entry_is_not_served() {
    let cache = cache();
    remember::<Squares>(&cache, &[1, 2, 3, 4]);
    assert_eq!(cache.len(), 4);
    remember::<Squares>(&cache, &[5]);
    assert_eq!(cache.len(), 1);

    remember::<Squares>(&cache, &[6, 7, 8, 9, 10]);
    assert_eq!(cache.len(), 1, "a batch larger than the cache is not kept");

    let stale = SharedCache::new(CacheSettings { max_entries: 4, max_age: Duration::ZERO });
    remember::<Squares>(&stale, &[2]);
    assert_eq!(stale.lookup::<Squares, i64, i64>(&[2]).missing, vec![2]);
}

#[test]
fn off_it_holds_nothing() {
    let cache = SharedCache::off();
    remember::<Squares>(&cache, &[2]);
    assert!(cache.is_empty());
}
