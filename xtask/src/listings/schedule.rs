//! Schedule: build the selected listings and run each one's output blocks as soon as its
//! binaries exist, in parallel; `exclusive` listings alone once everything else is done.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::Options;
use super::check;
use super::compile::{self, CompilerMessage, Event};
use super::report::Reporter;
use super::run::{self, RunOutput, RunSpec};
use super::rustfmt;
use super::verdict::{Failure, Pass, Verdict};
use crate::book::{Book, Listing};

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
pub(crate) async fn execute(
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
        let inputs = rustfmt::formatting_inputs(book, to_build)?;
        Some(tokio::task::spawn_blocking(move || rustfmt::run_rustfmt(inputs)))
    } else {
        None
    };

    let mut events = compile::start(book, to_build, cancel.clone())?;
    if let Some(task) = formatting {
        let unformatted = task.await.context("the formatting check panicked")??;
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
