//! Check: turns what a build or a run produced into a verdict for one output block.
//!
//! A failure carries the chapter line it is about, a one-line reason, the detail that
//! explains it (a diff, the compiler's diagnostics), and, when the fix is to rewrite the
//! output block from what was printed, the lines bless would write.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::book::recording::RecordedOutput;
use crate::book::{Listing, Order, OutputBlock};
use crate::listings::arrivals;
use crate::listings::compile::{CompilerMessage, chapter_line};
use crate::listings::run::{Ending, OUTPUT_CAP, RunOutput, signal_name};
use crate::listings::screen;
use crate::listings::verdict::{Blessed, Detail, Diff, Failure};
use crate::listings::{matcher, record};
use crate::util::text::{head, tail};

/// Checks one run of output block `index` of `listing`; a run that passed is recorded.
pub(crate) fn check_run(
    listing: &Listing,
    index: usize,
    run: &RunOutput,
    prefixes: &[String],
) -> Result<RecordedOutput, Failure> {
    let block = &listing.outputs[index];
    // A run stopped at the output cap shows only its first lines, so only its first bytes are
    // screened: screening all 16 MiB would cost the engine several times that in memory (and
    // seconds), for every such run at once.
    let screened = match run.ending {
        Ending::OutputCap => &run.printed[..run.printed.len().min(64 << 10)],
        _ => &run.printed[..],
    };
    let printed = screen::printed_lines(screened, prefixes);
    let status_problem = ending_problem(block, run, &printed)?;
    let other = other_stream(run, prefixes);
    let expected = &block.expected;
    let comparison = matcher::compare(expected, &printed, block.order());
    if comparison.matched {
        if let Err(reason) = arrivals::check(expected, &comparison.ops, &run.arrivals) {
            return Err(Failure::new(
                block.line,
                reason,
                Detail::Text(format!("{}{other}", timed_tail(&printed, &run.arrivals))),
            ));
        }
        return match status_problem {
            None => Ok(record::recorded(expected, printed, &comparison, block.order())),
            Some(reason) => Err(Failure::new(
                block.line,
                reason,
                Detail::Text(format!("{}{other}", tail(&printed, 20))),
            )),
        };
    }
    let mut reason = status_problem.map_or_else(String::new, |s| format!("{s}, and "));
    reason.push_str(if block.unordered {
        "printed other lines (in any order)"
    } else {
        "printed something else"
    });
    let bless = matcher::bless(expected, &printed, &comparison, block.order());
    Err(Failure {
        bless: Some(Blessed {
            block: index,
            lines: bless,
        }),
        ..Failure::new(
            block.line,
            reason,
            Detail::Diff {
                diff: Box::new(Diff::new(expected, printed, comparison)),
                then: other,
            },
        )
    })
}

/// The last lines printed, each with when it was read.
fn timed_tail(printed: &[String], arrivals: &[(std::time::Duration, std::time::Duration)]) -> String {
    let from = printed.len().saturating_sub(20);
    let mut out = String::new();
    for (j, line) in printed.iter().enumerate().skip(from) {
        match arrivals.get(j) {
            Some((_, read)) => {
                let _ = writeln!(out, "[{:>8.3}s] {line}", read.as_secs_f64());
            }
            None => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

/// What the stream the block does not check printed, when it printed anything: shown with
/// a failure, since it often says why (a panic message on standard error).
fn other_stream(run: &RunOutput, prefixes: &[String]) -> String {
    if run.other.is_empty() {
        return String::new();
    }
    let other = screen::printed_lines(&run.other, prefixes);
    format!(
        "\nthe other stream (not checked by this block) printed:\n{}",
        tail(&other, 20)
    )
}

/// What the way a run ended says, before its output is compared: a failure on its own
/// (interrupted, stopped at the cap or the time limit, exited before `kill-after`), a
/// problem to report along with the comparison (a wrong exit status, a signal), or nothing.
fn ending_problem(
    block: &OutputBlock,
    run: &RunOutput,
    printed: &[String],
) -> Result<Option<String>, Failure> {
    let line = block.line;
    let fail = |reason: String, detail: String| Err(Failure::new(line, reason, Detail::Text(detail)));
    match &run.ending {
        Ending::Interrupted => Err(Failure::new(line, "interrupted", Detail::None)),
        Ending::OutputCap => fail(
            format!("printed more than {OUTPUT_CAP} bytes (16 MiB), and was stopped"),
            format!("first lines it printed:\n{}", head(printed, 10)),
        ),
        Ending::TimedOut(t) => fail(
            format!(
                "still running after {} (its time limit), and was killed",
                secs(*t)
            ),
            format!(
                "a program that should run this long says `timeout=DUR`; one that should be killed says `kill-after=DUR`\n{}",
                tail(printed, 20)
            ),
        ),
        Ending::KilledAfter(_) => Ok(None),
        Ending::Exited(code) => match block.kill_after {
            Some(k) => fail(
                format!(
                    "exited with status {code} after {}, before `kill-after={}`: it must still be running then",
                    secs(run.elapsed),
                    secs(k)
                ),
                tail(printed, 20),
            ),
            None if *code != block.exit => Ok(Some(format!(
                "exited with status {code}, expected {}",
                block.exit
            ))),
            None => Ok(None),
        },
        Ending::Signaled(sig) => {
            let hint = if *sig == nix::libc::SIGABRT {
                " (an abort: a panic while panicking, or a memory allocation refused by the 4 GiB limit)"
            } else {
                ""
            };
            Ok(Some(format!("killed by {}{hint}", signal_name(*sig))))
        }
    }
}

/// Checks a `compile_fail` listing against what the compiler said; what it said is recorded
/// when it passed.
pub(crate) fn check_compile_fail(
    listing: &Listing,
    messages: &[CompilerMessage],
    compiled: bool,
    prefixes: &[String],
) -> Result<RecordedOutput, Failure> {
    let block = &listing.outputs[0];
    let produced: BTreeSet<&str> = messages
        .iter()
        .filter(|m| m.level == "error")
        .filter_map(|m| m.code.as_ref().map(|c| c.code.as_str()))
        .collect();
    if compiled || produced.is_empty() && !messages.iter().any(|m| m.level == "error") {
        return Err(Failure::new(
            listing.line,
            "compiles, but it is marked `compile_fail`: it must be refused by the compiler",
            Detail::None,
        ));
    }
    let wanted: BTreeSet<&str> = block.expected.error_codes().collect();
    let rendered: String = messages.iter().filter_map(|m| m.rendered.as_deref()).collect();
    let printed = screen::printed_lines(rendered.as_bytes(), prefixes);
    if produced != wanted {
        return Err(Failure::new(
            block.line,
            format!(
                "fails to compile with {}, but its output block expects {}",
                error_codes(&produced),
                error_codes(&wanted)
            ),
            Detail::Text(tail(&printed, 40)),
        ));
    }
    let expected = &block.expected;
    let comparison = matcher::compare(expected, &printed, Order::Listed);
    if comparison.matched {
        return Ok(record::recorded(expected, printed, &comparison, Order::Listed));
    }
    let lines = matcher::bless(expected, &printed, &comparison, Order::Listed);
    Err(Failure {
        bless: Some(Blessed { block: 0, lines }),
        ..Failure::new(
            block.line,
            "fails to compile as expected, but the compiler printed something else",
            Detail::Diff {
                diff: Box::new(Diff::new(expected, printed, comparison)),
                then: String::new(),
            },
        )
    })
}

/// A set of error codes as a report names them: `error[E0382], error[E0505]`.
fn error_codes(codes: &BTreeSet<&str>) -> String {
    if codes.is_empty() {
        return "no error code".to_string();
    }
    let named: Vec<String> = codes.iter().map(|c| format!("error[{c}]")).collect();
    named.join(", ")
}

/// For a listing that must compile: its errors, or its warnings (a listing compiles cleanly;
/// `cargo clippy -D warnings` checks the same code).
pub(crate) fn check_compiled(
    listing: &Listing,
    crate_dir: &str,
    messages: &[CompilerMessage],
    prefixes: &[String],
) -> Result<(), Failure> {
    let warnings_block = listing.outputs.iter().position(|o| o.compiler);
    for (level, reason) in [
        ("error", "does not compile"),
        ("warning", "compiles with warnings"),
    ] {
        let relevant: Vec<&CompilerMessage> = messages
            .iter()
            .filter(|m| m.level == level && !m.spans.is_empty())
            .collect();
        if let (Some(index), "warning") = (warnings_block, level) {
            return check_warnings(listing, index, &relevant, prefixes);
        }
        if relevant.is_empty() {
            continue;
        }
        let line = relevant
            .iter()
            .find_map(|m| chapter_line(m, crate_dir, &listing.files))
            .unwrap_or(listing.line);
        let mut detail = String::new();
        for m in &relevant {
            let text = m.rendered.as_deref().unwrap_or(&m.message);
            detail.push_str(&screen::printed_lines(text.as_bytes(), prefixes).join("\n"));
            detail.push('\n');
            if let Some(l) = chapter_line(m, crate_dir, &listing.files) {
                let _ = writeln!(detail, "  (that is chapter line {l})");
            }
        }
        return Err(Failure::new(line, reason, Detail::Text(detail)));
    }
    Ok(())
}

/// Checks the warnings of a listing against its `compiler` block (block `index`), as a
/// `compile_fail` listing's errors are checked against its block.
fn check_warnings(
    listing: &Listing,
    index: usize,
    warnings: &[&CompilerMessage],
    prefixes: &[String],
) -> Result<(), Failure> {
    let block = &listing.outputs[index];
    let rendered: String = warnings.iter().filter_map(|m| m.rendered.as_deref()).collect();
    let printed = screen::printed_lines(rendered.as_bytes(), prefixes);
    let expected = &block.expected;
    let comparison = matcher::compare(expected, &printed, Order::Listed);
    if comparison.matched {
        return Ok(());
    }
    let lines = matcher::bless(expected, &printed, &comparison, Order::Listed);
    let reason = if printed.is_empty() {
        "compiles without the warnings its `compiler` block expects"
    } else {
        "compiles with other warnings than its `compiler` block expects"
    };
    Err(Failure {
        bless: Some(Blessed { block: index, lines }),
        ..Failure::new(
            block.line,
            reason,
            Detail::Diff {
                diff: Box::new(Diff::new(expected, printed, comparison)),
                then: String::new(),
            },
        )
    })
}

/// A failure for a listing that produced no binary although the compiler reported no error
/// about it (a dependency failed, or cargo itself: its output is reported once, separately).
pub(crate) fn missing_binary(listing: &Listing) -> Failure {
    Failure::new(
        listing.line,
        "was not built: cargo failed before compiling it (see cargo's output above)",
        Detail::None,
    )
}

/// Which runs an output block gets: its own `runs=`, or more with `--runs`.
pub(crate) fn runs_of(block: &OutputBlock, cli_runs: Option<u32>) -> u32 {
    block.runs.max(cli_runs.unwrap_or(1))
}

fn secs(d: std::time::Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}
