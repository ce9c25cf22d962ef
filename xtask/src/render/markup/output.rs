//! Output blocks as a terminal shows them: the command a reader types, badges for what the
//! engine checked, and what a run printed ([`recorded`]), with its varying parts marked
//! quietly. Without a recording, the expected lines, with "differs between runs" marks where
//! the chapter wrote patterns.

mod recorded;

use std::fmt::Write;

use super::Target;
use crate::book::pattern::sections::Directive;
use crate::book::pattern::{Arrival, Line, Pattern, Segment, segments};
use crate::book::recording::{Machine, RecordedOutput};
use crate::book::{Listing, OutputBlock, Stream};
use crate::render::html::{Tone, badge, escape};

/// What a recorded run of an output block brings to its page.
#[derive(Clone, Copy)]
pub(super) struct Run<'a> {
    pub(super) output: &'a RecordedOutput,
    /// Where and when it was made.
    pub(super) machine: Option<&'a Machine>,
    /// What the varying parts vary across: `runs`, or `compiler versions` for what a
    /// `compile_fail` listing's compiler printed.
    pub(super) across: &'static str,
}

/// An output block as a terminal shows it, with the command that produces it and badges for
/// what was checked: what `run` printed when there is one, else the block as expected.
pub(super) fn output_block(listing: &Listing, index: usize, run: Option<Run<'_>>, target: Target) -> String {
    let block = &listing.outputs[index];
    let mut html = format!(
        "<div class=\"listing-output\" data-listing=\"{}\">\n<div class=\"output-header\"><code class=\"output-command\">$ {}</code>",
        listing.id,
        escape(&command(listing, block))
    );
    for (text, tone) in badges(listing, block) {
        html.push_str(&badge(&text, tone));
    }
    let compiler = listing.compile_fail || block.compiler;
    html.push_str("</div>\n<pre class=\"output-text\"");
    if run.is_some_and(|r| r.output.unordered) {
        html.push_str(
            " title=\"these lines came in this order in this run; the book checks them in any order\"",
        );
    } else if run.is_some_and(|r| r.output.sections) {
        html.push_str(
            " title=\"this is this run's order; some of these lines may come in another order, or not at all, in another run\"",
        );
    }
    html.push_str("><code class=\"nohighlight\">");
    match run {
        Some(run) => {
            html.push_str(&recorded::lines(run, target, |l| diagnostic_class(compiler, l)));
        }
        None => {
            for (i, line) in block.expected.lines.iter().enumerate() {
                let when = match block.expected.arrival(i) {
                    Some(arrival) if block.show_times => arrival_mark(arrival),
                    _ => String::new(),
                };
                let text = match line {
                    Line::Literal(s) | Line::Pattern(s, _) => s.as_str(),
                    Line::Any | Line::Directive(..) => "",
                };
                let _ = writeln!(
                    html,
                    "<span class=\"line{}\">{}{when}</span>",
                    diagnostic_class(compiler, text),
                    expected_line(line)
                );
            }
        }
    }
    if block.expected.lines.is_empty() {
        // An empty block is checked: the program prints nothing. Say so, not a blank box.
        html.push_str("<span class=\"line output-nothing\">(prints nothing)</span>\n");
    }
    html.push_str("</code></pre>\n");
    if let Some(run) = run {
        html.push_str(&recorded::notes(run, listing.exclusive, target));
    }
    html.push_str("</div>");
    html
}

/// The standard input an output block's run was given.
pub(super) fn stdin_block(text: &str) -> String {
    let mut html = String::from(
        "<div class=\"listing-stdin\">\n<div class=\"output-header\"><span class=\"output-label\">standard input</span></div>\n<pre class=\"output-text\"><code class=\"nohighlight\">",
    );
    for line in text.lines() {
        let _ = writeln!(html, "<span class=\"line\">{}</span>", escape(line));
    }
    html.push_str("</code></pre>\n</div>");
    html
}

/// The class that colours a compiler's `error` and `warning` lines, as a terminal would.
fn diagnostic_class(compiler: bool, s: &str) -> &'static str {
    if !compiler {
        ""
    } else if s.starts_with("error") {
        " diag-error"
    } else if s.starts_with("warning") {
        " diag-warning"
    } else {
        ""
    }
}

/// The command a reader types to see this output.
fn command(listing: &Listing, block: &OutputBlock) -> String {
    if block.compiler {
        return format!("cargo build -p {}", listing.id);
    }
    if listing.compile_fail {
        return format!(
            "cargo build -p {} --features {}",
            listing.id,
            crate::book::COMPILE_FAIL_FEATURE
        );
    }
    let mut cmd = String::new();
    for (k, v) in &block.env {
        let _ = write!(cmd, "{k}={} ", shell_word(v));
    }
    let _ = write!(cmd, "cargo run -p {}", listing.id);
    if let Some(bin) = &block.bin
        && bin != &listing.id
    {
        let _ = write!(cmd, " --bin {bin}");
    }
    if !block.args.is_empty() {
        cmd.push_str(" --");
        for a in &block.args {
            cmd.push(' ');
            cmd.push_str(&shell_word(a));
        }
    }
    match block.stream {
        Stream::Stdout => cmd.push_str(" 2>/dev/null"),
        Stream::Stderr => cmd.push_str(" >/dev/null"),
        Stream::Both => {}
    }
    cmd
}

/// `s` as a shell reads it back: bare when it is safe, else single-quoted.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Badges for what the engine checked about this run.
fn badges(listing: &Listing, block: &OutputBlock) -> Vec<(String, Tone)> {
    let mut b = Vec::new();
    if block.compiler {
        b.push(("compiles with warnings".to_string(), Tone::Warn));
    } else if listing.compile_fail {
        b.push(("does not compile".to_string(), Tone::Error));
    } else if let Some(k) = block.kill_after {
        b.push((
            format!("still running after {}: stopped", human_duration(k)),
            Tone::Warn,
        ));
    } else if block.exit == 101 {
        b.push(("panics (exit status 101)".to_string(), Tone::Error));
    } else if block.exit != 0 {
        b.push((format!("exit status {}", block.exit), Tone::Error));
    }
    if block.unordered {
        b.push(("lines in any order".to_string(), Tone::Info));
    }
    if block.runs > 1 {
        b.push((format!("same output in {} runs", block.runs), Tone::Info));
    }
    if listing.exclusive {
        b.push(("measured alone".to_string(), Tone::Info));
    }
    b
}

fn human_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// An expected line for readers: patterns become "differs between runs" marks.
fn expected_line(line: &Line) -> String {
    match line {
        Line::Literal(s) => escape(s),
        Line::Any => varies(Varies::Lines),
        Line::Directive(d, _) => section_mark(d),
        Line::Pattern(s, _) => segments(s)
            .map(|segment| match segment {
                Segment::Text(t) => escape(t),
                Segment::Pattern(p) => varies(Varies::Part(p)),
            })
            .collect(),
    }
}

/// Where a section of the block opens or closes: a bracket in the margin, saying what is
/// checked about the lines it holds.
fn section_mark(directive: &Directive) -> String {
    let (shown, title) = match directive {
        Directive::AnyOrder => (
            "╭ in any order".to_string(),
            "the lines down to ╰ come in any order".to_string(),
        ),
        Directive::Interleaved(key) => {
            let key: String = segments(key)
                .map(|s| match s {
                    Segment::Text(t) => t.to_string(),
                    Segment::Pattern(p) => p.shown.to_string(),
                })
                .collect();
            (
                format!("╭ interleaved, in order for each {key}"),
                format!(
                    "the lines down to ╰ keep their order for each {key}; those of different ones interleave differently from run to run"
                ),
            )
        }
        Directive::Optional => (
            "╭ may stop early".to_string(),
            "the lines down to ╰ come in this order, but a run may stop printing them anywhere".to_string(),
        ),
        Directive::Repeat(m, n) => (
            format!("╭ {m} to {n} times"),
            format!("the lines down to ╰ come {m} to {n} times"),
        ),
        Directive::End => ("╰".to_string(), "end of the section".to_string()),
    };
    format!(
        "<span class=\"varies varies-section\" title=\"{}\">{}</span>",
        escape(&title),
        escape(&shown)
    )
}

/// When a line arrives, for a block that shows its times (`show-times`): a lower bound.
fn arrival_mark(arrival: Arrival) -> String {
    let (shown, title) = match arrival {
        Arrival::SinceStart(d) => (
            format!("  ⏱ after {:.1} s", d.as_secs_f64()),
            "printed no earlier than this after the start",
        ),
        Arrival::SincePrevious(d) => (
            format!("  ⏱ +{:.1} s", d.as_secs_f64()),
            "printed no earlier than this after the line before",
        ),
    };
    format!(
        "<span class=\"varies varies-time\" title=\"{title}\">{}</span>",
        escape(&shown)
    )
}

/// What of an output differs between runs.
#[derive(Clone, Copy)]
enum Varies {
    /// `...`: any number of lines.
    Lines,
    /// A pattern within a line.
    Part(&'static Pattern),
}

/// The mark a reader sees where an output differs between runs: a short stand-in, and a
/// tooltip that says what the engine checks there.
fn varies(what: Varies) -> String {
    let (class, title, shown) = match what {
        Varies::Lines => (
            "varies varies-lines",
            "more lines here, which differ between runs".to_string(),
            "⋮",
        ),
        Varies::Part(p) => ("varies", format!("differs between runs: {}", p.checks), p.shown),
    };
    format!(
        "<span class=\"{class}\" title=\"{}\">{}</span>",
        escape(&title),
        escape(shown)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_become_marks() {
        let e = crate::book::Expected::parse("took [ELAPSED] for [N] items <ok>\n...\n").unwrap();
        let shown: Vec<String> = e.lines.iter().map(expected_line).collect();
        assert!(
            shown[0].starts_with("took <span class=\"varies\""),
            "{}",
            shown[0]
        );
        assert!(shown[0].contains("&lt;ok&gt;"));
        assert!(!shown.join("").contains("[N]") && !shown.join("").contains("..."));
    }

    #[test]
    fn sections_are_brackets_that_say_what_is_checked() {
        let e = crate::book::Expected::parse(
            "[interleaved by worker [N]]\nworker 1: go\n[optional]\nworker 2: go\n[end]\n[end]\n[repeat 0 to 9]\ntick\n[end]\n[any order]\na\nb\n[end]\n",
        )
        .unwrap();
        let shown: Vec<String> = e.lines.iter().map(expected_line).collect();
        assert!(
            shown[0].contains("╭ interleaved, in order for each worker n"),
            "{}",
            shown[0]
        );
        assert!(shown[2].contains("╭ may stop early"), "{}", shown[2]);
        assert!(shown[4].contains(">╰<"), "{}", shown[4]);
        assert!(shown[6].contains("╭ 0 to 9 times"), "{}", shown[6]);
        assert!(shown[9].contains("╭ in any order"), "{}", shown[9]);
        assert!(!shown.join("").contains('['), "no directive shows as written");
    }

    #[test]
    fn every_mark_shows_the_pattern_table_s_stand_in_and_what_is_checked() {
        for p in crate::book::pattern::PATTERNS {
            let e = crate::book::Expected::parse(&format!("a {} b\n", p.token)).unwrap();
            assert_eq!(
                expected_line(&e.lines[0]),
                format!(
                    "a <span class=\"varies\" title=\"differs between runs: {}\">{}</span> b",
                    p.checks, p.shown
                ),
                "{}",
                p.token
            );
        }
        let e = crate::book::Expected::parse("a\n...\n").unwrap();
        assert_eq!(
            expected_line(&e.lines[1]),
            "<span class=\"varies varies-lines\" title=\"more lines here, which differ between runs\">⋮</span>"
        );
    }
}
