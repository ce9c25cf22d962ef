//! Propose: the output block `--bless --runs N` writes, from what N runs printed.
//!
//! What every run printed alike stays literal. A span that differed between runs becomes the
//! narrowest placeholder that matches every version of it (`[N]`, `[ELAPSED]`, `[ADDR]`,
//! else `[..]`); lines that came in a different order in different runs become an
//! `[any order]` section; a run of similar lines whose number differed becomes a
//! `[repeat M to N]` section with the numbers seen. Anything else that differed is `...`,
//! which the author should read and replace.

use std::sync::OnceLock;

use regex::Regex;

/// The block to write, from the printed lines of each run (at least one run).
pub(crate) fn propose(runs: &[Vec<String>]) -> Vec<String> {
    let first = &runs[0];
    if runs.iter().all(|r| r == first) {
        return first.clone();
    }
    // The lines all runs agree on, position by position, from each end.
    let shortest = runs.iter().map(Vec::len).min().unwrap_or(0);
    let head = (0..shortest)
        .take_while(|&i| merge_lines(runs.iter().map(|r| r[i].as_str())).is_some())
        .count();
    let tail = (0..shortest - head)
        .take_while(|&k| merge_lines(runs.iter().map(|r| r[r.len() - 1 - k].as_str())).is_some())
        .count();
    let mut out: Vec<String> = (0..head)
        .map(|i| merge_lines(runs.iter().map(|r| r[i].as_str())).expect("checked"))
        .collect();
    let middles: Vec<&[String]> = runs.iter().map(|r| &r[head..r.len() - tail]).collect();
    out.extend(middle(&middles));
    out.extend(
        (0..tail)
            .rev()
            .map(|k| merge_lines(runs.iter().map(|r| r[r.len() - 1 - k].as_str())).expect("checked")),
    );
    out
}

/// The lines for the part of the output where the runs differ by more than spans.
fn middle(middles: &[&[String]]) -> Vec<String> {
    if middles.iter().all(|m| m.is_empty()) {
        return Vec::new();
    }
    let sorted = |m: &[String]| {
        let mut v = m.to_vec();
        v.sort();
        v
    };
    let reference = sorted(middles[0]);
    if middles.iter().all(|m| sorted(m) == reference) {
        let mut out = vec!["[any order]".to_string()];
        out.extend(middles[0].iter().cloned());
        out.push("[end]".to_string());
        return out;
    }
    let every_line = middles.iter().flat_map(|m| m.iter().map(String::as_str));
    if let Some(line) = merge_lines(every_line) {
        let counts = middles.iter().map(|m| m.len());
        let (min, max) = (counts.clone().min().unwrap_or(0), counts.max().unwrap_or(0));
        return vec![format!("[repeat {min} to {max}]"), line, "[end]".to_string()];
    }
    vec!["...".to_string()]
}

/// One expected line matching every version of a line, if they differ only in spans: the
/// same words and punctuation around tokens that vary.
fn merge_lines<'a>(versions: impl Iterator<Item = &'a str>) -> Option<String> {
    let tokenized: Vec<Vec<&str>> = versions.map(tokens).collect();
    let n = tokenized[0].len();
    if tokenized.iter().any(|t| t.len() != n) {
        return None;
    }
    let mut out = String::new();
    let mut varied = 0;
    for k in 0..n {
        let column: Vec<&str> = tokenized.iter().map(|t| t[k]).collect();
        if column.iter().all(|c| *c == column[0]) {
            out.push_str(column[0]);
            continue;
        }
        // Words and punctuation that differ are the line itself differing, not a value.
        if column.iter().any(|c| !c.chars().any(|ch| ch.is_ascii_digit())) {
            return None;
        }
        varied += 1;
        let placeholder = placeholder(&column);
        if !(placeholder == "[..]" && out.ends_with("[..]")) {
            out.push_str(placeholder);
        }
    }
    (varied <= n / 2 || n == 1).then_some(out)
}

/// The narrowest pattern every value of a varying token matches.
fn placeholder(values: &[&str]) -> &'static str {
    static KINDS: OnceLock<[(Regex, &'static str); 3]> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        [
            (Regex::new(r"^-?[0-9]+$").unwrap(), "[N]"),
            (
                Regex::new(r"^[0-9]+(?:\.[0-9]+)?(?:ns|µs|us|ms|s|m)$").unwrap(),
                "[ELAPSED]",
            ),
            (Regex::new(r"^0x[0-9a-fA-F]+$").unwrap(), "[ADDR]"),
        ]
    });
    kinds
        .iter()
        .find(|(re, _)| values.iter().all(|v| re.is_match(v)))
        .map_or("[..]", |(_, p)| p)
}

/// A line split into tokens: runs of letters, digits, `.` and `µ` (so that `1.5ms` and
/// `0x7f` are one token each), and every other character on its own.
fn tokens(line: &str) -> Vec<&str> {
    let word = |c: char| c.is_alphanumeric() || c == '.' || c == 'µ' || c == '_';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (word(c), start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push(&line[s..i]);
                }
                start = None;
                out.push(&line[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Expected;
    use crate::book::Order;
    use crate::listings::matcher::compare;

    fn runs(texts: &[&str]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|t| crate::util::text::normalize_lines(t))
            .collect()
    }

    /// The proposal, checked against every run it came from.
    fn proposal(texts: &[&str]) -> Vec<String> {
        let runs = runs(texts);
        let proposed = propose(&runs);
        let e = Expected::parse(&proposed.join("\n")).unwrap();
        for r in &runs {
            assert!(
                compare(&e, r, Order::Listed).matched,
                "{proposed:?} against {r:?}"
            );
        }
        proposed
    }

    #[test]
    fn what_every_run_printed_alike_stays_literal() {
        assert_eq!(proposal(&["a\nb\n", "a\nb\n"]), ["a", "b"]);
    }

    #[test]
    fn spans_that_differ_become_the_narrowest_placeholder() {
        assert_eq!(
            proposal(&[
                "took 1.5ms for 10 items at 0x7f00\n",
                "took 12ms for 11 items at 0x8a10\n"
            ]),
            ["took [ELAPSED] for [N] items at [ADDR]"]
        );
        assert_eq!(proposal(&["id 3a\n", "id 4b\n"]), ["id [..]"]);
        assert_eq!(proposal(&["pid 41\nok\n", "pid 7\nok\n"]), ["pid [N]", "ok"]);
    }

    #[test]
    fn lines_in_another_order_become_an_any_order_section() {
        assert_eq!(
            proposal(&["start\nb\na\nend\n", "start\na\nb\nend\n"]),
            ["start", "[any order]", "b", "a", "[end]", "end"]
        );
    }

    #[test]
    fn a_varying_number_of_similar_lines_becomes_a_repeat_section() {
        assert_eq!(
            proposal(&[
                "start\ntick 1\nstop\n",
                "start\ntick 1\ntick 2\ntick 3\nstop\n",
                "start\nstop\n"
            ]),
            ["start", "[repeat 0 to 3]", "tick [N]", "[end]", "stop"]
        );
    }

    #[test]
    fn anything_else_that_differs_is_left_to_the_author() {
        assert_eq!(
            proposal(&["a\nred\nz\n", "a\ngreen\nblue\nz\n"]),
            ["a", "...", "z"]
        );
    }
}
