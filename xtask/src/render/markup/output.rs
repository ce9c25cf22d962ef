//! Output blocks as a terminal shows them: the command a reader types, badges for what the
//! engine checked, and what a run printed ([`recorded`]), with its varying parts marked
//! quietly. Without a recording, the expected lines, with "differs between runs" marks where
//! the chapter wrote patterns.

mod recorded;

use std::fmt::Write;

use super::Target;
use crate::book::pattern::{Line, Pattern, Segment, segments};
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
    html.push_str("</div>\n<pre class=\"output-text\"");
    if run.is_some_and(|r| r.output.unordered) {
        html.push_str(
            " title=\"these lines came in this order in this run; the book checks them in any order\"",
        );
    }
    html.push_str("><code class=\"nohighlight\">");
    match run {
        Some(run) => {
            html.push_str(&recorded::lines(run, target, |l| diagnostic_class(listing, l)));
        }
        None => {
            for line in &block.expected.lines {
                let _ = writeln!(
                    html,
                    "<span class=\"line{}\">{}</span>",
                    diagnostic_class(listing, line.as_written()),
                    expected_line(line)
                );
            }
        }
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
fn diagnostic_class(listing: &Listing, s: &str) -> &'static str {
    if !listing.compile_fail {
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
    if listing.compile_fail {
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
        Line::Pattern(s, _) => segments(s)
            .map(|segment| match segment {
                Segment::Text(t) => escape(t),
                Segment::Pattern(p) => varies(Varies::Part(p)),
            })
            .collect(),
    }
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
