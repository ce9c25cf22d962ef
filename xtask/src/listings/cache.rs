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

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::lock::LockGraph;
use crate::book::{Book, Listing};
use crate::util::hash::binary_identity;

/// Inputs shared by every listing's key, computed once per run.
pub(crate) struct KeyContext {
    common: u64,
    lock: LockGraph,
    manifests: BTreeMap<PathBuf, String>,
    /// The listings built optimised (`profile.rs`).
    optimised: BTreeSet<String>,
    /// The registry crates built unoptimised, as package specs (`profile.rs`).
    registry: BTreeSet<String>,
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
        // What the build was told, from the manifest it was given: not recomputed from a
        // lock the build may since have changed.
        let registry = files
            .get(Path::new("Cargo.toml"))
            .map(|m| super::profile::registry_in(m))
            .unwrap_or_default();
        Ok(KeyContext {
            common: h.finish(),
            lock,
            manifests: files,
            optimised: super::profile::optimised(book),
            registry,
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
        // Only when there are some, so that the listings built as before (every exclusive
        // one) kept their keys when registry crates first went unoptimised.
        let cold = self.unoptimised_in(&closure);
        if !cold.is_empty() {
            cold.hash(&mut h);
        }
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

    /// The packages of `closure` (as [`LockGraph::closure`] writes them) that are built
    /// unoptimised as registry crates.
    fn unoptimised_in<'a>(&self, closure: &'a BTreeSet<String>) -> Vec<&'a str> {
        closure
            .iter()
            .filter(|p| {
                let mut parts = p.split(' ');
                let name = parts.next().unwrap_or_default();
                let version = parts.next().unwrap_or_default();
                self.registry.contains(name) || self.registry.contains(&format!("{name}@{version}"))
            })
            .map(String::as_str)
            .collect()
    }
}
