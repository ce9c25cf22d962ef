//! `cargo xtask test-listings`: the pipeline from chapters to verdicts.
//!
//! parse (book) → select → extract → cache lookup → build (one cargo invocation, streamed)
//! → run (in parallel as binaries arrive; `exclusive` listings alone at the end) → check →
//! report, then bless and the cache. Data flows one way: each stage reads what the previous
//! one produced.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::cache::{Cache, KeyContext};
use crate::check::{self, Failure};
use crate::compile::{self, CompilerMessage, Event};
use crate::model::{Book, Listing};
use crate::report::{Format, Reporter};
use crate::run::{self, RunOutput, RunSpec};
use crate::{book, extract};

/// Exit status: every selected listing passed.
pub const EXIT_OK: i32 = 0;
/// Exit status: a listing failed.
pub const EXIT_FAILED: i32 = 1;
/// Exit status: the book is malformed, or the command was misused; nothing was written.
pub const EXIT_MALFORMED: i32 = 2;
/// Exit status after Ctrl-C or SIGTERM.
pub const EXIT_INTERRUPTED: i32 = 130;

/// What `test-listings` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub filters: Vec<String>,
    pub bless: bool,
    pub force: bool,
    pub jobs: usize,
    pub runs: Option<u32>,
    pub shard: Option<Shard>,
    pub format: Format,
    pub progress: bool,
}

/// `--shard K/N`: the K-th of N stable parts of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: write a shard as K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// A listing belongs to a shard by a hash of its id: stable when other listings are added
    /// or moved, and every listing is in exactly one shard.
    pub fn contains(&self, id: &str) -> bool {
        // FNV-1a: fixed across Rust versions, unlike the standard hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// The verdict on one listing.
#[derive(Debug, Clone)]
pub enum Verdict {
    Passed(Pass),
    Failed(Failure),
    /// Not selected by the filters or the shard.
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Ran,
    /// Passed before with the same key: neither built nor run.
    Cached,
    /// `no_run`: compiled, not run.
    CompiledOnly,
}

/// Runs `test-listings` on the book at `root`; returns the process exit status.
pub fn test_listings(root: &Path, opts: &Options) -> Result<i32> {
    // `rustc -vV` (part of every cache key) takes a while to answer: ask now, read it later.
    let rustc = std::thread::spawn(rustc_version);
    let book = match book::load(root) {
        Ok(b) => b,
        Err(errors) => {
            errors.print();
            return Ok(EXIT_MALFORMED);
        }
    };
    if opts.bless && std::env::var_os("CI").is_some() {
        eprintln!(
            "error: `--bless` refuses to run when `CI` is set: CI checks outputs, it never rewrites them"
        );
        return Ok(EXIT_MALFORMED);
    }
    let selected = match select(&book, &opts.filters, opts.shard) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(EXIT_MALFORMED);
        }
    };
    let files = extract::desired_files(&book)?;
    extract::sync_files(&book, &files, true).context("extracting listings")?;

    let rustc = rustc
        .join()
        .map_err(|_| anyhow::anyhow!("`rustc -vV` panicked"))??;
    let keys = KeyContext::new(&book, files.clone(), &rustc)?;
    let mut cache = Cache::load(&book.root);
    let mut verdicts: Vec<Verdict> = vec![Verdict::Skipped; book.listings.len()];
    let mut to_build = Vec::new();
    for &i in &selected {
        let listing = &book.listings[i];
        let cached = !opts.force
            && opts.runs.is_none()
            && keys
                .key(&book, listing)
                .is_some_and(|k| cache.passed(&listing.id, &k));
        if cached {
            verdicts[i] = Verdict::Passed(Pass::Cached);
        } else {
            to_build.push(i);
        }
    }

    let reporter = Reporter::new(&book, opts.format, opts.progress, to_build.len(), opts.runs);
    for &i in &selected {
        if let Verdict::Passed(Pass::Cached) = verdicts[i] {
            reporter.listing_done(i, &verdicts[i]);
        }
    }
    let interrupted = if to_build.is_empty() {
        false
    } else {
        // Like each run's supervisor, the engine adopts the orphans below it: a listing that
        // kills its supervisor leaves what it started to the engine, which kills it (see
        // `run::kill_strays`), instead of to init, where it would run on unseen.
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
        let results = runtime.block_on(execute(&book, &to_build, opts, cancel.clone(), &reporter))?;
        for (i, v) in results {
            verdicts[i] = v;
        }
        let interrupted = *cancel.borrow();
        runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        interrupted
    };
    reporter.finish_progress();
    if interrupted {
        eprintln!("interrupted: every run was stopped; no chapter was changed");
        return Ok(EXIT_INTERRUPTED);
    }

    // The build may have added new listings to Cargo.lock: key them with the lock they were
    // built with.
    let keys = if to_build.is_empty() {
        keys
    } else {
        KeyContext::new(&book, files, &rustc)?
    };
    for &i in &to_build {
        let listing = &book.listings[i];
        match (&verdicts[i], keys.key(&book, listing)) {
            (Verdict::Passed(_), Some(key)) => cache.record_pass(&listing.id, key),
            _ => cache.forget(&listing.id),
        }
    }
    cache.save()?;

    if opts.bless {
        bless(&book, &verdicts)?;
    }
    reporter.summary(&verdicts);
    let failed = verdicts.iter().any(|v| matches!(v, Verdict::Failed(_)));
    Ok(if failed { EXIT_FAILED } else { EXIT_OK })
}

/// Which listings the filters and the shard select, in book order.
fn select(book: &Book, filters: &[String], shard: Option<Shard>) -> Result<Vec<usize>, String> {
    for f in filters {
        let known = book.listings.iter().any(|l| &l.id == f)
            || book
                .chapters
                .iter()
                .any(|c| &c.slug == f || &c.path == f || c.path.trim_start_matches("src/") == f);
        if !known {
            let chapters: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
            return Err(format!(
                "`{f}` names no listing and no chapter; chapters are: {}",
                chapters.join(", ")
            ));
        }
    }
    Ok((0..book.listings.len())
        .filter(|&i| {
            let l = &book.listings[i];
            let c = &book.chapters[l.chapter];
            let by_filter = filters.is_empty()
                || filters.iter().any(|f| {
                    &l.id == f || &c.slug == f || &c.path == f || c.path.trim_start_matches("src/") == f
                });
            by_filter && shard.is_none_or(|s| s.contains(&l.id))
        })
        .collect())
}

fn rustc_version() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .context("running `rustc -vV`")?;
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

/// What is known about a listing while it builds and runs.
#[derive(Default)]
struct State {
    messages: Vec<CompilerMessage>,
    binaries: HashMap<String, std::path::PathBuf>,
    started: bool,
    runs_left: usize,
    /// The first failure, by (block, run), so that reports do not depend on timing.
    failure: Option<((usize, u32), Failure)>,
    /// The longest of its runs (reported in JSON; `cargo xtask bench` uses it).
    longest: std::time::Duration,
}

/// One run to make.
struct Job {
    listing: usize,
    block: usize,
    run: u32,
    spec: RunSpec,
}

/// Builds the listings at `to_build` and runs them; returns their verdicts.
async fn execute(
    book: &Book,
    to_build: &[usize],
    opts: &Options,
    cancel: watch::Receiver<bool>,
    reporter: &Reporter<'_>,
) -> Result<Vec<(usize, Verdict)>> {
    let root = book.root.canonicalize()?;
    let mut states: HashMap<usize, State> = to_build.iter().map(|&i| (i, State::default())).collect();
    let mut done: BTreeMap<usize, Verdict> = BTreeMap::new();
    let mut exclusive: Vec<Job> = Vec::new();
    let mut tasks: JoinSet<(usize, usize, u32, Result<RunOutput>)> = JoinSet::new();
    let permits = Arc::new(Semaphore::new(opts.jobs.max(1)));
    let color = reporter.color();
    let prefixes = |listing: &Listing| {
        let dir = listing.crate_dir(book);
        vec![format!("{}/{dir}/", root.display()), format!("{dir}/")]
    };

    // Formatting is checked beside the build (rustfmt takes as long as compiling a small
    // listing): code that `cargo fmt` would rewrite is not what the book should show.
    let formatting = if book.settings.check_formatting {
        let inputs = check::formatting_inputs(book, to_build).map_err(anyhow::Error::msg)?;
        Some(tokio::task::spawn_blocking(move || check::run_rustfmt(inputs)))
    } else {
        None
    };

    let mut events = compile::start(book, to_build, cancel.clone())?;
    if let Some(task) = formatting {
        let unformatted = task
            .await
            .context("the formatting check panicked")?
            .map_err(anyhow::Error::msg)?;
        for (i, f) in unformatted {
            finish(&mut done, reporter, i, Verdict::Failed(f));
        }
    }
    reporter.phase("building");
    let mut build_done = false;
    while !build_done || !tasks.is_empty() {
        tokio::select! {
            event = events.recv(), if !build_done => {
                let Some(event) = event else { build_done = true; continue };
                match event {
                    Event::Message { listing, message } => {
                        if let Some(s) = states.get_mut(&listing) {
                            s.messages.push(message);
                        }
                    }
                    Event::Artifact { listing, bin, path } => {
                        let l = &book.listings[listing];
                        let Some(s) = states.get_mut(&listing) else { continue };
                        s.binaries.insert(bin, path);
                        let complete = l.binaries().iter().all(|b| s.binaries.contains_key(b));
                        if !complete || s.started || l.compile_fail || done.contains_key(&listing) {
                            continue;
                        }
                        s.started = true;
                        if let Err(f) = check::check_compiled(l, &l.crate_dir(book), &s.messages, &prefixes(l)) {
                            finish(&mut done, reporter, listing, Verdict::Failed(f));
                            continue;
                        }
                        if l.no_run {
                            finish(&mut done, reporter, listing, Verdict::Passed(Pass::CompiledOnly));
                            continue;
                        }
                        let jobs = jobs_for(l, listing, &s.binaries, opts.runs);
                        s.runs_left = jobs.len();
                        if l.exclusive {
                            exclusive.extend(jobs);
                        } else {
                            for job in jobs {
                                let permits = permits.clone();
                                let cancel = cancel.clone();
                                tasks.spawn(async move {
                                    let _permit = permits.acquire_owned().await;
                                    let out = run::run(&job.spec, cancel).await;
                                    (job.listing, job.block, job.run, out)
                                });
                            }
                        }
                    }
                    Event::Finished { success, stderr } => {
                        build_done = true;
                        reporter.phase("running");
                        // Listings cargo never reached (a dependency failed, the network was
                        // down): cargo's own output says why, once, before their verdicts.
                        let untouched: std::collections::HashSet<usize> = to_build
                            .iter()
                            .copied()
                            .filter(|i| {
                                let s = &states[i];
                                !s.started && !done.contains_key(i) && s.messages.is_empty() && s.binaries.is_empty()
                            })
                            .collect();
                        let blame_cargo = !success && !untouched.is_empty();
                        if blame_cargo {
                            reporter.cargo_failed(&stderr);
                        }
                        for &i in to_build {
                            let s = &states[&i];
                            if s.started || done.contains_key(&i) {
                                continue;
                            }
                            let l = &book.listings[i];
                            let verdict = if blame_cargo && untouched.contains(&i) {
                                Verdict::Failed(check::missing_binary(l))
                            } else if l.compile_fail {
                                let compiled = !l.binaries().is_empty()
                                    && l.binaries().iter().all(|b| s.binaries.contains_key(b));
                                match check::check_compile_fail(l, &s.messages, compiled, &prefixes(l), color) {
                                    Ok(()) => Verdict::Passed(Pass::Ran),
                                    Err(f) => Verdict::Failed(f),
                                }
                            } else if let Err(f) = check::check_compiled(l, &l.crate_dir(book), &s.messages, &prefixes(l)) {
                                Verdict::Failed(f)
                            } else if l.no_run && l.binaries().is_empty() {
                                Verdict::Passed(Pass::CompiledOnly)
                            } else {
                                Verdict::Failed(check::missing_binary(l))
                            };
                            finish(&mut done, reporter, i, verdict);
                        }
                    }
                }
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                let (listing, block, run, out) = joined.context("a run task panicked")?;
                record_run(book, &mut states, &mut done, reporter, &prefixes, color, listing, block, run, out);
            }
        }
    }

    // Exclusive listings: nothing else is running now.
    exclusive.sort_by_key(|j| (j.listing, j.block, j.run));
    for job in exclusive {
        if *cancel.borrow() {
            break;
        }
        let l = &book.listings[job.listing];
        reporter.phase(&format!("running {} alone", l.id));
        let out = run::run(&job.spec, cancel.clone()).await;
        record_run(
            book,
            &mut states,
            &mut done,
            reporter,
            &prefixes,
            color,
            job.listing,
            job.block,
            job.run,
            out,
        );
    }
    Ok(done.into_iter().collect())
}

/// Every run a listing's output blocks ask for.
fn jobs_for(
    listing: &Listing,
    index: usize,
    binaries: &HashMap<String, std::path::PathBuf>,
    cli_runs: Option<u32>,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (b, block) in listing.outputs.iter().enumerate() {
        let bin = block.bin.clone().unwrap_or_else(|| listing.binaries()[0].clone());
        let spec = RunSpec {
            program: binaries[&bin].clone(),
            args: block.args.clone(),
            env: block.env.clone(),
            stdin: block.stdin.clone(),
            stream: block.stream,
            timeout: block.timeout,
            kill_after: block.kill_after,
            // Non-exclusive runs start while cargo still compiles other listings: they take
            // the CPU the build leaves idle instead of slowing it down. Exclusive runs have
            // the machine to themselves and keep normal priority.
            nice: if listing.exclusive { 0 } else { 10 },
        };
        for run in 0..check::runs_of(block, cli_runs) {
            jobs.push(Job {
                listing: index,
                block: b,
                run,
                spec: spec.clone(),
            });
        }
    }
    jobs
}

#[allow(clippy::too_many_arguments)]
fn record_run(
    book: &Book,
    states: &mut HashMap<usize, State>,
    done: &mut BTreeMap<usize, Verdict>,
    reporter: &Reporter<'_>,
    prefixes: &dyn Fn(&Listing) -> Vec<String>,
    color: bool,
    listing: usize,
    block: usize,
    run: u32,
    out: Result<RunOutput>,
) {
    let l = &book.listings[listing];
    if let (Ok(out), Some(s)) = (&out, states.get_mut(&listing)) {
        s.longest = s.longest.max(out.elapsed);
    }
    let result = match out {
        Ok(out) => check::check_run(l, block, &out, &prefixes(l), color),
        Err(e) => Err(Failure {
            line: l.outputs[block].line,
            reason: format!("could not be run: {e:#}"),
            detail: String::new(),
            bless: None,
        }),
    };
    let s = states.get_mut(&listing).expect("a state for every built listing");
    if let Err(mut f) = result {
        let total = check::runs_of(&l.outputs[block], reporter.cli_runs());
        if total > 1 {
            f.reason = format!("{} (run {} of {})", f.reason, run + 1, total);
        }
        if s.failure.as_ref().is_none_or(|(at, _)| (block, run) < *at) {
            s.failure = Some(((block, run), f));
        }
    }
    s.runs_left -= 1;
    if s.runs_left == 0 {
        let verdict = match s.failure.take() {
            Some((_, f)) => Verdict::Failed(f),
            None => Verdict::Passed(Pass::Ran),
        };
        reporter.record_longest_run(listing, s.longest);
        finish(done, reporter, listing, verdict);
    }
}

fn finish(done: &mut BTreeMap<usize, Verdict>, reporter: &Reporter<'_>, listing: usize, verdict: Verdict) {
    reporter.listing_done(listing, &verdict);
    done.insert(listing, verdict);
}

/// Rewrites the output blocks that failed from what was printed, one atomic write per
/// chapter. Nothing is written if the book changed on disk since it was read.
fn bless(book: &Book, verdicts: &[Verdict]) -> Result<()> {
    let mut by_chapter: BTreeMap<usize, Vec<(std::ops::Range<usize>, String)>> = BTreeMap::new();
    let mut empty = Vec::new();
    for (i, v) in verdicts.iter().enumerate() {
        let Verdict::Failed(Failure { bless: Some(b), .. }) = v else {
            continue;
        };
        let l = &book.listings[i];
        let block = &l.outputs[b.block];
        let mut text = String::new();
        for line in &b.lines {
            text.push_str(&block.indent);
            text.push_str(line);
            text.push('\n');
        }
        if crate::matcher::Expected::parse(&text).is_err() {
            empty.push(format!("{}:{}", book.chapters[l.chapter].path, block.line));
        }
        by_chapter
            .entry(l.chapter)
            .or_default()
            .push((block.content.clone(), text));
    }
    let mut blessed = 0;
    for (chapter, edits) in by_chapter {
        let c = &book.chapters[chapter];
        let path = book.root.join(&c.path);
        let on_disk = std::fs::read_to_string(&path)?;
        if on_disk != *c.source {
            eprintln!(
                "warning: {} changed while the listings ran; not blessed, run again",
                c.path
            );
            continue;
        }
        let count = edits.len();
        let text = crate::text::splice(&c.source, edits);
        extract::write_atomic(&path, text.as_bytes())?;
        blessed += count;
        println!("blessed {count} output block(s) in {}", c.path);
    }
    for at in empty {
        eprintln!(
            "warning: {at}: the blessed block holds no literal word (the program printed none); the book will not parse until it does"
        );
    }
    if blessed > 0 {
        println!(
            "review the changes with `git diff src/` before committing: bless writes what the programs printed"
        );
    }
    Ok(())
}
