//! Work kept between builds under the target directory (highlighted blocks, drawn diagrams):
//! an author's next build redoes only what changed. Keyed by the input and the engine
//! binary, so a changed engine never serves old results.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Result;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::util::lock;

/// The values of the last build, and the ones this build used.
pub(crate) struct DiskCache<V> {
    path: PathBuf,
    /// The engine binary, part of every key.
    identity: (String, u64, u128),
    /// From the last build.
    old: HashMap<String, V>,
    /// What this build used: what is written back (so the file never grows stale entries).
    used: Mutex<HashMap<String, V>>,
}

impl<V: Serialize + DeserializeOwned + Clone> DiskCache<V> {
    /// The cache in `path`; a missing or unreadable file is an empty cache (the work is done
    /// again).
    pub(crate) fn open(path: PathBuf) -> DiskCache<V> {
        let old = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        DiskCache {
            path,
            identity: crate::util::hash::binary_identity(),
            old,
            used: Mutex::default(),
        }
    }

    /// The key of an input: everything the value depends on, besides the engine.
    pub(crate) fn key(&self, input: impl Hash) -> String {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.identity, input).hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// The value the last build kept under `key`.
    pub(crate) fn old(&self, key: &str) -> Option<&V> {
        self.old.get(key)
    }

    /// How many values the last build kept.
    #[cfg(test)]
    pub(crate) fn old_len(&self) -> usize {
        self.old.len()
    }

    /// Notes that this build used `value`, so that [`DiskCache::save`] keeps it.
    pub(crate) fn keep(&self, key: String, value: V) {
        lock(&self.used).insert(key, value);
    }

    /// The value under `key` from the last build, or made now by `make`; kept either way.
    pub(crate) fn get_or(&self, key: String, make: impl FnOnce() -> V) -> V {
        let value = self.old(&key).cloned().unwrap_or_else(make);
        self.keep(key, value.clone());
        value
    }

    /// Writes the values this build used, if they are not the ones the file holds.
    pub(crate) fn save(&self) -> Result<()> {
        let used = lock(&self.used);
        if used.len() == self.old.len() && used.keys().all(|k| self.old.contains_key(k)) {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&*used)?;
        crate::util::fs::write_atomic(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_come_back_from_the_file_and_only_used_ones_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let first = super::DiskCache::<String>::open(path.clone());
        assert_eq!(first.get_or(first.key("a"), || "made a".into()), "made a");
        assert_eq!(first.get_or(first.key("b"), || "made b".into()), "made b");
        first.save().unwrap();
        let second = super::DiskCache::<String>::open(path.clone());
        assert_eq!(second.old_len(), 2);
        assert_eq!(second.get_or(second.key("a"), || unreachable!()), "made a");
        second.save().unwrap();
        let third = super::DiskCache::<String>::open(path);
        assert_eq!(third.old_len(), 1, "b was not used by the second build");
        assert_eq!(
            third.get_or(third.key("b"), || "made b again".into()),
            "made b again"
        );
    }
}
