//! Report: verdicts as a terminal shows them (failures pointing into the chapter, a progress
//! bar, a summary line) or as JSON, one object per listing.
//!
//! This is the one place that decides how a verdict looks. Failures go to standard output,
//! so they are coloured when standard output is a terminal (and `NO_COLOR` is not set); the
//! progress bar is drawn on standard error, when that is a terminal. JSON never has colours.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::book::diag::{Diag, stderr_is_terminal};
use crate::book::{Book, Listing};
use crate::listings::github::{Failed, GitHub};
use crate::listings::matcher::Op;
use crate::listings::verdict::{Detail, Diff, Failure, Pass, Verdict};
use crate::util::text::{clip, line_range, tail};

/// How verdicts are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Prints verdicts as they come and the summary at the end. It is driven from one thread
/// (the future that schedules the runs, then `test_listings`), so it needs no locks.
pub(crate) struct Reporter<'a> {
    book: &'a Book,
    format: Format,
    /// Whether what goes to standard output (failures) may have colours.
    color: bool,
    bar: Option<ProgressBar>,
    /// The GitHub workflow the engine runs in, if any: failures are annotated on their
    /// chapter line and listed in the job summary.
    github: Option<GitHub>,
}

impl<'a> Reporter<'a> {
    /// `work` is the number of listings that will be built and run.
    pub(crate) fn new(book: &'a Book, format: Format, progress: bool, work: usize) -> Reporter<'a> {
        let bar = (progress && stderr_is_terminal() && format == Format::Human && work > 0).then(|| {
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
            color: format == Format::Human && stdout_shows_colours(),
            bar,
            github: GitHub::from_env(),
        }
    }

    /// What the engine is doing now, next to the bar.
    pub(crate) fn phase(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    /// Prints to standard output without tearing the progress bar.
    fn print(&self, text: &str) {
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
        let listing = &self.book.listings[index];
        if let (Some(_), Verdict::Failed(f)) = (&self.github, verdict) {
            let annotation = GitHub::annotation(&self.failed(listing, f));
            match self.format {
                Format::Human => self.print(&annotation),
                // Standard output holds JSON only.
                Format::Json => eprint!("{annotation}"),
            }
        }
        if self.format != Format::Human {
            return;
        }
        match verdict {
            Verdict::Failed(f) => self.print(&self.failure(listing, f)),
            Verdict::Passed(pass) if self.bar.is_none() => {
                let how = match pass {
                    Pass::Ran { .. } | Pass::Refused => "ok",
                    Pass::Cached => "ok (cached)",
                    Pass::CompiledOnly => "ok (compiled only)",
                };
                let chapter = &self.book.chapters[listing.chapter];
                self.print(&format!(
                    "{how:<20} {} ({}:{})\n",
                    listing.id, chapter.path, listing.line
                ));
            }
            _ => {}
        }
    }

    /// A failure as a terminal shows it: a diagnostic at its chapter line, its detail
    /// indented below, and the bless command when bless can fix it.
    fn failure(&self, listing: &Listing, f: &Failure) -> String {
        let chapter = &self.book.chapters[listing.chapter];
        let d = Diag::new(
            &chapter.path,
            &chapter.source,
            line_range(&chapter.source, f.line),
            format!("listing `{}` {}", listing.id, f.reason),
        )
        .label(format!("Listing {}-{}", chapter.label, listing.number));
        let mut text = d.render(self.color);
        for line in detail_text(&f.detail, Palette::new(self.color)).lines() {
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
        text
    }

    /// A failure as GitHub is told about it: plain text, at its chapter line.
    fn failed<'l>(&self, listing: &'l Listing, f: &'l Failure) -> Failed<'l>
    where
        'a: 'l,
    {
        let chapter = &self.book.chapters[listing.chapter];
        Failed {
            id: &listing.id,
            name: format!("Listing {}-{}", chapter.label, listing.number),
            path: &chapter.path,
            line: f.line,
            reason: &f.reason,
            detail: detail_text(&f.detail, Palette::PLAIN),
        }
    }

    /// Cargo failed for reasons of its own: its output, once.
    pub(crate) fn cargo_failed(&self, stderr: &str) {
        let lines: Vec<String> = stderr.lines().map(str::to_string).collect();
        let mut text = String::from("error: cargo failed; the last lines it printed:\n");
        for line in tail(&lines, 40).lines() {
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
        if let Some(github) = &self.github {
            let failures: Vec<Failed> = verdicts
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Verdict::Failed(f) => Some(self.failed(&self.book.listings[i], f)),
                    _ => None,
                })
                .collect();
            if let Err(e) = github.summarise(&line, &failures) {
                eprintln!("warning: {e:#}");
            }
        }
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
            Verdict::Passed(Pass::Ran { .. } | Pass::Refused) => ("passed", None, l.line, None),
            Verdict::Passed(Pass::Cached) => (
                "passed",
                Some("cached: unchanged since it last passed".into()),
                l.line,
                None,
            ),
            Verdict::Passed(Pass::CompiledOnly) => {
                ("passed", Some("compiled only (no_run)".into()), l.line, None)
            }
            Verdict::Failed(f) => (
                "failed",
                Some(f.reason.clone()),
                f.line,
                Some(detail_text(&f.detail, Palette::PLAIN)),
            ),
            Verdict::Skipped => ("skipped", Some("not selected".into()), l.line, None),
        };
        JsonVerdict {
            longest_run_ms: verdict.longest_run().map(|d| d.as_millis() as u64),
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

/// Whether standard output (where failures go) is a terminal that shows colours.
fn stdout_shows_colours() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
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

/// The escape codes a diff is drawn with: ANSI colours on a terminal, none anywhere else.
#[derive(Debug, Clone, Copy)]
struct Palette {
    /// Expected lines that found no printed line.
    expected: &'static str,
    /// Printed lines that nothing expected.
    printed: &'static str,
    /// Lines that matched, and the count of those left out.
    context: &'static str,
    reset: &'static str,
}

impl Palette {
    const PLAIN: Palette = Palette {
        expected: "",
        printed: "",
        context: "",
        reset: "",
    };
    const ANSI: Palette = Palette {
        expected: "\x1b[31m",
        printed: "\x1b[32m",
        context: "\x1b[2m",
        reset: "\x1b[0m",
    };

    fn new(color: bool) -> Palette {
        if color { Palette::ANSI } else { Palette::PLAIN }
    }
}

/// A failure's detail as text, with the palette's colours.
fn detail_text(detail: &Detail, palette: Palette) -> String {
    match detail {
        Detail::None => String::new(),
        Detail::Text(text) => text.clone(),
        Detail::Diff { diff, then } => render_diff(diff, palette) + then,
    }
}

/// Matching lines shown around each changed one; the rest are counted, not shown.
const CONTEXT: usize = 3;
/// How many characters of a line a diff shows.
const DIFF_CLIP: usize = 400;

/// A readable diff: `-` for expected lines (as written, patterns included) that found no
/// printed line, `+` for printed lines nothing expected, two spaces for lines that matched.
/// Long runs of matching lines are elided.
fn render_diff(diff: &Diff, palette: Palette) -> String {
    let rows = diff_rows(diff);
    let changed: Vec<bool> = rows.iter().map(|(mark, _)| *mark != ' ').collect();
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(rows.len());
        changed[lo..hi].iter().any(|&c| c)
    };
    let Palette {
        expected,
        printed,
        context,
        reset,
    } = palette;
    let mut out = format!("{expected}- expected{reset}  {printed}+ printed{reset}\n");
    let mut elided = 0;
    let elision = |n: usize| format!("{context}  ({n} matching lines){reset}\n");
    for (k, (mark, text)) in rows.iter().enumerate() {
        if !near_change(k) {
            elided += 1;
            continue;
        }
        if elided > 0 {
            out.push_str(&elision(elided));
            elided = 0;
        }
        let colour = match mark {
            '-' => expected,
            '+' => printed,
            _ => context,
        };
        out.push_str(&format!("{colour}{mark} {}{reset}\n", clip(text, DIFF_CLIP)));
    }
    if elided > 0 {
        out.push_str(&elision(elided));
    }
    if diff.printed.is_empty() {
        out.push_str("(the program printed nothing)\n");
    }
    out
}

/// The rows of a diff, in alignment order: a mark (`-`, `+` or a space) and the line.
fn diff_rows(diff: &Diff) -> Vec<(char, String)> {
    diff.ops
        .iter()
        .map(|op| match op {
            Op::Same(i, _) => (' ', diff.expected[*i].clone()),
            Op::Skipped(_, r) => (
                ' ',
                format!("... ({} line{})", r.len(), if r.len() == 1 { "" } else { "s" }),
            ),
            Op::Missing(i) => ('-', diff.expected[*i].clone()),
            Op::Marker(i) => (' ', diff.expected[*i].clone()),
            Op::Extra(j) => ('+', diff.printed[*j].clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::{Expected, Order};
    use crate::listings::matcher::compare;
    use crate::util::text::normalize_lines;

    /// The diff of `printed` against `expected`, as a failure would carry it.
    fn diff(expected: &str, printed: &str) -> Diff {
        let e = Expected::parse(expected).unwrap();
        let printed = normalize_lines(printed);
        let c = compare(&e, &printed, Order::Listed);
        assert!(!c.matched, "the test needs a mismatch");
        Diff::new(&e, printed, c)
    }

    #[test]
    fn diff_shows_patterns_as_written() {
        let diff = render_diff(
            &diff("id [N]\nresult: 42\n", "id 7\nresult: 43\n"),
            Palette::PLAIN,
        );
        assert!(diff.contains("  id [N]\n"), "{diff}");
        assert!(diff.contains("- result: 42\n"), "{diff}");
        assert!(diff.contains("+ result: 43\n"), "{diff}");
    }

    #[test]
    fn a_plain_diff_has_no_escape_codes_and_a_coloured_one_does() {
        let d = diff("same\nresult: 42\n", "same\nresult: 43\n");
        let plain = render_diff(&d, Palette::PLAIN);
        assert_eq!(
            plain,
            "- expected  + printed\n  same\n- result: 42\n+ result: 43\n"
        );
        let coloured = render_diff(&d, Palette::ANSI);
        assert!(coloured.contains("\x1b[31m- result: 42\x1b[0m\n"), "{coloured:?}");
        assert!(coloured.contains("\x1b[32m+ result: 43\x1b[0m\n"), "{coloured:?}");
    }

    #[test]
    fn long_runs_of_matching_lines_are_counted_not_shown() {
        let expected: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let printed = expected.replace("line 10\n", "line ten\n");
        let shown = render_diff(&diff(&expected, &printed), Palette::PLAIN);
        // Three lines of context on each side of the change, the rest counted.
        let want = "- expected  + printed\n  (6 matching lines)\n  line 7\n  line 8\n  line 9\n\
                    - line 10\n+ line ten\n  line 11\n  line 12\n  line 13\n  (7 matching lines)\n";
        assert_eq!(shown, want);
    }

    #[test]
    fn a_dots_line_shows_how_many_lines_it_took() {
        let shown = render_diff(
            &diff("start\n...\nend\n", "start\na\nb\nend\nmore\n"),
            Palette::PLAIN,
        );
        assert!(shown.contains("  ... (2 lines)\n"), "{shown}");
        assert!(shown.contains("+ more\n"), "{shown}");
        let one = render_diff(
            &diff("start\n...\nend\n", "start\na\nend\nmore\n"),
            Palette::PLAIN,
        );
        assert!(one.contains("  ... (1 line)\n"), "{one}");
    }

    #[test]
    fn a_dots_line_takes_what_it_can_rather_than_show_it_as_printed() {
        // `a a` could pair with printed lines 1 and 3 (leaving `b` unexplained) or 0 and 1
        // (the second `...` takes `b a`): the diff shows only what really differs.
        let shown = render_diff(&diff("...\na\na\n...\nz\n", "a\na\nb\na\ny\n"), Palette::PLAIN);
        assert!(!shown.contains("+ b"), "{shown}");
        assert!(shown.contains("  ... (2 lines)\n- z\n+ y\n"), "{shown}");
    }

    #[test]
    fn long_lines_are_clipped_and_an_empty_output_is_named() {
        let long = "x".repeat(DIFF_CLIP + 5);
        let shown = render_diff(&diff("short\n", &format!("{long}\n")), Palette::PLAIN);
        assert!(shown.contains("… (5 more characters)\n"), "{shown}");
        let nothing = render_diff(&diff("something\n", ""), Palette::PLAIN);
        assert!(
            nothing.ends_with("- something\n(the program printed nothing)\n"),
            "{nothing}"
        );
    }

    #[test]
    fn an_output_too_big_to_align_shows_every_expected_line_then_every_printed_one() {
        // 2001 × 2002 cells is past the matcher's limit: no line-by-line alignment.
        let expected: String = (0..2001).map(|n| format!("{n}\n")).collect();
        let printed = expected.replace("1000\n", "changed\n");
        let d = diff(&expected, &printed);
        let rows = diff_rows(&d);
        assert_eq!(rows.len(), 4002);
        assert!(rows[..2001].iter().all(|(mark, _)| *mark == '-'));
        assert!(rows[2001..].iter().all(|(mark, _)| *mark == '+'));
        assert_eq!(rows[2001 + 1000].1, "changed");
        // Whether it matched is still decided exactly.
        let e = Expected::parse(&expected).unwrap();
        assert!(compare(&e, &normalize_lines(&expected), Order::Listed).matched);
    }

    #[test]
    fn the_json_detail_of_a_mismatch_is_the_plain_diff_then_the_other_stream() {
        let d = diff("goodbye, world\n", "hello, world\n");
        let detail = Detail::Diff {
            diff: Box::new(d),
            then: "\nthe other stream (not checked by this block) printed:\nwarning".into(),
        };
        assert_eq!(
            detail_text(&detail, Palette::PLAIN),
            "- expected  + printed\n- goodbye, world\n+ hello, world\n\n\
             the other stream (not checked by this block) printed:\nwarning"
        );
        assert_eq!(detail_text(&Detail::None, Palette::ANSI), "");
        assert_eq!(detail_text(&Detail::Text("as is".into()), Palette::ANSI), "as is");
    }

    /// A book of one chapter with one listing whose output block is at line 7.
    fn one_listing_book() -> (tempfile::TempDir, Book) {
        crate::listings::book_of_one_chapter(
            "# One\n\n```rust listing=greet\nfn main() { println!(\"hello, world\"); }\n```\n\n```output\ngoodbye, world\n```\n",
        )
    }

    #[test]
    fn the_json_of_a_failing_run_has_the_plain_diff_its_line_and_its_longest_run() {
        let (_dir, book) = one_listing_book();
        let failure = Failure {
            longest_run: Some(Duration::from_millis(1234)),
            ..Failure::new(
                7,
                "printed something else",
                Detail::Diff {
                    diff: Box::new(diff("goodbye, world\n", "hello, world\n")),
                    then: String::new(),
                },
            )
        };
        let reporter = Reporter::new(&book, Format::Json, false, 1);
        let json = serde_json::to_value(reporter.json(0, &Verdict::Failed(failure))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "greet",
                "chapter": "src/one.md",
                "line": 7,
                "listing": "1-1",
                "verdict": "failed",
                "reason": "printed something else",
                "detail": "- expected  + printed\n- goodbye, world\n+ hello, world\n",
                "longest_run_ms": 1234,
            })
        );
        let passed = Verdict::Passed(Pass::Ran {
            longest: Duration::from_millis(5),
        });
        let json = serde_json::to_value(reporter.json(0, &passed)).unwrap();
        assert_eq!(json["longest_run_ms"], 5);
        assert_eq!(json["detail"], serde_json::Value::Null);
        let refused = serde_json::to_value(reporter.json(0, &Verdict::Passed(Pass::Refused))).unwrap();
        assert_eq!(refused["longest_run_ms"], serde_json::Value::Null);
    }

    #[test]
    fn a_failure_on_a_terminal_is_coloured_and_elsewhere_has_no_escape_codes() {
        let (_dir, book) = one_listing_book();
        let failure = Failure {
            bless: Some(crate::listings::verdict::Blessed {
                block: 0,
                lines: vec!["hello, world".into()],
            }),
            ..Failure::new(
                7,
                "printed something else",
                Detail::Diff {
                    diff: Box::new(diff("goodbye, world\n", "hello, world\n")),
                    then: String::new(),
                },
            )
        };
        let shown = |color: bool| {
            let reporter = Reporter {
                book: &book,
                format: Format::Human,
                color,
                bar: None,
                github: None,
            };
            reporter.failure(&book.listings[0], &failure)
        };
        let plain = shown(false);
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert!(plain.contains("src/one.md:7:1"), "{plain}");
        assert!(
            plain.contains("\n    - goodbye, world\n    + hello, world\n"),
            "the diff, indented under the diagnostic:\n{plain}"
        );
        assert!(
            plain.contains("cargo xtask test-listings greet --bless"),
            "{plain}"
        );
        let coloured = shown(true);
        assert!(
            coloured.contains("\x1b[31m- goodbye, world\x1b[0m"),
            "{coloured:?}"
        );
    }
}
