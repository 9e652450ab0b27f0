//! `Cached`: a DataLoader's loader that answers from the shared cache first and reads only what
//! it lacks, so a request's batches cost a statement only for keys no recent request read.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use super::{Dependent, SharedCache};

/// `inner`, behind the shared cache. Each loader type has its own part of the cache, so two
/// loaders with the same key type never see each other's values, and says what the value of
/// each of its keys depends on (`Dependent`), so that a change forgets only what it reached.
pub struct Cached<L> {
    inner: L,
    cache: Arc<SharedCache>,
}

impl<L> Cached<L> {
    /// `inner` answering through `cache`.
    pub fn new(inner: L, cache: &Arc<SharedCache>) -> Self {
        Cached { inner, cache: cache.clone() }
    }

    /// The loader behind the cache.
    pub fn inner(&self) -> &L {
        &self.inner
    }
}

impl<K, L> Loader<K> for Cached<L>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K> + Dependent<K>,
{
    type Value = L::Value;
    type Error = L::Error;

    async fn load(&self, keys: &[K]) -> Result<HashMap<K, L::Value>, L::Error> {
        let lookup = self.cache.lookup::<L, K, L::Value>(keys);
        let mut found = lookup.found;
        if lookup.missing.is_empty() {
            return Ok(found);
        }
        let read = self.inner.load(&lookup.missing).await?;
        let stored = lookup.missing.iter().map(|key| (key.clone(), read.get(key).cloned()));
        self.cache.store::<L, K, L::Value>(lookup.ticket, stored);
        found.extend(read);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::cache::{CacheSettings, Depends, Footprint};

    /// Squares the even numbers; counts the keys it was asked for.
    #[derive(Default)]
    struct EvenSquares {
        asked: AtomicUsize,
    }

    impl Dependent<i64> for EvenSquares {
        fn depends_on(key: &i64) -> Depends {
            Depends::Subtree(*key)
        }
    }

    impl Loader<i64> for EvenSquares {
        type Value = i64;
        type Error = String;

        async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, i64>, String> {
            self.asked.fetch_add(keys.len(), Ordering::SeqCst);
            Ok(keys.iter().filter(|n| *n % 2 == 0).map(|n| (*n, n * n)).collect())
        }
    }

    #[tokio::test]
    async fn reads_only_what_no_earlier_load_read() {
        let cache = Arc::new(SharedCache::new(CacheSettings { max_entries: 100, max_age: Duration::from_secs(60) }));
        let loader = Cached::new(EvenSquares::default(), &cache);
        assert_eq!(loader.load(&[2, 3]).await.unwrap(), HashMap::from([(2, 4)]));
        assert_eq!(loader.load(&[2, 3, 4]).await.unwrap(), HashMap::from([(2, 4), (4, 16)]));
        assert_eq!(loader.inner().asked.load(Ordering::SeqCst), 3, "2 and 3 were read once");
        cache.changed(&Footprint::Units { subtrees: [2].into(), tree: false });
        loader.load(&[2, 4]).await.unwrap();
        assert_eq!(loader.inner().asked.load(Ordering::SeqCst), 4, "a change in 2 forgets 2, not 4");
    }
}
