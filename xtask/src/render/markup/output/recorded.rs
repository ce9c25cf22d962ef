//! A recorded run as a reader sees it: the lines it printed, with what varies between runs
//! marked quietly (a dotted underline and a tooltip naming what the engine checks there; in
//! the ePub, whose readers show no tooltips, a sentence under the block says it), long runs
//! of lines under `...` folded (site) or cut (ePub), and for a measured listing the machine
//! the numbers come from.

use std::fmt::Write;

use super::Run;
use crate::book::pattern::PATTERNS;
use crate::book::pattern::sections::Directive;
use crate::book::recording::{Bracket, LineMark, Part, RecordedOutput};
use crate::render::html::escape;
use crate::render::markup::Target;

/// A run of more lines than this under `...` is folded (site) or cut (ePub).
const FOLD_OVER: usize = 8;
/// Of a folded run, the lines shown before the fold and after it.
const FOLD_HEAD: usize = 3;
const FOLD_TAIL: usize = 2;

/// The lines of a recorded run, each a `<span class="line">` ending in a newline, as the
/// expected lines are; `class` gives a line its diagnostic colour.
pub(super) fn lines(run: Run<'_>, target: Target, class: impl Fn(&str) -> &'static str) -> String {
    let output = run.output;
    let mut html = String::new();
    let mut brackets = output.brackets.iter().peekable();
    let mut at = 0;
    while at < output.lines.len() {
        while let Some(b) = brackets.next_if(|b| b.before <= at) {
            bracket(&mut html, b);
        }
        // A fold never hides where a section opens or closes.
        let next_bracket = brackets.peek().map_or(output.lines.len(), |b| b.before);
        let elided = elided_run(output, at).min(next_bracket - at);
        if elided > FOLD_OVER {
            let hidden = at + FOLD_HEAD..at + elided - FOLD_TAIL;
            for j in at..hidden.start {
                line(&mut html, run, j, class(&output.lines[j]));
            }
            fold(&mut html, run, hidden.clone(), target);
            for j in hidden.end..at + elided {
                line(&mut html, run, j, class(&output.lines[j]));
            }
            at += elided;
        } else {
            line(&mut html, run, at, class(&output.lines[at]));
            at += 1;
        }
    }
    brackets.for_each(|b| bracket(&mut html, b));
    html
}

/// Where a section opened or closed in this run: the bracket the pattern view shows there,
/// saying what the book checks about the lines it holds.
fn bracket(html: &mut String, bracket: &Bracket) {
    // A store written by hand could hold anything: what is not a directive is not shown.
    if let Some(Ok(directive)) = Directive::parse(&bracket.directive) {
        let _ = writeln!(
            html,
            "<span class=\"line\">{}</span>",
            super::section_mark(&directive)
        );
    }
}

/// How many lines from `at` on were taken by `...`.
fn elided_run(output: &RecordedOutput, at: usize) -> usize {
    output.marks[at..]
        .iter()
        .take_while(|m| **m == LineMark::Elided)
        .count()
}

/// Lines `hidden`, all under `...`: behind a `<details>` on the site, replaced by a line that
/// says how many in the ePub.
fn fold(html: &mut String, run: Run<'_>, hidden: std::ops::Range<usize>, target: Target) {
    let (n, across) = (hidden.len(), run.across);
    match target {
        Target::Site => {
            let _ = write!(
                html,
                "<details class=\"output-fold\"><summary>{n} more lines, which vary between {across}</summary>"
            );
            for j in hidden {
                line(html, run, j, "");
            }
            html.push_str("</details>");
        }
        Target::Epub => {
            let _ = writeln!(
                html,
                "<span class=\"line vary-cut\">[{n} more lines, which vary between {across}, are not shown]</span>"
            );
        }
    }
}

/// Printed line `j` as a reader sees it.
fn line(html: &mut String, run: Run<'_>, j: usize, class: &str) {
    let (text, across) = (&run.output.lines[j], run.across);
    match &run.output.marks[j] {
        LineMark::Fixed => {
            let _ = writeln!(html, "<span class=\"line{class}\">{}</span>", escape(text));
        }
        LineMark::Elided => {
            let _ = writeln!(
                html,
                "<span class=\"line vary-line{class}\" title=\"varies between {across}: the book checks nothing on this line\">{}</span>",
                escape(text)
            );
        }
        LineMark::Parts(parts) => {
            let _ = write!(html, "<span class=\"line{class}\">");
            let mut at = 0;
            for part in parts {
                // A part that does not fit the line (a store written by hand) shows as text.
                let (Some(before), Some(value)) = (text.get(at..part.start), text.get(part.start..part.end))
                else {
                    continue;
                };
                html.push_str(&escape(before));
                let _ = write!(
                    html,
                    "<span class=\"vary\" title=\"varies between {across}: the book checks {}\">{}</span>",
                    escape(checks(part)),
                    escape(value)
                );
                at = part.end;
            }
            html.push_str(&escape(text.get(at..).unwrap_or_default()));
            html.push_str("</span>\n");
        }
    }
}

/// What the engine checks where `part` is: the pattern table's words for it.
fn checks(part: &Part) -> &'static str {
    PATTERNS
        .iter()
        .find(|p| p.token == part.token)
        .map_or("a pattern", |p| p.checks)
}

/// What follows the lines: for a measured listing, where and when the run was made; in the
/// ePub, what varies, in words.
pub(super) fn notes(run: Run<'_>, exclusive: bool, target: Target) -> String {
    let mut html = String::new();
    if target == Target::Epub
        && let Some(words) = varies_in_words(run)
    {
        let _ = writeln!(html, "<p class=\"output-note\">{}</p>", escape(&words));
    }
    if exclusive && let Some(machine) = run.machine {
        let _ = writeln!(
            html,
            "<p class=\"output-machine\">Measured on {}. On another machine the numbers differ.</p>",
            escape(&machine.describe())
        );
    }
    html
}

/// "Underlined: what varies between runs (an integer, a duration); the lines may come in
/// another order." `None` when nothing varies.
fn varies_in_words(run: Run<'_>) -> Option<String> {
    let output = run.output;
    let mut what: Vec<&str> = Vec::new();
    for mark in &output.marks {
        match mark {
            LineMark::Fixed => {}
            LineMark::Elided => what.push("lines the book does not check"),
            LineMark::Parts(parts) => what.extend(parts.iter().map(checks)),
        }
    }
    let mut seen = std::collections::HashSet::new();
    what.retain(|w| seen.insert(*w));
    let mut words = String::new();
    if !what.is_empty() {
        let _ = write!(
            words,
            "Underlined: what varies between {} ({}).",
            run.across,
            what.join(", ")
        );
    }
    if output.unordered {
        words.push_str(if words.is_empty() { "" } else { " " });
        words.push_str("The lines may come in another order.");
    }
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(output: &RecordedOutput) -> Run<'_> {
        Run {
            output,
            machine: None,
            across: "runs",
        }
    }

    fn output(lines: &[&str], marks: Vec<LineMark>) -> RecordedOutput {
        RecordedOutput {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            marks,
            unordered: false,
            sections: false,
            brackets: Vec::new(),
        }
    }

    #[test]
    fn parts_are_marked_with_what_is_checked_and_the_rest_is_text() {
        let o = output(
            &["took 3ms <ok>"],
            vec![LineMark::Parts(vec![Part {
                start: 5,
                end: 8,
                token: "[ELAPSED]".into(),
            }])],
        );
        assert_eq!(
            lines(run(&o), Target::Site, |_| ""),
            "<span class=\"line\">took <span class=\"vary\" title=\"varies between runs: the book checks a duration\">3ms</span> &lt;ok&gt;</span>\n"
        );
    }

    /// A fixed line, then twenty under `...`.
    fn start_then_noise() -> RecordedOutput {
        let noise: Vec<String> = (0..20).map(|k| format!("noise {k}")).collect();
        let mut text = vec!["start"];
        text.extend(noise.iter().map(String::as_str));
        let mut marks = vec![LineMark::Fixed];
        marks.extend(std::iter::repeat_n(LineMark::Elided, 20));
        output(&text, marks)
    }

    #[test]
    fn long_elided_runs_fold_on_the_site_and_are_cut_in_the_epub() {
        let o = start_then_noise();
        let site = lines(run(&o), Target::Site, |_| "");
        assert!(
            site.contains("<details class=\"output-fold\"><summary>15 more lines"),
            "{site}"
        );
        assert!(site.contains("noise 9"), "folded lines are on the page: {site}");
        let epub = lines(run(&o), Target::Epub, |_| "");
        assert!(
            epub.contains("[15 more lines, which vary between runs, are not shown]"),
            "{epub}"
        );
        assert!(!epub.contains("noise 9") && epub.contains("noise 2") && epub.contains("noise 19"));
        assert!(!epub.contains("<details"));
    }

    #[test]
    fn sections_show_as_brackets_around_their_lines_and_are_never_folded_away() {
        let mut o = start_then_noise();
        o.sections = true;
        let bracket = |before, directive: &str| Bracket {
            before,
            directive: directive.into(),
        };
        o.brackets = vec![
            bracket(1, "[any order]"),
            bracket(5, "[end]"),
            bracket(21, "[optional]"),
            bracket(21, "[end]"),
        ];
        let site = lines(run(&o), Target::Site, |_| "");
        let shown: Vec<&str> = site.lines().collect();
        assert!(shown[1].contains("╭ in any order"), "{site}");
        assert!(
            shown[2].contains("noise 0") && shown[5].contains("noise 3"),
            "{site}"
        );
        assert!(shown[6].contains(">╰<"), "{site}");
        assert!(
            site.contains("<summary>11 more lines"),
            "the fold starts after the bracket: {site}"
        );
        assert!(shown[shown.len() - 2].contains("╭ may stop early"), "{site}");
        assert!(shown[shown.len() - 1].contains(">╰<"), "{site}");
        assert!(!site.contains('['), "no directive shows as written: {site}");
    }

    #[test]
    fn a_deterministic_run_needs_no_words() {
        let o = output(&["a"], vec![LineMark::Fixed]);
        assert_eq!(varies_in_words(run(&o)), None);
        let mut u = output(&["a"], vec![LineMark::Elided]);
        u.unordered = true;
        assert_eq!(
            varies_in_words(run(&u)).unwrap(),
            "Underlined: what varies between runs (lines the book does not check). The lines may come in another order."
        );
    }
}
