//! Recorded runs: what each output block of a passing listing printed, kept with the listing's
//! verdict so that the page can show real output instead of the block's pattern.
//!
//! The engine (`listings`) writes recordings when a listing passes and the renderer reads
//! them; neither imports the other, so the data and its store live here. A recording holds
//! the printed lines as the matcher saw them (after the screen) and, per line, which parts
//! the pattern let vary, as the engine's alignment found them: the renderer marks those
//! without knowing how matching works.
//!
//! Two keys: `verdict_key` is the engine's cache key (everything that could change a verdict,
//! the engine binary included: it only means something on the machine that made it), `key`
//! is [`book_key`], the listing's sources and expectation, which any machine rendering the
//! same book computes alike. A render shows a recording only when its `key` is the book's.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::book::{Book, Listing};
use crate::util::fs::{write_atomic, xtask_file};
use crate::util::hash::Fnv1a;

/// The runs of one passing listing, one per output block in the listing's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Recording {
    /// [`book_key`] of the listing when it passed.
    pub(crate) key: String,
    /// The engine's cache key of the verdict this recording came with.
    pub(crate) verdict_key: String,
    pub(crate) outputs: Vec<RecordedOutput>,
    /// Where and when the runs were made; `None` when nothing ran (a `no_run` listing).
    pub(crate) machine: Option<Machine>,
}

/// What one output block's run printed, screened, with what of it may vary between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecordedOutput {
    /// The printed lines of the run that passed, as the matcher saw them (after the screen).
    pub(crate) lines: Vec<String>,
    /// One per line of `lines`: what the block's pattern let vary on it.
    pub(crate) marks: Vec<LineMark>,
    /// The block is `unordered`: the lines came in this order this time.
    pub(crate) unordered: bool,
    /// The block has sections (`[any order]`, `[interleaved by ..]`, `[optional]`,
    /// `[repeat ..]`): where, or whether, some lines come varies between runs.
    #[serde(default)]
    pub(crate) sections: bool,
    /// Where the outermost sections opened and closed in this run, in printed order: what the
    /// page shows as brackets around their lines. (A section inside another interleaves with
    /// its neighbours, so only the outermost ones hold a run of lines of their own.)
    #[serde(default)]
    pub(crate) brackets: Vec<Bracket>,
}

/// A section's opening or closing line, placed among the printed lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Bracket {
    /// The printed line it comes before (the number of lines, at the end).
    pub(crate) before: usize,
    /// The directive as the chapter writes it: `[any order]`, `[end]`.
    pub(crate) directive: String,
}

/// What of a printed line the pattern let vary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LineMark {
    /// Matched a literal line: the same in every run.
    Fixed,
    /// Matched a line with patterns: these parts vary, the rest is fixed.
    Parts(Vec<Part>),
    /// Taken by a `...` line: any line, any number of them.
    Elided,
}

/// A part of a printed line matched by a pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Part {
    /// Byte range in the line.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The pattern as the chapter writes it (`[N]`): see `pattern::PATTERNS`.
    pub(crate) token: String,
}

/// The machine a recording was made on: what a reader needs to tell why their numbers
/// differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Machine {
    /// Cores the runs could use.
    pub(crate) cores: usize,
    /// `model name` of `/proc/cpuinfo`, or what the system says instead.
    pub(crate) cpu: String,
    /// The operating system and kernel: `Ubuntu 24.04.1 LTS, Linux 6.8.0`.
    pub(crate) os: String,
    /// `rustc 1.95.0 (…)`.
    pub(crate) rustc: String,
    /// When the runs were made, UTC, `2026-12-02 14:03`.
    pub(crate) date: String,
}

impl Machine {
    /// The machine as one phrase: `2 cores (AMD EPYC 7B13), Ubuntu 24.04, Linux 6.8.0,
    /// rustc 1.95.0, 2026-12-02 14:03 UTC`.
    pub(crate) fn describe(&self) -> String {
        let cores = if self.cores == 1 { "core" } else { "cores" };
        format!(
            "{} {cores} ({}), {}, {}, {} UTC",
            self.cores, self.cpu, self.os, self.rustc, self.date
        )
    }
}

/// The key a recording is checked against when the book is rendered: the listing's sources
/// and everything its output blocks say. Computed from the book alone (no compiler, no
/// engine binary), with a hash that every build computes alike, so that a recording made on
/// one machine can be checked on another.
pub(crate) fn book_key(listing: &Listing) -> String {
    let mut h = Fnv1a::default();
    "xtask-recording-v1".hash(&mut h);
    listing.id.hash(&mut h);
    for f in &listing.files {
        (&f.path, &f.code).hash(&mut h);
    }
    (listing.compile_fail, listing.no_run, listing.exclusive).hash(&mut h);
    for o in &listing.outputs {
        o.expected.text.hash(&mut h);
        (o.exit, o.kill_after, o.timeout, &o.args, &o.env).hash(&mut h);
        (o.stream as u8, o.unordered, o.runs, &o.bin, &o.stdin).hash(&mut h);
        // Only when given, so that adding `with=` kept every existing key.
        if !o.with.is_empty() {
            o.with.hash(&mut h);
        }
    }
    format!("{:016x}", h.finish())
}

/// The version of the store's format; a store of another version is empty.
const FORMAT: u32 = 2;

/// The recordings of a book: the engine's verdict cache and what the page shows.
#[derive(Debug, Default)]
pub(crate) struct Recordings {
    listings: BTreeMap<String, Recording>,
    path: PathBuf,
}

/// The store as written: in `target/xtask/`, and as `recordings export` writes it. Read
/// as `Stored<StoredKeys>`, it yields only the keys and serde skips the recorded lines.
#[derive(Serialize, Deserialize)]
struct Stored<R = Recording> {
    format: u32,
    listings: BTreeMap<String, R>,
}

impl Recordings {
    /// The recordings of the book that are still its own: a recording whose key is not the
    /// listing's (the listing changed since) or whose listing is gone is left out. A missing
    /// or unreadable store is empty.
    pub(crate) fn load(book: &Book) -> Result<Recordings> {
        let path = store_path(&book.root);
        let stored = read_stored::<Recording>(&path).ok().flatten();
        let mut listings = stored.map(|s| s.listings).unwrap_or_default();
        let keys = book_keys(book);
        listings.retain(|id, r| keys.get(id.as_str()) == Some(&r.key));
        Ok(Recordings { listings, path })
    }

    /// The recording of listing `listing_id`, if it passed as the book now writes it.
    pub(crate) fn get(&self, listing_id: &str) -> Option<&Recording> {
        self.listings.get(listing_id)
    }

    /// Keeps a listing's recording (it passed), replacing the one before.
    pub(crate) fn record(&mut self, listing_id: &str, recording: Recording) {
        self.listings.insert(listing_id.to_string(), recording);
    }

    /// Drops a listing's recording: it did not pass, so nothing it printed is shown.
    pub(crate) fn forget(&mut self, listing_id: &str) {
        self.listings.remove(listing_id);
    }

    /// How many output blocks of the book have no recording (they show their pattern).
    pub(crate) fn missing(&self, book: &Book) -> usize {
        book.listings
            .iter()
            .filter(|l| !l.no_run)
            .map(|l| match self.get(&l.id) {
                Some(r) if r.outputs.len() == l.outputs.len() => 0,
                _ => l.outputs.len(),
            })
            .sum()
    }

    /// Writes the store (atomically: a crash leaves the old one).
    pub(crate) fn save(&self) -> Result<()> {
        self.write_to(&self.path)
            .with_context(|| format!("saving the recordings {}", self.path.display()))
    }

    /// `recordings export FILE`: the store, as one file another machine can merge.
    pub(crate) fn export(&self, file: &Path) -> Result<usize> {
        self.write_to(file)
            .with_context(|| format!("exporting the recordings to {}", file.display()))?;
        Ok(self.listings.len())
    }

    fn write_to(&self, path: &Path) -> Result<()> {
        let stored = Stored {
            format: FORMAT,
            listings: self.listings.clone(),
        };
        write_atomic(path, serde_json::to_string(&stored)?.as_bytes())
    }

    /// `recordings merge FILES...`: adds the recordings of exported files, a later file's
    /// winning over an earlier one's. Refuses, changing nothing, a file that is not an export
    /// or holds a recording of a listing the book does not have or has changed since (its
    /// key is not the book's): rendering it would show what another text printed. Returns
    /// how many recordings were merged.
    pub(crate) fn merge(&mut self, book: &Book, files: &[PathBuf]) -> Result<usize> {
        let keys = book_keys(book);
        let mut merged = BTreeMap::new();
        for file in files {
            let stored = read_stored::<Recording>(file)?
                .with_context(|| format!("{}: no such file", file.display()))?;
            for (id, recording) in stored.listings {
                match keys.get(id.as_str()) {
                    None => bail!(
                        "{}: a recording of listing `{id}`, which this book does not have: \
                         it was made for another book",
                        file.display()
                    ),
                    Some(key) if *key != recording.key => bail!(
                        "{}: the recording of listing `{id}` has key {}, but the book's listing \
                         has key {key}: it was made from another text of the listing",
                        file.display(),
                        recording.key
                    ),
                    Some(_) => merged.insert(id, recording),
                };
            }
        }
        let count = merged.len();
        self.listings.extend(merged);
        Ok(count)
    }
}

/// The verdict keys of the stored recordings, without what they recorded: all that a run
/// reads to decide which listings its cache answers. A warm run (everything cached) reads
/// only these, and neither parses nor rewrites the recorded lines of every listing, which
/// once doubled its time for four times the book.
#[derive(Debug, Default)]
pub(crate) struct PassedKeys {
    /// Listing id to the verdict key it passed with, for recordings that are the book's own.
    verdicts: BTreeMap<String, String>,
}

/// A stored recording's keys; serde skips its other fields without building them.
#[derive(Deserialize)]
struct StoredKeys {
    key: String,
    verdict_key: String,
}

impl PassedKeys {
    /// The keys of [`Recordings::load`]'s recordings: the same filter, none of the lines.
    pub(crate) fn load(book: &Book) -> PassedKeys {
        let store = read_stored::<StoredKeys>(&store_path(&book.root)).ok().flatten();
        let keys = book_keys(book);
        let verdicts = store
            .map(|s| s.listings)
            .unwrap_or_default()
            .into_iter()
            .filter(|(id, r)| keys.get(id.as_str()) == Some(&r.key))
            .map(|(id, r)| (id, r.verdict_key))
            .collect();
        PassedKeys { verdicts }
    }

    /// Whether the listing passed with exactly this verdict key.
    pub(crate) fn passed(&self, listing_id: &str, verdict_key: &str) -> bool {
        self.verdicts.get(listing_id).is_some_and(|k| k == verdict_key)
    }
}

/// Where the book at `root` keeps its recordings. One store per book: books that share a
/// target directory keep their own.
fn store_path(root: &Path) -> PathBuf {
    let mut h = Fnv1a::default();
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .hash(&mut h);
    xtask_file(root, &format!("listing-cache-{:016x}.json", h.finish()))
}

/// Reads a store, whole (`R = Recording`) or only its keys; `None` when the file does not
/// exist.
fn read_stored<R: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<Stored<R>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let stored: Stored<R> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a file of recordings", path.display()))?;
    if stored.format != FORMAT {
        bail!(
            "{}: recordings of format {}, this engine reads format {FORMAT}",
            path.display(),
            stored.format
        );
    }
    Ok(Some(stored))
}

/// Every listing's [`book_key`], by id.
fn book_keys(book: &Book) -> BTreeMap<&str, String> {
    book.listings
        .iter()
        .map(|l| (l.id.as_str(), book_key(l)))
        .collect()
}
