//! Cache: a listing that passed is not built or run again until something it depends on
//! changes.
//!
//! Its key hashes everything that could change its verdict: its files and manifest, the
//! packages it depends on in `Cargo.lock` (its own closure, so adding another listing does
//! not invalidate it), the root `Cargo.toml` and `.cargo/config.toml` (profiles, dependency
//! features), the engine's settings and `listings/rustfmt.toml`, the compiler (`rustc -vV`), build-affecting environment variables, its
//! expectation (every output block and its attributes), and the engine binary itself.
//!
//! The keys of listings that passed are kept with what their runs printed, in the book's
//! store of recordings (`book::recording`): a cached pass always has its recording.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::book::{Book, Listing};
use crate::util::hash::binary_identity;

/// Inputs shared by every listing's key, computed once per run.
pub(crate) struct KeyContext {
    common: u64,
    lock: LockGraph,
    manifests: BTreeMap<PathBuf, String>,
    /// The listings built optimised (`profile.rs`).
    optimised: BTreeSet<String>,
}

impl KeyContext {
    /// Gathers the shared inputs. `files` are the extracted files (see `extract::desired_files`).
    pub(crate) fn new(
        book: &Book,
        files: BTreeMap<PathBuf, String>,
        rustc_version: &str,
    ) -> Result<KeyContext> {
        let mut h = DefaultHasher::new();
        "xtask-listing-cache-v1".hash(&mut h);
        binary_identity().hash(&mut h);
        rustc_version.hash(&mut h);
        // The root manifest without its generated list of optimised listings: marking one
        // listing `exclusive` changes that listing's key (below), not every listing's.
        let root = std::fs::read_to_string(book.root.join("Cargo.toml")).ok();
        root.map(|m| super::profile::without_section(&m)).hash(&mut h);
        for f in [".cargo/config.toml", "listings/rustfmt.toml"] {
            std::fs::read(book.root.join(f)).ok().hash(&mut h);
        }
        book.settings.check_formatting.hash(&mut h);
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| {
                k.starts_with("RUSTFLAGS")
                    || k.starts_with("CARGO_ENCODED_RUSTFLAGS")
                    || k.starts_with("CARGO_BUILD_")
                    || k.starts_with("CARGO_PROFILE_")
                    || k == "RUSTC"
                    || k == "RUSTC_WRAPPER"
            })
            .collect();
        env.sort();
        env.hash(&mut h);
        let lock = LockGraph::read(&book.root.join("Cargo.lock"));
        Ok(KeyContext {
            common: h.finish(),
            lock,
            manifests: files,
            optimised: super::profile::optimised(book),
        })
    }

    /// The key of a listing, or `None` when `Cargo.lock` does not know it yet (a new listing,
    /// before its first build).
    pub(crate) fn key(&self, book: &Book, listing: &Listing) -> Option<String> {
        let closure = self.lock.closure(&listing.id)?;
        let mut h = DefaultHasher::new();
        self.common.hash(&mut h);
        closure.hash(&mut h);
        let dir = PathBuf::from(listing.crate_dir(book));
        for (path, content) in self.manifests.range(dir.clone()..) {
            if !path.starts_with(&dir) {
                break;
            }
            path.hash(&mut h);
            content.hash(&mut h);
        }
        (listing.compile_fail, listing.no_run).hash(&mut h);
        self.optimised.contains(&listing.id).hash(&mut h);
        for o in &listing.outputs {
            o.expected.text.hash(&mut h);
            (o.exit, o.kill_after, o.timeout, &o.args, &o.env).hash(&mut h);
            (o.stream as u8, o.unordered, o.runs, &o.bin, &o.stdin, o.compiler).hash(&mut h);
            // Only when given, so that adding `with=` kept every existing key.
            if !o.with.is_empty() {
                o.with.hash(&mut h);
            }
        }
        Some(format!("{:016x}", h.finish()))
    }
}

/// `Cargo.lock`'s packages and their dependency edges.
struct LockGraph {
    packages: HashMap<String, Vec<LockPackage>>,
}

#[derive(Deserialize, Clone)]
struct LockPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<LockPackage>,
}

impl LockGraph {
    fn read(path: &Path) -> LockGraph {
        let parsed: Option<LockFile> = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| toml::from_str(&t).ok());
        let mut packages: HashMap<String, Vec<LockPackage>> = HashMap::new();
        for p in parsed.map(|l| l.package).unwrap_or_default() {
            packages.entry(p.name.clone()).or_default().push(p);
        }
        LockGraph { packages }
    }

    /// Every package `name` depends on, transitively, as sorted `name version source checksum`.
    fn closure(&self, name: &str) -> Option<BTreeSet<String>> {
        let root = self.packages.get(name)?.iter().find(|p| p.source.is_none())?;
        let mut seen = BTreeSet::new();
        let mut stack = vec![root.clone()];
        while let Some(p) = stack.pop() {
            let id = format!("{} {} {:?} {:?}", p.name, p.version, p.source, p.checksum);
            if !seen.insert(id) {
                continue;
            }
            for dep in &p.dependencies {
                // "name", "name version" or "name version (source)".
                let mut parts = dep.split(' ');
                let dep_name = parts.next().unwrap_or_default();
                let version = parts.next();
                if let Some(candidates) = self.packages.get(dep_name) {
                    let found = candidates.iter().find(|c| version.is_none_or(|v| c.version == v));
                    if let Some(c) = found {
                        stack.push(c.clone());
                    }
                }
            }
        }
        Some(seen)
    }
}
