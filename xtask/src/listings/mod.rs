//! `cargo xtask test-listings`: the pipeline from chapters to verdicts.
//!
//! parse (book) → select → extract → cache lookup → build (one cargo invocation, streamed)
//! → run (in parallel as binaries arrive; `exclusive` listings alone at the end) → check →
//! report, then bless and the cache. One file per stage, in that order; each reads what the
//! stage before it produced, and nothing here knows how the book is rendered.

pub(crate) mod arrivals;
pub(crate) mod bless;
pub(crate) mod cache;
pub(crate) mod check;
pub(crate) mod compile;
pub(crate) mod extract;
pub(crate) mod fit;
pub(crate) mod gate;
mod github;
pub(crate) mod lock;
pub(crate) mod matcher;
pub(crate) mod profile;
pub(crate) mod propose;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod rustfmt;
pub(crate) mod sandbox;
pub(crate) mod schedule;
pub(crate) mod screen;
pub(crate) mod select;
pub(crate) mod supervise;
pub(crate) mod verdict;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tokio::sync::watch;

use crate::book::recording::{self, PassedKeys, RecordedOutput, Recording, Recordings};
use crate::book::{self, Book};
use crate::util::exit::{Exit, Misuse};
use cache::KeyContext;
pub use report::Format;
use report::Reporter;
pub use select::Shard;
use verdict::{Pass, Verdict};

/// What `test-listings` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Listing ids or chapters; empty: every listing.
    pub filters: Vec<String>,
    /// Rewrite failing output blocks from what was printed.
    pub bless: bool,
    /// Build and run even the listings that are cached as passed.
    pub force: bool,
    /// How many runs that use the CPU at once (see `gate`).
    pub jobs: usize,
    /// `--runs N`: at least N runs of every output block.
    pub runs: Option<u32>,
    pub shard: Option<Shard>,
    pub format: Format,
    pub progress: bool,
    /// `--require-sandbox`: refuse to run listings when a layer of the sandbox is missing
    /// (implied by `CI`).
    pub require_sandbox: bool,
}

impl Options {
    /// What `cargo xtask build` checks: every listing, cached ones not rerun.
    pub fn every_listing() -> Options {
        Options {
            filters: Vec::new(),
            bless: false,
            force: false,
            jobs: default_jobs(),
            runs: None,
            shard: None,
            format: Format::Human,
            progress: true,
            require_sandbox: false,
        }
    }
}

/// Runs at once when `--jobs` is not given: one per CPU.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `test-listings` on the book at `root`; returns the process exit status.
pub(crate) fn test_listings(root: &Path, opts: &Options) -> Result<Exit> {
    // `rustc -vV` (part of every cache key) takes a while to answer: ask now, read it later.
    let rustc = std::thread::spawn(rustc_version);
    let book = book::load(root)?;
    refuse_bless_under_ci(opts)?;
    let selected = select::select(&book, &opts.filters, opts.shard).map_err(Misuse)?;
    let files = extract(&book)?;
    let rustc = rustc
        .join()
        .map_err(|_| anyhow::anyhow!("`rustc -vV` panicked"))??;
    let keys = KeyContext::new(&book, files.clone(), &rustc)?;
    let passed = PassedKeys::load(&book);
    let (mut verdicts, to_build) = look_up(&book, &selected, &keys, &passed, opts);

    if !to_build.is_empty() {
        sandbox::prepare(opts.require_sandbox || std::env::var_os("CI").is_some())?.map_err(Misuse)?;
    }
    let reporter = Reporter::new(&book, opts.format, opts.progress, to_build.len());
    for &i in &selected {
        if let Verdict::Passed(Pass::Cached) = verdicts[i] {
            reporter.listing_done(i, &verdicts[i]);
        }
    }
    let results = build_and_run(&book, &to_build, opts, &reporter)?;
    reporter.finish_progress();
    let Some(results) = results else {
        eprintln!("interrupted: every run was stopped; no chapter was changed");
        return Ok(Exit::Interrupted);
    };
    let schedule::Outcome {
        verdicts: results,
        mut recorded,
    } = results;
    for (i, v) in results {
        verdicts[i] = v;
    }

    if !to_build.is_empty() {
        // The build may have added new listings to Cargo.lock: key them with the lock they
        // were built with.
        let keys = KeyContext::new(&book, files, &rustc)?;
        let machine = record::this_machine(&rustc);
        let built = Built {
            listings: &to_build,
            verdicts: &verdicts,
            machine: &machine,
        };
        // Only now the whole store: a run that built nothing has nothing to add to it.
        let mut cache = Recordings::load(&book)?;
        remember(&mut cache, &book, &keys, &built, &mut recorded);
        cache.save()?;
    }
    if opts.bless {
        bless::bless(&book, &verdicts)?;
    }
    reporter.summary(&verdicts);
    let failed = verdicts.iter().any(|v| matches!(v, Verdict::Failed(_)));
    Ok(if failed { Exit::Failed } else { Exit::Ok })
}

/// CI checks outputs; it must never rewrite them.
fn refuse_bless_under_ci(opts: &Options) -> Result<()> {
    if opts.bless && std::env::var_os("CI").is_some() {
        return Err(Misuse(
            "`--bless` refuses to run when `CI` is set: CI checks outputs, it never rewrites them".into(),
        )
        .into());
    }
    Ok(())
}

/// Writes every listing's crate under `listings/` (whatever the selection: the workspace
/// must hold them all); returns the files, which are part of the cache keys.
fn extract(book: &Book) -> Result<BTreeMap<PathBuf, String>> {
    let files = extract::desired_files(book)?;
    extract::sync_files(book, &files, true).context("extracting listings")?;
    Ok(files)
}

/// The verdict on every listing as far as the cache knows it (passed, or skipped), and the
/// selected listings that must be built and run.
fn look_up(
    book: &Book,
    selected: &[usize],
    keys: &KeyContext,
    cache: &PassedKeys,
    opts: &Options,
) -> (Vec<Verdict>, Vec<usize>) {
    let mut verdicts: Vec<Verdict> = vec![Verdict::Skipped; book.listings.len()];
    let mut to_build = Vec::new();
    for &i in selected {
        let listing = &book.listings[i];
        // `--runs` asks for runs, which a cached verdict did not make.
        let cached = !opts.force
            && opts.runs.is_none()
            && keys
                .key(book, listing)
                .is_some_and(|k| cache.passed(&listing.id, &k));
        if cached {
            verdicts[i] = Verdict::Passed(Pass::Cached);
        } else {
            to_build.push(i);
        }
    }
    (verdicts, to_build)
}

/// Builds and runs `to_build` on a runtime of its own, stopped by Ctrl-C or SIGTERM;
/// returns their verdicts and recordings, or `None` when interrupted.
fn build_and_run(
    book: &Book,
    to_build: &[usize],
    opts: &Options,
    reporter: &Reporter<'_>,
) -> Result<Option<schedule::Outcome>> {
    if to_build.is_empty() {
        return Ok(Some(schedule::Outcome::default()));
    }
    // Like each run's supervisor, the engine adopts the orphans below it: a listing that
    // kills its supervisor leaves what it started to the engine, which kills it (see
    // `util::process::kill_strays`), instead of to init, where it would run on unseen.
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(opts.jobs.clamp(1, 4))
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    let (cancel_tx, cancel) = watch::channel(false);
    let watcher = {
        let _in_runtime = runtime.enter();
        watch_signals(cancel_tx)
    };
    runtime.spawn(watcher);
    let results = runtime.block_on(schedule::execute(book, to_build, opts, cancel.clone(), reporter))?;
    let interrupted = *cancel.borrow();
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok((!interrupted).then_some(results))
}

/// The listings that were built and run, their verdicts and the machine they ran on.
struct Built<'a> {
    listings: &'a [usize],
    verdicts: &'a [Verdict],
    machine: &'a recording::Machine,
}

/// Keeps the key and the recording of every listing that passed, and forgets those that did
/// not: what a failed run printed is never kept.
fn remember(
    cache: &mut Recordings,
    book: &Book,
    keys: &KeyContext,
    built: &Built<'_>,
    recorded: &mut BTreeMap<usize, Vec<RecordedOutput>>,
) {
    for &i in built.listings {
        let listing = &book.listings[i];
        match (&built.verdicts[i], keys.key(book, listing)) {
            (Verdict::Passed(pass), Some(verdict_key)) => {
                let ran = matches!(pass, Pass::Ran { .. } | Pass::Refused);
                let recording = Recording {
                    key: recording::book_key(listing),
                    verdict_key,
                    outputs: recorded.remove(&i).unwrap_or_default(),
                    machine: ran.then(|| built.machine.clone()),
                };
                cache.record(&listing.id, recording);
            }
            _ => cache.forget(&listing.id),
        }
    }
}

fn rustc_version() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .context("running `rustc -vV`")?;
    // Its answer is part of every cache key: a broken compiler must not key listings by "".
    if !out.status.success() {
        anyhow::bail!(
            "`rustc -vV` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Ctrl-C or SIGTERM: tell every stage to stop. Called inside the runtime, it installs the
/// handlers before it returns, not when the returned future first runs: a signal that came
/// after cargo started but before then would take its default action, killing the engine
/// and leaving the build running without it.
fn watch_signals(cancel: watch::Sender<bool>) -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()));
    async move {
        let (Ok(mut int), Ok(mut term)) = handlers else {
            return;
        };
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
        let _ = cancel.send(true);
    }
}

/// A book in a temporary directory whose one chapter, `src/one.md`, is `chapter`: for unit
/// tests of the stages that need a loaded book.
#[cfg(test)]
pub(crate) fn book_of_one_chapter(chapter: &str) -> (tempfile::TempDir, Book) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/one.md"), chapter).unwrap();
    let book = book::load(dir.path()).unwrap();
    (dir, book)
}
