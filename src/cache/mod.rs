//! The read cache shared by every request of one server: what the DataLoaders read (figures,
//! targets, units, tree structure) is remembered across requests until anything changes, so a
//! dashboard asked again and again by many users costs no statement at all.
//!
//! Correctness rests on one rule: every change to the data ends the cache's generation, and a
//! value is stored only when no generation ended while it was being read. Changes are learnt
//! from three sources:
//! - this server's own mutations, right after their commit (`SharedCache::changed`), so a caller
//!   reads their own write at once;
//! - on PostgreSQL, every write transaction anywhere (other servers, `ketnap import`) announces
//!   itself with `NOTIFY` (`db::announce`), and a listener per server ends the generation
//!   when the announcement arrives; while that listener is not connected, the cache is suspended
//!   (nothing is served from it or stored in it), because changes could go unnoticed;
//! - the calendar: figures that depend on today (a funnel observed today, membership "now") are
//!   dropped when the day changes in Vietnam.
//!
//! Writes made outside ketnap (hand-written SQL) are not announced: entries also expire after
//! `max_age`, which bounds how stale such a change can be seen.

pub mod changes;
pub mod loader;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;

use crate::calendar::today_in_vietnam;
use crate::telemetry;

/// How much the cache may hold, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSettings {
    /// The most entries held at once; when full, the cache starts over empty. 0 turns it off.
    pub max_entries: usize,
    /// How long an entry is served at most, whatever else happens.
    pub max_age: Duration,
}

impl CacheSettings {
    /// No caching at all: every request reads the database.
    pub const OFF: CacheSettings = CacheSettings { max_entries: 0, max_age: Duration::ZERO };
}

/// The cross-request read cache; see the module documentation for when it forgets.
pub struct SharedCache {
    settings: CacheSettings,
    state: Mutex<State>,
    /// Counts the changes heard, for whoever waits on them (live updates); sent whether or not
    /// the cache itself is on.
    signal: watch::Sender<u64>,
}

struct State {
    /// Ends (is incremented) at every change.
    generation: u64,
    /// The day in Vietnam the entries were read on.
    day: NaiveDate,
    /// False while changes could go unnoticed (the change listener is down).
    trusted: bool,
    entries: usize,
    /// One map per (loader, key) type, each a `HashMap<K, Entry<V>>`.
    maps: HashMap<TypeId, Box<dyn Any + Send>>,
}

/// A remembered answer: `None` when the loader found nothing for the key (a unit without a
/// target), which is worth remembering too.
struct Entry<V> {
    value: Option<V>,
    stored_at: Instant,
}

/// What a reader holds between looking up and storing: the generation it started reading in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    generation: u64,
}

/// What a lookup found: the values remembered, the keys remembered to have none, and the keys
/// to read from the database (and to store under `ticket`).
pub struct Lookup<K, V> {
    pub found: HashMap<K, V>,
    pub missing: Vec<K>,
    pub ticket: Option<Ticket>,
}

impl SharedCache {
    /// An empty cache with `settings`, trusted: a server on PostgreSQL suspends it until its
    /// change listener is connected (`changes::follow`).
    pub fn new(settings: CacheSettings) -> Self {
        let state = State { generation: 0, day: today_in_vietnam(), trusted: true, entries: 0, maps: HashMap::new() };
        SharedCache { settings, state: Mutex::new(state), signal: watch::Sender::new(0) }
    }

    /// A cache that never holds anything.
    pub fn off() -> Self {
        SharedCache::new(CacheSettings::OFF)
    }

    fn enabled(&self) -> bool {
        self.settings.max_entries > 0
    }

    /// Looks `keys` up in the map of `Namespace`. Without a ticket (cache off or suspended),
    /// every key is missing and nothing read may be stored.
    pub fn lookup<Namespace, K, V>(&self, keys: &[K]) -> Lookup<K, V>
    where
        Namespace: 'static,
        K: Hash + Eq + Clone + Send + 'static,
        V: Clone + Send + 'static,
    {
        let mut lookup = Lookup { found: HashMap::new(), missing: Vec::new(), ticket: None };
        if !self.enabled() {
            lookup.missing = keys.to_vec();
            return lookup;
        }
        let today = today_in_vietnam();
        let Ok(mut state) = self.state.lock() else {
            lookup.missing = keys.to_vec();
            return lookup;
        };
        if state.day != today {
            state.start_over("day");
            state.day = today;
        }
        if !state.trusted {
            lookup.missing = keys.to_vec();
            telemetry::cache_lookup(0, keys.len());
            return lookup;
        }
        lookup.ticket = Some(Ticket { generation: state.generation });
        let map =
            state.maps.get(&TypeId::of::<(Namespace, K)>()).and_then(|map| map.downcast_ref::<HashMap<K, Entry<V>>>());
        for key in keys {
            match map.and_then(|map| map.get(key)).filter(|entry| entry.stored_at.elapsed() < self.settings.max_age) {
                Some(Entry { value: Some(value), .. }) => {
                    lookup.found.insert(key.clone(), value.clone());
                }
                Some(Entry { value: None, .. }) => {}
                None => lookup.missing.push(key.clone()),
            }
        }
        telemetry::cache_lookup(keys.len() - lookup.missing.len(), lookup.missing.len());
        lookup
    }

    /// Stores what was read for the missing keys of a lookup (`None` for those the database had
    /// nothing for), unless the data changed since `ticket` was handed out.
    pub fn store<Namespace, K, V>(&self, ticket: Option<Ticket>, read: impl IntoIterator<Item = (K, Option<V>)>)
    where
        Namespace: 'static,
        K: Hash + Eq + Clone + Send + 'static,
        V: Clone + Send + 'static,
    {
        let Some(ticket) = ticket else { return };
        let Ok(mut state) = self.state.lock() else { return };
        if !state.trusted || state.generation != ticket.generation {
            return;
        }
        let read: Vec<(K, Option<V>)> = read.into_iter().collect();
        if read.len() > self.settings.max_entries {
            // Larger than the whole cache: keeping it would break the bound.
            return;
        }
        if state.entries + read.len() > self.settings.max_entries {
            // Full: start over rather than track recency; the hot dashboards refill it at once.
            state.start_over("full");
        }
        let stored_at = Instant::now();
        let map = state
            .maps
            .entry(TypeId::of::<(Namespace, K)>())
            .or_insert_with(|| Box::new(HashMap::<K, Entry<V>>::new()))
            .downcast_mut::<HashMap<K, Entry<V>>>();
        let Some(map) = map else { return };
        let mut added = 0;
        for (key, value) in read {
            if map.insert(key, Entry { value, stored_at }).is_none() {
                added += 1;
            }
        }
        state.entries += added;
        telemetry::cache_size(state.entries);
    }

    /// The data changed: forget everything, and refuse what readers that started before read.
    pub fn changed(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.start_over("change");
        }
        self.signal.send_modify(|heard| *heard += 1);
    }

    /// A receiver woken at every change this server hears of (its own commits and, on
    /// PostgreSQL, other writers' announcements), and when the listener reconnects, since
    /// changes may have been missed meanwhile.
    pub fn change_signal(&self) -> watch::Receiver<u64> {
        self.signal.subscribe()
    }

    /// Changes may go unnoticed from now on: serve and store nothing until `resume`.
    pub fn suspend(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.trusted = false;
            state.start_over("suspended");
        }
    }

    /// Changes are noticed again: start over, trusted.
    pub fn resume(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.trusted = true;
            state.start_over("resumed");
        }
        self.signal.send_modify(|heard| *heard += 1);
    }

    /// Whether the cache is in use: false while suspended (see `suspend`).
    pub fn is_trusted(&self) -> bool {
        self.state.lock().is_ok_and(|state| state.trusted)
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.state.lock().map(|state| state.entries).unwrap_or(0)
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl State {
    /// Ends the generation and drops every entry, for `reason` (what the metrics count it by).
    fn start_over(&mut self, reason: &'static str) {
        self.generation += 1;
        self.maps.clear();
        self.entries = 0;
        telemetry::cache_forgot(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Squares;
    struct Cubes;

    fn cache() -> SharedCache {
        SharedCache::new(CacheSettings { max_entries: 4, max_age: Duration::from_secs(60) })
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
    fn a_change_during_a_read_keeps_its_result_out() {
        let cache = cache();
        let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
        cache.changed();
        cache.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
        assert_eq!(cache.lookup::<Squares, i64, i64>(&[2]).missing, vec![2]);
    }

    #[test]
    fn a_change_forgets_everything() {
        let cache = cache();
        let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
        cache.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
        cache.changed();
        assert!(cache.is_empty());
        assert_eq!(cache.lookup::<Squares, i64, i64>(&[2]).missing, vec![2]);
    }

    #[test]
    fn suspended_it_neither_serves_nor_stores() {
        let cache = cache();
        let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
        cache.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
        cache.suspend();
        let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
        assert!(lookup.ticket.is_none());
        assert_eq!(lookup.missing, vec![2]);
        cache.resume();
        assert_eq!(cache.lookup::<Squares, i64, i64>(&[2]).missing, vec![2], "resuming starts over");
    }

    #[test]
    fn a_full_cache_starts_over_and_an_old_entry_is_not_served() {
        let cache = cache();
        let lookup = cache.lookup::<Squares, i64, i64>(&[1, 2, 3, 4]);
        cache.store::<Squares, i64, i64>(lookup.ticket, (1..=4).map(|n| (n, Some(n * n))));
        assert_eq!(cache.len(), 4);
        let lookup = cache.lookup::<Squares, i64, i64>(&[5]);
        cache.store::<Squares, i64, i64>(lookup.ticket, [(5, Some(25))]);
        assert_eq!(cache.len(), 1);

        let lookup = cache.lookup::<Squares, i64, i64>(&[6, 7, 8, 9, 10]);
        cache.store::<Squares, i64, i64>(lookup.ticket, (6..=10).map(|n| (n, Some(n * n))));
        assert_eq!(cache.len(), 1, "a batch larger than the cache is not kept");

        let stale = SharedCache::new(CacheSettings { max_entries: 4, max_age: Duration::ZERO });
        let lookup = stale.lookup::<Squares, i64, i64>(&[2]);
        stale.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
        assert_eq!(stale.lookup::<Squares, i64, i64>(&[2]).missing, vec![2]);
    }

    #[test]
    fn off_it_holds_nothing() {
        let cache = SharedCache::off();
        let lookup = cache.lookup::<Squares, i64, i64>(&[2]);
        cache.store::<Squares, i64, i64>(lookup.ticket, [(2, Some(4))]);
        assert!(cache.is_empty());
    }
}
