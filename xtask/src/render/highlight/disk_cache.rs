//! Highlighted blocks kept between builds, under the target directory: an author's next
//! build highlights only the code that changed. Keyed by the block and the engine binary, so
//! a changed highlighter never serves old HTML.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Result;

use super::css::Looks;
use crate::util::lock;

/// A highlighted block: what a page shows, and what the stylesheet must describe for it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Highlighted {
    /// One HTML fragment per line of the code.
    pub(super) lines: Vec<String>,
    /// Each class the lines use, in order of first use, with its looks.
    pub(super) classes: Vec<(String, Looks)>,
}

/// The blocks of the last build, and the ones this build used.
pub(super) struct DiskCache {
    path: PathBuf,
    /// The engine binary, part of every key.
    identity: (String, u64, u128),
    /// From the last build.
    old: HashMap<String, Highlighted>,
    /// What this build used: what is written back (so the file never grows stale entries).
    used: Mutex<HashMap<String, Highlighted>>,
}

impl DiskCache {
    /// The cache in `path`; a missing or unreadable file is an empty cache (the blocks are
    /// highlighted again).
    pub(super) fn open(path: PathBuf) -> DiskCache {
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

    /// The key of a block of `code` in `lang`.
    pub(super) fn key(&self, code: &str, lang: &str) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.identity, lang, code).hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// The block the last build kept under `key`.
    pub(super) fn old(&self, key: &str) -> Option<&Highlighted> {
        self.old.get(key)
    }

    /// Notes that this build used `block`, so that [`DiskCache::save`] keeps it.
    pub(super) fn keep(&self, key: String, block: Highlighted) {
        lock(&self.used).insert(key, block);
    }

    /// Writes the blocks this build used, if they are not the ones the file holds.
    pub(super) fn save(&self) -> Result<()> {
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
    use super::super::Highlighter;

    #[test]
    fn a_second_build_reuses_highlighted_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.json");
        let first = Highlighter::with_cache(path.clone()).unwrap();
        let lines = first.lines("fn main() {}\n", "rust");
        first.save_cache().unwrap();
        let css = first.site_css();
        let second = Highlighter::with_cache(path.clone()).unwrap();
        assert!(second.disk.as_ref().unwrap().old.len() == 1);
        assert_eq!(second.lines("fn main() {}\n", "rust"), lines);
        assert_eq!(second.site_css(), css, "the classes come back with the block");

        // Highlighting again would give the same lines: only an entry no highlighter makes
        // shows that the block was read from the file.
        let mut entries: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let entry = entries.as_object_mut().unwrap().values_mut().next().unwrap();
        let look = entry["classes"][0][1].clone();
        entry["lines"] = serde_json::json!(["<span class=\"hl-doctored\">fn</span> main() {}"]);
        entry["classes"] = serde_json::json!([["hl-doctored", look]]);
        std::fs::write(&path, serde_json::to_vec(&entries).unwrap()).unwrap();
        let third = Highlighter::with_cache(path).unwrap();
        assert_eq!(
            third.lines("fn main() {}\n", "rust"),
            ["<span class=\"hl-doctored\">fn</span> main() {}"],
            "the block is served from the cache"
        );
        assert!(
            third.site_css().contains(".hl-code .hl-doctored {"),
            "its classes are described: {}",
            third.site_css()
        );
    }
}
