//! Check: turns what a build or a run produced into a verdict for one output block.
//!
//! A failure carries the chapter line it is about, a one-line reason, the detail that
//! explains it (a diff, the compiler's diagnostics), and, when the fix is to rewrite the
//! output block from what was printed, the lines bless would write.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use crate::compile::{CompilerMessage, chapter_line};
use crate::matcher::{self, Expected};
use crate::model::{Listing, OutputBlock};
use crate::run::{Ending, OUTPUT_CAP, RunOutput, signal_name};
use crate::screen;

/// Why a listing failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The chapter line the failure is about.
    pub line: usize,
    pub reason: String,
    pub detail: String,
    pub bless: Option<Blessed>,
}

/// A rewrite of one output block, from what was printed.
#[derive(Debug, Clone)]
pub struct Blessed {
    /// Index into `Listing::outputs`.
    pub block: usize,
    pub lines: Vec<String>,
}

fn fail(line: usize, reason: impl Into<String>, detail: impl Into<String>) -> Failure {
    Failure {
        line,
        reason: reason.into(),
        detail: detail.into(),
        bless: None,
    }
}

/// Checks one run of output block `index` of `listing`.
pub fn check_run(
    listing: &Listing,
    index: usize,
    run: &RunOutput,
    prefixes: &[String],
    color: bool,
) -> Result<(), Failure> {
    let block = &listing.outputs[index];
    let line = block.line;
    // A run stopped at the output cap shows only its first lines, so only its first bytes are
    // screened: screening all 16 MiB would cost the engine several times that in memory (and
    // seconds), for every such run at once.
    let screened = match run.ending {
        Ending::OutputCap => &run.printed[..run.printed.len().min(64 << 10)],
        _ => &run.printed[..],
    };
    let printed = screen::printed_lines(screened, prefixes);
    let shown_output = || tail(&printed, 20);
    let status_problem = match &run.ending {
        Ending::Interrupted => return Err(fail(line, "interrupted", "")),
        Ending::OutputCap => {
            return Err(fail(
                line,
                format!("printed more than {} bytes (16 MiB), and was stopped", OUTPUT_CAP),
                format!("first lines it printed:\n{}", head(&printed, 10)),
            ));
        }
        Ending::TimedOut(t) => {
            return Err(fail(
                line,
                format!(
                    "still running after {} (its time limit), and was killed",
                    secs(*t)
                ),
                format!(
                    "a program that should run this long says `timeout=DUR`; one that should be killed says `kill-after=DUR`\n{}",
                    shown_output()
                ),
            ));
        }
        Ending::KilledAfter(_) => None,
        Ending::Exited(code) => match block.kill_after {
            Some(k) => {
                return Err(fail(
                    line,
                    format!(
                        "exited with status {code} after {}, before `kill-after={}`: it must still be running then",
                        secs(run.elapsed),
                        secs(k)
                    ),
                    shown_output(),
                ));
            }
            None if *code != block.exit => {
                Some(format!("exited with status {code}, expected {}", block.exit))
            }
            None => None,
        },
        Ending::Signaled(sig) => {
            let hint = if *sig == nix::libc::SIGABRT {
                " (an abort: a panic while panicking, or a memory allocation refused by the 4 GiB limit)"
            } else {
                ""
            };
            Some(format!("killed by {}{hint}", signal_name(*sig)))
        }
    };

    let expected = Expected::parse(&block.expected).map_err(|e| fail(line, e, ""))?;
    let comparison = matcher::compare(&expected, &printed, block.unordered);
    let other = if run.other.is_empty() {
        String::new()
    } else {
        let other = screen::printed_lines(&run.other, prefixes);
        format!(
            "\nthe other stream (not checked by this block) printed:\n{}",
            tail(&other, 20)
        )
    };
    if comparison.matched {
        return match status_problem {
            None => Ok(()),
            Some(reason) => Err(fail(line, reason, format!("{}{other}", shown_output()))),
        };
    }
    let diff = matcher::render_diff(&expected, &printed, &comparison, color);
    let mut reason = status_problem.map_or_else(String::new, |s| format!("{s}, and "));
    reason.push_str(if block.unordered {
        "printed other lines (in any order)"
    } else {
        "printed something else"
    });
    let bless = matcher::bless(&expected, &printed, &comparison, block.unordered);
    Err(Failure {
        line,
        reason,
        detail: format!("{diff}{other}"),
        bless: Some(Blessed {
            block: index,
            lines: bless,
        }),
    })
}

/// Checks a `compile_fail` listing against what the compiler said.
pub fn check_compile_fail(
    listing: &Listing,
    messages: &[CompilerMessage],
    compiled: bool,
    prefixes: &[String],
    color: bool,
) -> Result<(), Failure> {
    let block = &listing.outputs[0];
    let produced: BTreeSet<&str> = messages
        .iter()
        .filter(|m| m.level == "error")
        .filter_map(|m| m.code.as_ref().map(|c| c.code.as_str()))
        .collect();
    if compiled || produced.is_empty() && !messages.iter().any(|m| m.level == "error") {
        return Err(fail(
            listing.line,
            "compiles, but it is marked `compile_fail`: it must be refused by the compiler",
            "",
        ));
    }
    let wanted: BTreeSet<&str> = block.expected.lines().filter_map(matcher::error_code).collect();
    let rendered: String = messages.iter().filter_map(|m| m.rendered.as_deref()).collect();
    let printed = screen::printed_lines(rendered.as_bytes(), prefixes);
    if produced != wanted {
        let list = |s: &BTreeSet<&str>| {
            if s.is_empty() {
                "no error code".to_string()
            } else {
                s.iter()
                    .map(|c| format!("error[{c}]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        return Err(fail(
            block.line,
            format!(
                "fails to compile with {}, but its output block expects {}",
                list(&produced),
                list(&wanted)
            ),
            tail(&printed, 40),
        ));
    }
    let expected = Expected::parse(&block.expected).map_err(|e| fail(block.line, e, ""))?;
    let comparison = matcher::compare(&expected, &printed, false);
    if comparison.matched {
        return Ok(());
    }
    Err(Failure {
        line: block.line,
        reason: "fails to compile as expected, but the compiler printed something else".into(),
        detail: matcher::render_diff(&expected, &printed, &comparison, color),
        bless: Some(Blessed {
            block: 0,
            lines: matcher::bless(&expected, &printed, &comparison, false),
        }),
    })
}

/// For a listing that must compile: its errors, or its warnings (a listing compiles cleanly;
/// `cargo clippy -D warnings` checks the same code).
pub fn check_compiled(
    listing: &Listing,
    crate_dir: &str,
    messages: &[CompilerMessage],
    prefixes: &[String],
) -> Result<(), Failure> {
    for (level, reason) in [
        ("error", "does not compile"),
        ("warning", "compiles with warnings"),
    ] {
        let relevant: Vec<&CompilerMessage> = messages
            .iter()
            .filter(|m| m.level == level && !m.spans.is_empty())
            .collect();
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
        return Err(fail(line, reason, detail));
    }
    Ok(())
}

/// A failure for a listing that produced no binary although the compiler reported no error
/// about it (a dependency failed, or cargo itself: its output is reported once, separately).
pub fn missing_binary(listing: &Listing) -> Failure {
    fail(
        listing.line,
        "was not built: cargo failed before compiling it (see cargo's output above)",
        "",
    )
}

/// What rustfmt must check: each Rust file of the selected listings, with what a failure
/// needs to point into the chapter. Owned, so the check can run beside the build.
pub struct FormatInputs {
    /// Absolute path → (listing index, the file's fence line, the file's path in the crate).
    owners: HashMap<std::path::PathBuf, (usize, usize, String)>,
}

/// The files of `selected` that [`run_rustfmt`] checks.
pub fn formatting_inputs(book: &crate::model::Book, selected: &[usize]) -> Result<FormatInputs, String> {
    let root = book.root.canonicalize().map_err(|e| e.to_string())?;
    let mut owners = HashMap::new();
    for &i in selected {
        let l = &book.listings[i];
        for file in &l.files {
            if file.path.ends_with(".rs") {
                owners.insert(
                    root.join(l.crate_dir(book)).join(&file.path),
                    (i, file.line, file.path.clone()),
                );
            }
        }
    }
    Ok(FormatInputs { owners })
}

/// Listings whose Rust files are not formatted as `cargo fmt` formats them (with
/// `listings/rustfmt.toml`), each with rustfmt's diff. One rustfmt process checks every
/// file. Readers copy this code, and the repository must be `cargo fmt` clean.
pub fn run_rustfmt(inputs: FormatInputs) -> Result<HashMap<usize, Failure>, String> {
    let owners = inputs.owners;
    if owners.is_empty() {
        return Ok(HashMap::new());
    }
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let out = std::process::Command::new(rustfmt)
        .args(["--check", "--color", "never", "--edition", "2024"])
        .args(owners.keys())
        .output()
        .map_err(|e| format!("cannot run rustfmt ({e}); install it with `rustup component add rustfmt`"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // "Diff in /path/src/main.rs:12:" starts each hunk.
    let mut hunks: Vec<(std::path::PathBuf, usize, String)> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("Diff in ")
            && let Some((path, at)) = rest.trim_end_matches(':').rsplit_once(':')
        {
            hunks.push((path.into(), at.parse().unwrap_or(1), String::new()));
        } else if let Some((_, _, text)) = hunks.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    let mut failures: HashMap<usize, Failure> = HashMap::new();
    for (path, at, text) in hunks {
        let Some((i, fence, file_path)) = owners.get(&path) else {
            continue;
        };
        let entry = failures.entry(*i).or_insert_with(|| {
            fail(
                fence + at,
                "is not formatted as `cargo fmt` formats it (see listings/rustfmt.toml)",
                String::new(),
            )
        });
        let _ = writeln!(
            entry.detail,
            "{file_path} line {at} (chapter line {}):\n{text}",
            fence + at
        );
    }
    for f in failures.values_mut() {
        f.detail.push_str("apply the `+` lines to the code block in the chapter (keep its `# ` hidden lines and `// <1>` callouts)");
    }
    Ok(failures)
}

/// Which runs an output block gets: its own `runs=`, or more with `--runs`.
pub fn runs_of(block: &OutputBlock, cli_runs: Option<u32>) -> u32 {
    block.runs.max(cli_runs.unwrap_or(1))
}

fn secs(d: std::time::Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

fn head(lines: &[String], n: usize) -> String {
    let shown: Vec<String> = lines.iter().take(n).map(|l| clip(l)).collect();
    shown.join("\n")
}

/// The last `n` printed lines, for context.
fn tail(lines: &[String], n: usize) -> String {
    if lines.is_empty() {
        return "(it printed nothing)".into();
    }
    let start = lines.len().saturating_sub(n);
    let mut out = String::new();
    if start > 0 {
        let _ = writeln!(out, "(last {n} of {} lines printed)", lines.len());
    }
    let shown: Vec<String> = lines[start..].iter().map(|l| clip(l)).collect();
    out.push_str(&shown.join("\n"));
    out
}

fn clip(line: &str) -> String {
    if line.len() > 300 {
        let cut: String = line.chars().take(300).collect();
        format!("{cut}… ({} bytes in all)", line.len())
    } else {
        line.to_string()
    }
}
