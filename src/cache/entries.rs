//! What the cache holds: each value filed under what it depends on (`Depends`), so that a change
//! drops whole groups — the values of the subtrees it reached — and nothing else.

use std::any::Any;
use std::collections::HashMap;
use std::time::Instant;

use crate::domain::change_watch::footprint::Footprint;

/// What a cached value depends on, so that a change forgets it only if it reached that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depends {
    /// Something of the subtree of this unit, in any period (its figures, targets, children):
    /// forgotten when a change reaches the unit (in it or anywhere below it, at any time).
    Subtree(i64),
    /// The tree's structure (unit records, codes, ancestor paths, histories): forgotten when a
    /// change touches a unit's record or place.
    Tree,
    /// Country-wide, or not known: forgotten at every change.
    Anything,
}

impl Depends {
    /// Whether a change with `footprint` can have changed a value that depends on this.
    pub fn reached_by(self, footprint: &Footprint) -> bool {
        match (footprint, self) {
            (Footprint::Everything, _) | (_, Depends::Anything) => true,
            (Footprint::Units { subtrees, .. }, Depends::Subtree(unit)) => subtrees.contains(&unit),
            (Footprint::Units { tree, .. }, Depends::Tree) => *tree,
        }
    }
}

/// A part of the cache (a loader, or another reader) says what the value of each of its keys
/// depends on. When in doubt, `Depends::Anything`.
pub trait Dependent<K> {
    /// What the value of `key` depends on.
    fn depends_on(key: &K) -> Depends;
}

/// A remembered answer: `None` when the loader found nothing for the key (a unit without a
/// target), which is worth remembering too.
pub(super) struct Entry<V> {
    pub(super) value: Option<V>,
    pub(super) stored_at: Instant,
}

/// The entries of one (namespace, key) type, grouped by what they depend on, so a change drops
/// whole groups.
pub(super) struct Part<K, V> {
    pub(super) groups: HashMap<Depends, HashMap<K, Entry<V>>>,
}

/// A part of the cache, whatever its types.
pub(super) trait Forget: Send {
    /// Drops the entries a change with `footprint` reached; answers how many.
    fn forget(&mut self, footprint: &Footprint) -> usize;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<K: Send + 'static, V: Send + 'static> Forget for Part<K, V> {
    fn forget(&mut self, footprint: &Footprint) -> usize {
        let before: usize = self.groups.values().map(HashMap::len).sum();
        match footprint {
            Footprint::Everything => self.groups.clear(),
            Footprint::Units { subtrees, tree } => {
                if subtrees.len() < self.groups.len() {
                    for unit in subtrees {
                        self.groups.remove(&Depends::Subtree(*unit));
                    }
                    if *tree {
                        self.groups.remove(&Depends::Tree);
                    }
                    self.groups.remove(&Depends::Anything);
                } else {
                    self.groups.retain(|depends, _| !depends.reached_by(footprint));
                }
            }
        }
        before - self.groups.values().map(HashMap::len).sum::<usize>()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
