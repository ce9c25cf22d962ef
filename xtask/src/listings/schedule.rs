//! Schedule: build the selected listings and run each one's output blocks as soon as its
//! binaries exist, in parallel; `exclusive` listings alone once everything else is done.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::Options;
use super::check;
use super::compile::{self, CompilerMessage, Event};
use super::gate::Gate;
use super::propose;
use super::report::Reporter;
use super::run::{self, RunOutput, RunSpec};
use super::rustfmt;
use super::screen;
use super::verdict::{Blessed, Detail, Failure, Pass, Verdict};
use crate::book::recording::RecordedOutput;
use crate::book::{Book, Listing};

/// What building and running the listings found.
#[derive(Default)]
pub(crate) struct Outcome {
    /// The verdict on each listing built, by listing.
    pub(crate) verdicts: BTreeMap<usize, Verdict>,
    /// What each listing that passed printed, one recording per output block, by listing.
    pub(crate) recorded: BTreeMap<usize, Vec<RecordedOutput>>,
}

/// Builds the listings at `to_build` and runs them; returns their verdicts and recordings.
pub(crate) async fn execute(
    book: &Book,
    to_build: &[usize],
    opts: &Options,
    cancel: watch::Receiver<bool>,
    reporter: &Reporter<'_>,
) -> Result<Outcome> {
    let mut scheduler = Scheduler::new(book, to_build, opts, cancel, reporter)?;
    // Formatting is checked beside the build (rustfmt takes as long as compiling a small
    // listing): code that `cargo fmt` would rewrite is not what the book should show.
    let formatting = book.settings.check_formatting.then(|| {
        let inputs = rustfmt::formatting_inputs(book, &scheduler.root, to_build);
        tokio::task::spawn_blocking(move || rustfmt::run_rustfmt(inputs))
    });
    let events = compile::start(book, &scheduler.root, to_build, scheduler.cancel.clone())?;
    if let Some(task) = formatting {
        let unformatted = task.await.context("the formatting check panicked")??;
        for (i, f) in unformatted {
            scheduler.finish(i, Verdict::Failed(f));
        }
    }
    reporter.phase("building");
    scheduler.run_beside_the_build(events).await?;
    scheduler.run_exclusive().await;
    Ok(scheduler.outcome)
}

/// What is known about a listing while it builds and runs.
#[derive(Default)]
struct State {
    messages: Vec<CompilerMessage>,
    binaries: HashMap<String, PathBuf>,
    /// Cargo built one of its targets (a library, a binary), so cargo reached it.
    built: bool,
    /// Its binaries are all built and its runs were scheduled (or it was judged at once).
    started: bool,
    runs_left: usize,
    /// The first failure, by run, so that reports do not depend on timing.
    failure: Option<(RunId, Failure)>,
    /// The longest of its runs (reported in JSON; `cargo xtask bench` uses it).
    longest: Duration,
    /// The first run of each output block, by block, while every run passes.
    recorded: BTreeMap<usize, RecordedOutput>,
    /// With `--bless`: what each run of each output block printed, by block, for bless
    /// to propose a block from (see `propose`).
    printed: BTreeMap<usize, Vec<(u32, Vec<String>)>>,
}

/// Which run of which output block of which listing: runs are ordered by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RunId {
    listing: usize,
    block: usize,
    run: u32,
}

/// One run to make.
struct Job {
    id: RunId,
    spec: RunSpec,
}

/// The build and the runs of one `test-listings`, driven from one future: events from
/// cargo and finished runs arrive one at a time, and each listing gets its verdict when the
/// last of them that concerns it has arrived.
struct Scheduler<'a> {
    book: &'a Book,
    to_build: &'a [usize],
    opts: &'a Options,
    reporter: &'a Reporter<'a>,
    cancel: watch::Receiver<bool>,
    /// The book's root, absolute: compiler output names files by absolute paths.
    root: PathBuf,
    states: HashMap<usize, State>,
    outcome: Outcome,
    /// Runs of `exclusive` listings, made alone after everything else.
    exclusive: Vec<Job>,
    tasks: JoinSet<(RunId, Result<RunOutput>)>,
    /// Which runs may start: `--jobs` at once, more while they leave the CPU idle.
    gate: Arc<Gate>,
}

impl<'a> Scheduler<'a> {
    fn new(
        book: &'a Book,
        to_build: &'a [usize],
        opts: &'a Options,
        cancel: watch::Receiver<bool>,
        reporter: &'a Reporter<'a>,
    ) -> Result<Scheduler<'a>> {
        let root = book
            .root
            .canonicalize()
            .with_context(|| format!("finding {}", book.root.display()))?;
        Ok(Scheduler {
            book,
            to_build,
            opts,
            reporter,
            cancel,
            root,
            states: to_build.iter().map(|&i| (i, State::default())).collect(),
            outcome: Outcome::default(),
            exclusive: Vec::new(),
            tasks: JoinSet::new(),
            gate: Arc::new(Gate::new(opts.jobs)),
        })
    }

    /// Handles cargo's events and finished runs until the build is over and every run that
    /// may share the machine has ended.
    async fn run_beside_the_build(&mut self, mut events: mpsc::UnboundedReceiver<Event>) -> Result<()> {
        let mut build_done = false;
        while !build_done || !self.tasks.is_empty() {
            tokio::select! {
                event = events.recv(), if !build_done => match event {
                    Some(Event::Message { listing, message }) => self.on_message(listing, message),
                    Some(Event::Artifact { listing, bin, path }) => self.on_artifact(listing, bin, path),
                    Some(Event::Library { listing }) => self.on_library(listing),
                    Some(Event::Finished { success, stderr }) => {
                        build_done = true;
                        self.on_finished(success, &stderr);
                    }
                    None => build_done = true,
                },
                Some(joined) = self.tasks.join_next(), if !self.tasks.is_empty() => {
                    let (id, out) = joined.context("a run task panicked")?;
                    self.on_run(id, out);
                }
            }
        }
        Ok(())
    }

    /// A compiler message about a listing: kept for its verdict.
    fn on_message(&mut self, listing: usize, message: CompilerMessage) {
        if let Some(s) = self.states.get_mut(&listing) {
            s.messages.push(message);
        }
    }

    /// A library was built: the listing was reached, whatever else cargo failed at.
    fn on_library(&mut self, listing: usize) {
        if let Some(s) = self.states.get_mut(&listing) {
            s.built = true;
        }
    }

    /// A binary was built: once a listing has all of its binaries, it is checked for
    /// warnings and its runs start.
    fn on_artifact(&mut self, listing: usize, bin: String, path: PathBuf) {
        let book = self.book;
        let l = &book.listings[listing];
        let prefixes = self.crate_prefixes(l);
        let Some(s) = self.states.get_mut(&listing) else {
            return;
        };
        s.binaries.insert(bin, path);
        s.built = true;
        let complete = l.binaries().iter().all(|b| s.binaries.contains_key(b));
        if !complete || s.started || l.compile_fail || self.outcome.verdicts.contains_key(&listing) {
            return;
        }
        s.started = true;
        if let Err(f) = check::check_compiled(l, &l.crate_dir(book), &s.messages, &prefixes) {
            return self.finish(listing, Verdict::Failed(f));
        }
        if l.no_run {
            return self.finish(listing, Verdict::Passed(Pass::CompiledOnly));
        }
        let jobs = jobs_for(l, listing, &s.binaries, self.opts.runs);
        s.runs_left = jobs.len();
        if l.exclusive {
            self.exclusive.extend(jobs);
            return;
        }
        for job in jobs {
            let gate = self.gate.clone();
            let cancel = self.cancel.clone();
            self.tasks.spawn(async move {
                let _admitted = gate.admit().await;
                (job.id, run::once(&job.spec, cancel).await)
            });
        }
    }

    /// Cargo is done: every listing that did not start running gets its verdict now.
    fn on_finished(&mut self, success: bool, stderr: &str) {
        self.reporter.phase("running");
        // Listings cargo never reached (a dependency failed, the network was down): cargo's
        // own output says why, once, before their verdicts.
        let untouched: HashSet<usize> = self
            .waiting()
            .filter(|i| {
                let s = &self.states[i];
                s.messages.is_empty() && !s.built
            })
            .collect();
        let blame_cargo = !success && (!untouched.is_empty() || !self.any_build_error());
        if blame_cargo {
            self.reporter.cargo_failed(stderr);
        }
        let waiting: Vec<usize> = self.waiting().collect();
        for i in waiting {
            let verdict = if blame_cargo && untouched.contains(&i) {
                Verdict::Failed(check::missing_binary(&self.book.listings[i]))
            } else {
                self.verdict_after_build(i)
            };
            self.finish(i, verdict);
        }
    }

    /// Whether some listing's compiler messages hold an error: then a failed build is
    /// explained by that listing's verdict (a `compile_fail` listing's expected error, a
    /// listing that does not compile), and cargo's own output adds nothing.
    fn any_build_error(&self) -> bool {
        self.states
            .values()
            .any(|s| s.messages.iter().any(|m| m.level == "error"))
    }

    /// Listings that have neither started running nor got a verdict.
    fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        self.to_build
            .iter()
            .copied()
            .filter(|i| !self.states[i].started && !self.outcome.verdicts.contains_key(i))
    }

    /// The verdict on a listing that did not run, from what the build said about it.
    fn verdict_after_build(&mut self, i: usize) -> Verdict {
        let l = &self.book.listings[i];
        let s = &self.states[&i];
        let prefixes = self.crate_prefixes(l);
        if l.compile_fail {
            let compiled =
                !l.binaries().is_empty() && l.binaries().iter().all(|b| s.binaries.contains_key(b));
            return match check::check_compile_fail(l, &s.messages, compiled, &prefixes) {
                Ok(recorded) => {
                    self.outcome.recorded.insert(i, vec![recorded]);
                    Verdict::Passed(Pass::Refused)
                }
                Err(f) => Verdict::Failed(f),
            };
        }
        if let Err(f) = check::check_compiled(l, &l.crate_dir(self.book), &s.messages, &prefixes) {
            Verdict::Failed(f)
        } else if l.no_run && l.binaries().is_empty() {
            Verdict::Passed(Pass::CompiledOnly)
        } else {
            Verdict::Failed(check::missing_binary(l))
        }
    }

    /// A run ended: checked at once; the listing gets its verdict with its last run.
    fn on_run(&mut self, id: RunId, out: Result<RunOutput>) {
        let book = self.book;
        let l = &book.listings[id.listing];
        let result = match &out {
            Ok(out) => check::check_run(l, id.block, out, &self.crate_prefixes(l)),
            Err(e) => Err(Failure::new(
                l.outputs[id.block].line,
                format!("could not be run: {e:#}"),
                Detail::None,
            )),
        };
        let prefixes = self.crate_prefixes(l);
        let s = self
            .states
            .get_mut(&id.listing)
            .expect("a state for every built listing");
        if let Ok(out) = &out {
            s.longest = s.longest.max(out.elapsed);
            if self.opts.bless {
                let printed = screen::printed_lines(&out.printed, &prefixes);
                s.printed.entry(id.block).or_default().push((id.run, printed));
            }
        }
        match result {
            Ok(recorded) if id.run == 0 => {
                s.recorded.insert(id.block, recorded);
            }
            Ok(_) => {}
            Err(f) => record_failure(s, id, f, check::runs_of(&l.outputs[id.block], self.opts.runs)),
        }
        s.runs_left -= 1;
        if s.runs_left > 0 {
            return;
        }
        let longest = s.longest;
        let printed = std::mem::take(&mut s.printed);
        let verdict = match s.failure.take() {
            Some((_, f)) => Verdict::Failed(Failure {
                longest_run: Some(longest),
                bless: f.bless.map(|b| proposed(b, &printed)),
                ..f
            }),
            None => {
                let recorded = std::mem::take(&mut s.recorded).into_values().collect();
                self.outcome.recorded.insert(id.listing, recorded);
                Verdict::Passed(Pass::Ran { longest })
            }
        };
        self.finish(id.listing, verdict);
    }

    /// The runs of `exclusive` listings, one at a time: nothing else is running now.
    async fn run_exclusive(&mut self) {
        let mut jobs = std::mem::take(&mut self.exclusive);
        jobs.sort_by_key(|j| j.id);
        for job in jobs {
            if *self.cancel.borrow() {
                break;
            }
            let l = &self.book.listings[job.id.listing];
            self.reporter.phase(&format!("running {} alone", l.id));
            let out = run::once(&job.spec, self.cancel.clone()).await;
            self.on_run(job.id, out);
        }
    }

    /// How paths into a listing's crate appear in what its build and runs print: absolute,
    /// and relative to the book's root. Screening removes them.
    fn crate_prefixes(&self, listing: &Listing) -> Vec<String> {
        let dir = listing.crate_dir(self.book);
        vec![format!("{}/{dir}/", self.root.display()), format!("{dir}/")]
    }

    fn finish(&mut self, listing: usize, verdict: Verdict) {
        self.reporter.listing_done(listing, &verdict);
        self.outcome.verdicts.insert(listing, verdict);
    }
}

/// Keeps the first failure of a listing, by run, so that reports do not depend on timing.
fn record_failure(s: &mut State, id: RunId, mut f: Failure, total: u32) {
    if total > 1 {
        f.reason = format!("{} (run {} of {})", f.reason, id.run + 1, total);
    }
    if s.failure.as_ref().is_none_or(|(at, _)| id < *at) {
        s.failure = Some((id, f));
    }
}

/// What bless writes for a block that failed: with several runs of it, a proposal from all
/// of them (spans and lines that differed between runs become patterns and sections).
fn proposed(blessed: Blessed, printed: &BTreeMap<usize, Vec<(u32, Vec<String>)>>) -> Blessed {
    match printed.get(&blessed.block) {
        Some(runs) if runs.len() > 1 => {
            let mut runs = runs.clone();
            runs.sort_by_key(|(run, _)| *run);
            let runs: Vec<Vec<String>> = runs.into_iter().map(|(_, lines)| lines).collect();
            Blessed {
                lines: propose::propose(&runs),
                ..blessed
            }
        }
        _ => blessed,
    }
}

/// Every run a listing's output blocks ask for.
fn jobs_for(
    listing: &Listing,
    index: usize,
    binaries: &HashMap<String, PathBuf>,
    cli_runs: Option<u32>,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (b, block) in listing.outputs.iter().enumerate().filter(|(_, o)| o.is_run()) {
        let bin = block.bin.clone().unwrap_or_else(|| listing.binaries()[0].clone());
        let spec = RunSpec {
            program: binaries[&bin].clone(),
            args: block.args.clone(),
            env: block.env.clone(),
            stdin: block.stdin.clone(),
            stream: block.stream,
            timeout: block.timeout,
            kill_after: block.kill_after,
            files: (block.with.iter())
                .filter_map(|p| Some((p.clone(), listing.file(p)?.code.clone())))
                .collect(),
            // Non-exclusive runs start while cargo still compiles other listings: they take
            // the CPU the build leaves idle instead of slowing it down. Exclusive runs have
            // the machine to themselves and keep normal priority.
            nice: if listing.exclusive { 0 } else { 10 },
        };
        for run in 0..check::runs_of(block, cli_runs) {
            jobs.push(Job {
                id: RunId {
                    listing: index,
                    block: b,
                    run,
                },
                spec: spec.clone(),
            });
        }
    }
    jobs
}
