//! The output-block pattern language: what an expected line may hold besides literal text.
//!
//! One table says what each pattern is called, what it matches and what a reader sees in its
//! place; one tokenizer ([`segments`]) splits a line on it. The parser compiles every output
//! block once into an [`Expected`], and matching, diffs, bless and the rendered page all read
//! that compiled form.

use std::sync::OnceLock;

use regex::Regex;

pub(crate) mod sections;

use crate::util::text::normalize_lines;
use sections::{Directive, Item};

/// A pattern an expected line may hold.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// As written in the chapter: `[N]`.
    pub(crate) token: &'static str,
    /// What it matches, as a regex fragment.
    regex: &'static str,
    /// What a reader sees in its place on the rendered page.
    pub(crate) shown: &'static str,
    /// What the page's tooltip says is checked there.
    pub(crate) checks: &'static str,
}

/// Every pattern of the contract (`shared/design/listings.md`).
pub(crate) const PATTERNS: &[Pattern] = &[
    Pattern {
        token: "[..]",
        regex: ".*",
        shown: "…",
        checks: "any text",
    },
    Pattern {
        token: "[N]",
        regex: r"-?[0-9]+",
        shown: "n",
        checks: "an integer",
    },
    Pattern {
        token: "[ELAPSED]",
        regex: r"[0-9]+(?:\.[0-9]+)?(?:ns|µs|us|ms|s|m)",
        shown: "time",
        checks: "a duration",
    },
    Pattern {
        token: "[ADDR]",
        regex: r"0x[0-9a-fA-F]+",
        shown: "0x…",
        checks: "a hexadecimal address",
    },
];

/// A piece of an expected line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Segment<'a> {
    Text(&'a str),
    Pattern(&'static Pattern),
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.token == other.token
    }
}

/// Splits a line into literal text and patterns, in order; no segment is empty text.
pub(crate) fn segments(line: &str) -> impl Iterator<Item = Segment<'_>> {
    let mut rest = line;
    let mut pending: Option<&'static Pattern> = None;
    std::iter::from_fn(move || {
        if let Some(p) = pending.take() {
            return Some(Segment::Pattern(p));
        }
        if rest.is_empty() {
            return None;
        }
        let next = PATTERNS
            .iter()
            .filter_map(|p| rest.find(p.token).map(|i| (i, p)))
            .min_by_key(|(i, _)| *i);
        match next {
            Some((0, p)) => {
                rest = &rest[p.token.len()..];
                Some(Segment::Pattern(p))
            }
            Some((i, p)) => {
                let text = &rest[..i];
                rest = &rest[i + p.token.len()..];
                pending = Some(p);
                Some(Segment::Text(text))
            }
            None => {
                let text = rest;
                rest = "";
                Some(Segment::Text(text))
            }
        }
    })
}

/// One line of an output block.
#[derive(Debug, Clone)]
pub(crate) enum Line {
    /// Matched by equality.
    Literal(String),
    /// A line holding patterns, with the anchored regex it compiles to. The regex is built
    /// on first use: parsing a book compiles every block, matching uses few of them.
    Pattern(String, OnceLock<Regex>),
    /// `...`: any number of lines.
    Any,
    /// A line that opens or closes a section (`[any order]`, `[end]`, ...; see
    /// `sections`), as written: it stands for no printed line.
    Directive(Directive, String),
}

impl Line {
    /// The line as the chapter writes it.
    pub(crate) fn as_written(&self) -> &str {
        match self {
            Line::Literal(s) | Line::Pattern(s, _) | Line::Directive(_, s) => s,
            Line::Any => "...",
        }
    }

    /// Whether a printed (screened) line matches this one.
    pub(crate) fn matches(&self, printed: &str) -> bool {
        match self {
            Line::Literal(s) => s == printed,
            Line::Pattern(s, re) => re.get_or_init(|| line_regex(s)).is_match(printed),
            Line::Any => true,
            Line::Directive(..) => false,
        }
    }

    /// Where each pattern of the line matched in a printed line it matches, in order: the
    /// parts of the line that vary between runs. Empty for a literal line or `...`.
    pub(crate) fn parts(&self, printed: &str) -> Vec<(std::ops::Range<usize>, &'static Pattern)> {
        let Line::Pattern(s, re) = self else {
            return Vec::new();
        };
        let Some(caps) = re.get_or_init(|| line_regex(s)).captures(printed) else {
            return Vec::new();
        };
        let patterns = segments(s).filter_map(|seg| match seg {
            Segment::Pattern(p) => Some(p),
            Segment::Text(_) => None,
        });
        caps.iter()
            .skip(1)
            .zip(patterns)
            .filter_map(|(m, p)| m.map(|m| (m.range(), p)))
            .collect()
    }

    fn compile(line: &str) -> Result<Line, String> {
        Ok(if line == "..." {
            Line::Any
        } else if let Some(directive) = Directive::parse(line) {
            Line::Directive(directive?, line.to_string())
        } else if segments(line).any(|s| matches!(s, Segment::Pattern(_))) {
            Line::Pattern(line.to_string(), OnceLock::new())
        } else {
            Line::Literal(line.to_string())
        })
    }

    /// Whether the line holds a letter or digit outside its patterns.
    fn has_word(&self) -> bool {
        match self {
            Line::Literal(s) | Line::Pattern(s, _) => segments(s).any(|seg| match seg {
                Segment::Text(t) => t.chars().any(char::is_alphanumeric),
                Segment::Pattern(_) => false,
            }),
            Line::Any | Line::Directive(..) => false,
        }
    }
}

/// An output block, compiled: the text as written and its lines.
#[derive(Debug, Clone)]
pub(crate) struct Expected {
    /// As written in the chapter, patterns included.
    pub(crate) text: String,
    pub(crate) lines: Vec<Line>,
    /// The block's structure: its lines, `...` and sections, in order.
    pub(crate) items: Vec<Item>,
    /// The lower bounds on when lines arrived (`[after 500ms]`, `[after +200ms]` at the end
    /// of a line), by line; the line's text in `lines` is without them.
    pub(crate) arrivals: Vec<(usize, Arrival)>,
}

/// A lower bound on when a line arrives: robust on a loaded machine, where a line comes
/// late but never before the sleep that precedes it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Arrival {
    /// `[after 500ms]`: at least this long after the run started.
    SinceStart(std::time::Duration),
    /// `[after +200ms]`: at least this long after the line written before it in the block.
    SincePrevious(std::time::Duration),
}

impl Arrival {
    /// The annotation as written, with the space before it.
    pub(crate) fn written(&self) -> String {
        match self {
            Arrival::SinceStart(d) => format!(" [after {}]", millis(*d)),
            Arrival::SincePrevious(d) => format!(" [after +{}]", millis(*d)),
        }
    }
}

fn millis(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// A line without its arrival annotation, and the annotation.
fn split_arrival(line: &str) -> Result<(&str, Option<Arrival>), String> {
    let Some(at) = line.rfind(" [after ") else {
        return Ok((line, None));
    };
    let Some(spec) = line[at + " [after ".len()..].strip_suffix(']') else {
        return Ok((line, None));
    };
    let (gap, spec) = match spec.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let bad = || {
        format!(
            "malformed `[after {spec}]`: write `[after 500ms]` or `[after +2s]`, a lower bound on when the line arrives"
        )
    };
    let (number, scale) = if let Some(n) = spec.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = spec.strip_suffix('s') {
        (n, 1.0)
    } else {
        return Err(bad());
    };
    let secs: f64 = number.parse().map_err(|_| bad())?;
    if !(secs > 0.0 && secs * scale <= 3600.0) {
        return Err(bad());
    }
    let d = std::time::Duration::from_secs_f64(secs * scale);
    let arrival = if gap {
        Arrival::SincePrevious(d)
    } else {
        Arrival::SinceStart(d)
    };
    Ok((&line[..at], Some(arrival)))
}

impl Expected {
    /// Compiles a block. Rejects one that holds no literal word: a block that any output
    /// could satisfy checks nothing. An empty block is the strictest of all: nothing printed.
    pub(crate) fn parse(text: &str) -> Result<Expected, String> {
        let mut lines = Vec::new();
        let mut arrivals = Vec::new();
        for (i, written) in normalize_lines(text).iter().enumerate() {
            let (line, arrival) = split_arrival(written)?;
            if let Some(a) = arrival {
                arrivals.push((i, a));
            }
            lines.push(Line::compile(line)?);
        }
        if let Some((i, _)) = arrivals
            .iter()
            .find(|(i, _)| !matches!(lines[*i], Line::Literal(_) | Line::Pattern(..)))
        {
            return Err(format!(
                "line {}: only a line the program prints has an arrival time",
                i + 1
            ));
        }
        if !lines.is_empty() && !lines.iter().any(Line::has_word) {
            return Err(
                "this output block holds no literal word, so any output would match it: write at least one word the program prints"
                    .into(),
            );
        }
        let items = sections::items(&lines)?;
        Ok(Expected {
            text: text.to_string(),
            lines,
            items,
            arrivals,
        })
    }

    /// Line `i` as the chapter writes it, with its arrival annotation: what bless keeps.
    pub(crate) fn written(&self, i: usize) -> String {
        let mut s = self.lines[i].as_written().to_string();
        if let Some((_, a)) = self.arrivals.iter().find(|(l, _)| *l == i) {
            s.push_str(&a.written());
        }
        s
    }

    /// The arrival bound of line `i`, if it has one.
    pub(crate) fn arrival(&self, i: usize) -> Option<Arrival> {
        self.arrivals.iter().find(|(l, _)| *l == i).map(|(_, a)| *a)
    }

    /// Whether the block has sections (`[any order]`, `[interleaved by]`, `[optional]`,
    /// `[repeat]`), which only the section matcher reads.
    pub(crate) fn has_sections(&self) -> bool {
        sections::has_sections(&self.items)
    }

    /// The `Ennnn` codes of its `error[Ennnn]` lines: what a `compile_fail` listing expects.
    pub(crate) fn error_codes(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().filter_map(|l| error_code(l.as_written()))
    }
}

/// The anchored regex a line with patterns stands for; each pattern is a capture group, in
/// order, for [`Line::parts`].
fn line_regex(line: &str) -> Regex {
    Regex::new(&format!("^{}$", regex_source(line))).expect("patterns compile to valid regexes")
}

/// The regex of a part of a line (an interleaved section's key), found anywhere in a line.
/// Its `[..]` matches as little as it can, so that the key is the shortest text.
pub(crate) fn fragment_regex(text: &str) -> Regex {
    Regex::new(&regex_source(text).replace(".*", ".*?")).expect("patterns compile to valid regexes")
}

fn regex_source(line: &str) -> String {
    let mut re = String::new();
    for seg in segments(line) {
        match seg {
            Segment::Text(t) => re.push_str(&regex::escape(t)),
            Segment::Pattern(p) => {
                re.push('(');
                re.push_str(p.regex);
                re.push(')');
            }
        }
    }
    re
}

/// The `Ennnn` of an `error[Ennnn]` line.
pub(crate) fn error_code(line: &str) -> Option<&str> {
    let start = line.find("error[E")? + "error[".len();
    let end = start + line[start..].find(']')?;
    let code = &line[start..end];
    (code.len() == 5 && code[1..].chars().all(|c| c.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_on_every_pattern() {
        let tokens: Vec<String> = segments("a[N]b[..][ELAPSED] c[ADDR]")
            .map(|s| match s {
                Segment::Text(t) => format!("'{t}'"),
                Segment::Pattern(p) => p.token.to_string(),
            })
            .collect();
        assert_eq!(
            tokens,
            ["'a'", "[N]", "'b'", "[..]", "[ELAPSED]", "' c'", "[ADDR]"]
        );
        assert_eq!(segments("").count(), 0);
        assert_eq!(segments("[N]").count(), 1);
    }

    #[test]
    fn every_pattern_is_a_pattern_line() {
        for p in PATTERNS {
            let line = Line::compile(&format!("x {}", p.token)).unwrap();
            assert!(matches!(line, Line::Pattern(..)), "{}", p.token);
        }
    }

    #[test]
    fn parts_are_where_each_pattern_matched() {
        let line = Line::compile("took [ELAPSED] for [N] items at [ADDR]: [..]").unwrap();
        let printed = "took 1.5ms for 42 items at 0xff: done";
        let parts: Vec<(&str, &str)> = line
            .parts(printed)
            .into_iter()
            .map(|(r, p)| (&printed[r], p.token))
            .collect();
        assert_eq!(
            parts,
            [
                ("1.5ms", "[ELAPSED]"),
                ("42", "[N]"),
                ("0xff", "[ADDR]"),
                ("done", "[..]")
            ]
        );
        assert!(Line::compile("n [N]").unwrap().parts("n x").is_empty());
        assert!(Line::compile("plain").unwrap().parts("plain").is_empty());
    }

    #[test]
    fn vacuous_blocks_are_rejected() {
        for vacuous in [
            "...\n",
            "[..]\n",
            "[N]\n[ELAPSED]\n...\n",
            "[ADDR] = [N]\n",
            "  ...\n",
        ] {
            assert!(Expected::parse(vacuous).is_err(), "{vacuous:?}");
        }
        for fine in ["[N] primes\n", "ok\n", "...\nerror[E0373]: [..]\n"] {
            assert!(Expected::parse(fine).is_ok(), "{fine:?}");
        }
        // Nothing printed is an expectation, the strictest there is.
        for empty in ["", "\n\n"] {
            assert!(Expected::parse(empty).unwrap().lines.is_empty(), "{empty:?}");
        }
    }

    #[test]
    fn error_codes() {
        assert_eq!(error_code("error[E0373]: closure may outlive"), Some("E0373"));
        assert_eq!(error_code("error: aborting"), None);
        assert_eq!(error_code("error[E03]: x"), None);
    }
}
