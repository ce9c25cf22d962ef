//! Report: verdicts as a terminal shows them (failures pointing into the chapter, a progress
//! bar, a summary line) or as JSON, one object per listing.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::book::Book;
use crate::book::diag::{Diag, stderr_is_terminal};
use crate::listings::verdict::{Pass, Verdict};
use crate::util::text::line_range;

/// How verdicts are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Prints verdicts as they come and the summary at the end.
pub(crate) struct Reporter<'a> {
    book: &'a Book,
    format: Format,
    color: bool,
    bar: Option<ProgressBar>,
    /// Serialises printing from the tasks that finish listings.
    out: Mutex<()>,
    /// The longest run of each listing that ran, by index.
    longest: Mutex<std::collections::HashMap<usize, Duration>>,
    cli_runs: Option<u32>,
}

impl<'a> Reporter<'a> {
    /// `work` is the number of listings that will be built and run.
    pub(crate) fn new(
        book: &'a Book,
        format: Format,
        progress: bool,
        work: usize,
        cli_runs: Option<u32>,
    ) -> Reporter<'a> {
        let terminal = stderr_is_terminal();
        let bar = (progress && terminal && format == Format::Human && work > 0).then(|| {
            let bar = ProgressBar::with_draw_target(Some(work as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg:<24} [{bar:30}] {pos}/{len} listings, {elapsed}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Reporter {
            book,
            format,
            color: terminal && format == Format::Human,
            bar,
            out: Mutex::new(()),
            longest: Mutex::default(),
            cli_runs,
        }
    }

    /// Whether failures are printed with colours.
    pub(crate) fn color(&self) -> bool {
        self.color
    }

    /// `--runs`, as given.
    pub(crate) fn cli_runs(&self) -> Option<u32> {
        self.cli_runs
    }

    /// Remembers how long the longest run of a listing took.
    pub(crate) fn record_longest_run(&self, index: usize, longest: Duration) {
        self.longest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(index, longest);
    }

    /// What the engine is doing now, next to the bar.
    pub(crate) fn phase(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    fn print(&self, text: &str) {
        let _guard = self.out.lock().unwrap_or_else(|e| e.into_inner());
        match &self.bar {
            Some(bar) => bar.suspend(|| print!("{text}")),
            None => print!("{text}"),
        }
    }

    /// A listing has its verdict: failures are shown at once, with the chapter line.
    pub(crate) fn listing_done(&self, index: usize, verdict: &Verdict) {
        if let Some(bar) = &self.bar
            && !matches!(verdict, Verdict::Passed(Pass::Cached))
        {
            bar.inc(1);
        }
        if self.format != Format::Human {
            return;
        }
        let listing = &self.book.listings[index];
        let chapter = &self.book.chapters[listing.chapter];
        match verdict {
            Verdict::Failed(f) => {
                let d = Diag::new(
                    &chapter.path,
                    &chapter.source,
                    line_range(&chapter.source, f.line),
                    format!("listing `{}` {}", listing.id, f.reason),
                )
                .label(format!("Listing {}-{}", chapter.label, listing.number));
                let mut text = d.render(self.color);
                for line in f.detail.lines() {
                    text.push_str("    ");
                    text.push_str(line);
                    text.push('\n');
                }
                if f.bless.is_some() {
                    text.push_str(&format!(
                        "    (if the new output is right: cargo xtask test-listings {} --bless)\n",
                        listing.id
                    ));
                }
                text.push('\n');
                self.print(&text);
            }
            Verdict::Passed(pass) if self.bar.is_none() => {
                let how = match pass {
                    Pass::Ran => "ok",
                    Pass::Cached => "ok (cached)",
                    Pass::CompiledOnly => "ok (compiled only)",
                };
                self.print(&format!(
                    "{how:<20} {} ({}:{})\n",
                    listing.id, chapter.path, listing.line
                ));
            }
            _ => {}
        }
    }

    /// Cargo failed for reasons of its own: its output, once.
    pub(crate) fn cargo_failed(&self, stderr: &str) {
        let lines: Vec<&str> = stderr.lines().collect();
        let start = lines.len().saturating_sub(40);
        let mut text = String::from("error: cargo failed; the last lines it printed:\n");
        for line in &lines[start..] {
            text.push_str("    ");
            text.push_str(line);
            text.push('\n');
        }
        match self.format {
            Format::Human => self.print(&format!("{text}\n")),
            Format::Json => eprint!("{text}"),
        }
    }

    /// Removes the progress bar before the summary.
    pub(crate) fn finish_progress(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// JSON lines (for `--format json`) and the last line: `N passed, N failed, N skipped`.
    pub(crate) fn summary(&self, verdicts: &[Verdict]) {
        let count = |f: &dyn Fn(&Verdict) -> bool| verdicts.iter().filter(|v| f(v)).count();
        let passed = count(&|v| matches!(v, Verdict::Passed(_)));
        let failed = count(&|v| matches!(v, Verdict::Failed(_)));
        let skipped = count(&|v| matches!(v, Verdict::Skipped));
        let cached = count(&|v| matches!(v, Verdict::Passed(Pass::Cached)));
        let compiled_only = count(&|v| matches!(v, Verdict::Passed(Pass::CompiledOnly)));
        let line = format!("{passed} passed, {failed} failed, {skipped} skipped");
        match self.format {
            Format::Json => {
                for (i, v) in verdicts.iter().enumerate() {
                    println!(
                        "{}",
                        serde_json::to_string(&self.json(i, v)).expect("serialisable")
                    );
                }
                eprintln!("{line}");
            }
            Format::Human => {
                let mut notes = Vec::new();
                if cached > 0 {
                    notes.push(format!("{cached} unchanged since they last passed"));
                }
                if compiled_only > 0 {
                    notes.push(format!("{compiled_only} compiled only (no_run)"));
                }
                if !notes.is_empty() {
                    println!("({})", notes.join("; "));
                }
                println!("{line}");
            }
        }
    }

    fn json(&self, index: usize, verdict: &Verdict) -> JsonVerdict {
        let l = &self.book.listings[index];
        let c = &self.book.chapters[l.chapter];
        let (verdict_name, reason, line, detail) = match verdict {
            Verdict::Passed(Pass::Ran) => ("passed", None, l.line, None),
            Verdict::Passed(Pass::Cached) => (
                "passed",
                Some("cached: unchanged since it last passed".into()),
                l.line,
                None,
            ),
            Verdict::Passed(Pass::CompiledOnly) => {
                ("passed", Some("compiled only (no_run)".into()), l.line, None)
            }
            Verdict::Failed(f) => ("failed", Some(f.reason.clone()), f.line, Some(f.detail.clone())),
            Verdict::Skipped => ("skipped", Some("not selected".into()), l.line, None),
        };
        let longest = self
            .longest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&index)
            .copied();
        JsonVerdict {
            longest_run_ms: longest.map(|d| d.as_millis() as u64),
            id: l.id.clone(),
            chapter: c.path.clone(),
            line,
            listing: format!("{}-{}", c.label, l.number),
            verdict: verdict_name,
            reason,
            detail,
        }
    }
}

#[derive(Serialize)]
struct JsonVerdict {
    id: String,
    chapter: String,
    line: usize,
    /// "4-2": the number readers see.
    listing: String,
    verdict: &'static str,
    reason: Option<String>,
    detail: Option<String>,
    /// How long its longest run took, when it ran.
    longest_run_ms: Option<u64>,
}
