//! The read cache shared by every request of one server: what the DataLoaders read (figures,
//! targets, units, tree structure) is remembered across requests until a change reaches it, so a
//! dashboard asked again and again by many users costs no statement at all.
//!
//! Correctness rests on one rule: every value is filed under what it depends on (`Depends`: the
//! subtree of one unit, the tree's structure, or anything), every committed change says what it
//! can have changed (a `Footprint`: the units whose subtree it reached, any time, and whether it
//! changed the tree), and a change forgets exactly the values filed under what it reached — the
//! figures of the touched units and all their ancestors, never another province's. A value read
//! while changes committed is stored unless one of them reached what it depends on. Changes are
//! learnt from three sources:
//! - this server's own mutations, right after their commit (`SharedCache::changed`), so a caller
//!   reads their own write at once;
//! - on PostgreSQL, every write anywhere (other servers, `ketnap import`) announces itself with
//!   `NOTIFY` once committed (`db::announce`), its footprint as the payload, and a listener per
//!   server forgets what it reached when the announcement arrives (an empty, unreadable or
//!   oversized payload forgets everything); while that listener is not connected, the cache is
//!   suspended (nothing is served from it or stored in it), because changes could go unnoticed;
//! - the calendar: figures that depend on today (a funnel observed today, membership "now") are
//!   dropped when the day changes in Vietnam.
//!
//! Writes made outside ketnap (hand-written SQL) are not announced: entries also expire after
//! `max_age`, which bounds how stale such a change can be seen.

pub mod changes;
mod entries;
pub mod loader;

use std::any::TypeId;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;

pub use self::entries::{Dependent, Depends};
use self::entries::{Entry, Forget, Part};
use crate::calendar::today_in_vietnam;
pub use crate::domain::change_watch::footprint::Footprint;
use crate::telemetry;

/// How many of the latest changes the cache keeps, to judge whether a value read while they
/// committed may be stored; a read that outlived more changes than this is not stored.
const RECENT_CHANGES: usize = 256;

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
    /// The number of changes heard so far (forgetting everything counts as one).
    heard: u64,
    /// The footprints of the latest changes heard, the last one being change number `heard`.
    recent: VecDeque<Footprint>,
    /// The day in Vietnam the entries were read on.
    day: NaiveDate,
    /// False while changes could go unnoticed (the change listener is down).
    trusted: bool,
    entries: usize,
    /// One part per (namespace, key) type, each a `Part<K, V>`.
    parts: HashMap<TypeId, Box<dyn Forget>>,
}

/// What a reader holds between looking up and storing: the number of changes heard when it
/// started reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    heard: u64,
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
        let state = State {
            heard: 0,
            recent: VecDeque::new(),
            day: today_in_vietnam(),
            trusted: true,
            entries: 0,
            parts: HashMap::new(),
        };
        SharedCache { settings, state: Mutex::new(state), signal: watch::Sender::new(0) }
    }

    /// A cache that never holds anything.
    pub fn off() -> Self {
        SharedCache::new(CacheSettings::OFF)
    }

    fn enabled(&self) -> bool {
        self.settings.max_entries > 0
    }

    /// Looks `keys` up in the part of `Namespace`. Without a ticket (cache off or suspended),
    /// every key is missing and nothing read may be stored.
    pub fn lookup<Namespace, K, V>(&self, keys: &[K]) -> Lookup<K, V>
    where
        Namespace: Dependent<K> + 'static,
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
            state.hear(&Footprint::Everything, "day");
            state.day = today;
        }
        if !state.trusted {
            lookup.missing = keys.to_vec();
            telemetry::cache_lookup(0, keys.len());
            return lookup;
        }
        lookup.ticket = Some(Ticket { heard: state.heard });
        let part = state
            .parts
            .get(&TypeId::of::<(Namespace, K)>())
            .and_then(|part| part.as_any().downcast_ref::<Part<K, V>>());
        for key in keys {
            let entry = part
                .and_then(|part| part.groups.get(&Namespace::depends_on(key)))
                .and_then(|group| group.get(key))
                .filter(|entry| entry.stored_at.elapsed() < self.settings.max_age);
            match entry {
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
    /// nothing for), except the values a change heard since `ticket` was handed out can have
    /// changed.
    pub fn store<Namespace, K, V>(&self, ticket: Option<Ticket>, read: impl IntoIterator<Item = (K, Option<V>)>)
    where
        Namespace: Dependent<K> + 'static,
        K: Hash + Eq + Clone + Send + 'static,
        V: Clone + Send + 'static,
    {
        let Some(ticket) = ticket else { return };
        let Ok(mut state) = self.state.lock() else { return };
        let since = usize::try_from(state.heard - ticket.heard).unwrap_or(usize::MAX);
        if !state.trusted || since > state.recent.len() {
            return;
        }
        let read: Vec<(K, Option<V>)> = read.into_iter().collect();
        if read.len() > self.settings.max_entries {
            // Larger than the whole cache: keeping it would break the bound.
            return;
        }
        if state.entries + read.len() > self.settings.max_entries {
            // Full: start over rather than track recency; the hot dashboards refill it at once.
            // The data did not change, so readers under way may still store.
            state.parts.clear();
            state.entries = 0;
            telemetry::cache_forgot("full");
        }
        let State { recent, parts, entries, .. } = &mut *state;
        let overlapped: Vec<&Footprint> = recent.iter().rev().take(since).collect();
        let part = parts
            .entry(TypeId::of::<(Namespace, K)>())
            .or_insert_with(|| Box::new(Part::<K, V> { groups: HashMap::new() }))
            .as_any_mut()
            .downcast_mut::<Part<K, V>>();
        let Some(part) = part else { return };
        let stored_at = Instant::now();
        for (key, value) in read {
            let depends = Namespace::depends_on(&key);
            if overlapped.iter().any(|footprint| depends.reached_by(footprint)) {
                continue;
            }
            if part.groups.entry(depends).or_default().insert(key, Entry { value, stored_at }).is_none() {
                *entries += 1;
            }
        }
        telemetry::cache_size(*entries);
    }

    /// A change with `footprint` committed: forget what it reached, and refuse it from readers
    /// that started before.
    pub fn changed(&self, footprint: &Footprint) {
        if let Ok(mut state) = self.state.lock() {
            state.hear(footprint, "change");
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
            state.hear(&Footprint::Everything, "suspended");
        }
    }

    /// Changes are noticed again: start over, trusted.
    pub fn resume(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.trusted = true;
            state.hear(&Footprint::Everything, "resumed");
        }
        self.signal.send_modify(|heard| *heard += 1);
    }

    /// Whether reads are answered from the cache now: it is on and not suspended. A reader that
    /// would combine statements the cache answers one by one asks first.
    pub fn serving(&self) -> bool {
        self.enabled() && self.is_trusted()
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
    /// Hears a change with `footprint`, for `reason` (what the metrics count it by): forgets what
    /// it reached, and remembers it for the readers under way.
    fn hear(&mut self, footprint: &Footprint, reason: &'static str) {
        self.heard += 1;
        if self.recent.len() == RECENT_CHANGES {
            self.recent.pop_front();
        }
        self.recent.push_back(footprint.clone());
        match footprint {
            Footprint::Everything => {
                self.parts.clear();
                self.entries = 0;
                telemetry::cache_forgot(reason);
            }
            Footprint::Units { .. } => {
                let forgotten: usize = self.parts.values_mut().map(|part| part.forget(footprint)).sum();
                self.entries -= forgotten.min(self.entries);
                telemetry::cache_forgot_reached(reason, self.entries);
            }
        }
    }
}

#[cfg(test)]
mod tests;
