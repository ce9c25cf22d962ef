//! Lock: `Cargo.lock` as a dependency graph.
//!
//! Two stages read it: the cache, for the packages each listing's key hashes (its closure),
//! and the profile, for the registry crates that only unoptimised listings reach. Reading
//! the lock instead of asking `cargo metadata` keeps a warm run from starting cargo; the
//! lock lags behind a new listing until cargo's next build, which both readers allow for.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

/// `Cargo.lock`'s packages and their dependency edges.
pub(crate) struct LockGraph {
    packages: HashMap<String, Vec<LockPackage>>,
}

/// One `[[package]]` of the lock.
#[derive(Deserialize, Clone)]
pub(crate) struct LockPackage {
    pub(crate) name: String,
    pub(crate) version: String,
    /// `None` for the workspace's own packages (the listings), a registry or git URL else.
    pub(crate) source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<LockPackage>,
}

impl LockPackage {
    /// The names of the packages it depends on (entries are "name", "name version" or
    /// "name version (source)").
    pub(crate) fn dependency_names(&self) -> impl Iterator<Item = &str> {
        self.dependencies
            .iter()
            .map(|d| d.split(' ').next().unwrap_or_default())
    }
}

impl LockGraph {
    /// The lock at `path`; an absent or unreadable one is empty (nothing built yet).
    pub(crate) fn read(path: &Path) -> LockGraph {
        let parsed: Option<LockFile> = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| toml::from_str(&t).ok());
        let mut packages: HashMap<String, Vec<LockPackage>> = HashMap::new();
        for p in parsed.map(|l| l.package).unwrap_or_default() {
            packages.entry(p.name.clone()).or_default().push(p);
        }
        LockGraph { packages }
    }

    /// The workspace's own package `name` (a listing), if the lock knows it.
    pub(crate) fn local(&self, name: &str) -> Option<&LockPackage> {
        self.packages.get(name)?.iter().find(|p| p.source.is_none())
    }

    /// Every version of `name` the lock holds.
    pub(crate) fn versions(&self, name: &str) -> &[LockPackage] {
        self.packages.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every package `name` depends on, transitively, as sorted `name version source checksum`.
    pub(crate) fn closure(&self, name: &str) -> Option<BTreeSet<String>> {
        let root = self.local(name)?;
        Some(
            self.reach([root])
                .into_iter()
                .map(|p| format!("{} {} {:?} {:?}", p.name, p.version, p.source, p.checksum))
                .collect(),
        )
    }

    /// Every package reachable from `roots` (themselves included), each once.
    pub(crate) fn reach<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a LockPackage>,
    ) -> Vec<&'a LockPackage> {
        let mut seen: BTreeSet<(&str, &str, Option<&str>)> = BTreeSet::new();
        let mut out = Vec::new();
        let mut stack: Vec<&LockPackage> = roots.into_iter().collect();
        while let Some(p) = stack.pop() {
            if !seen.insert((&p.name, &p.version, p.source.as_deref())) {
                continue;
            }
            out.push(p);
            for dep in &p.dependencies {
                let mut parts = dep.split(' ');
                let dep_name = parts.next().unwrap_or_default();
                let version = parts.next();
                let found = self
                    .versions(dep_name)
                    .iter()
                    .find(|c| version.is_none_or(|v| c.version == v));
                stack.extend(found);
            }
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A lock with a listing `a` on `x 1.0`, which needs `y`, and a listing `b` on `x 2.0`.
    pub(crate) const LOCK: &str = r#"
version = 4

[[package]]
name = "a"
version = "0.1.0"
dependencies = ["x 1.0.0"]

[[package]]
name = "b"
version = "0.1.0"
dependencies = ["x 2.0.0"]

[[package]]
name = "x"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "01"
dependencies = ["y"]

[[package]]
name = "x"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "02"

[[package]]
name = "y"
version = "0.3.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "03"
"#;

    pub(crate) fn lock() -> LockGraph {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.lock");
        std::fs::write(&path, LOCK).unwrap();
        LockGraph::read(&path)
    }

    #[test]
    fn a_closure_follows_the_version_each_edge_names() {
        let lock = lock();
        let names = |id: &str| -> Vec<String> {
            lock.closure(id)
                .unwrap()
                .into_iter()
                .map(|p| p.split(' ').take(2).collect::<Vec<_>>().join(" "))
                .collect()
        };
        assert_eq!(names("a"), ["a 0.1.0", "x 1.0.0", "y 0.3.0"]);
        assert_eq!(names("b"), ["b 0.1.0", "x 2.0.0"]);
        assert!(lock.closure("c").is_none(), "a listing the lock does not know");
        assert!(lock.local("x").is_none(), "x is a registry crate");
        assert_eq!(lock.versions("x").len(), 2);
    }
}
