//! Verdicts: what the engine decided about each listing, and why a failure failed.
//!
//! A verdict is data, not text: a failure's detail keeps the lines of a mismatch and their
//! alignment, and the reporter decides how they look (colours or none, for the stream it
//! prints on; plain text in JSON).

use std::time::Duration;

use crate::book::Expected;
use crate::listings::matcher::{Comparison, Op};

/// The verdict on one listing.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    Passed(Pass),
    Failed(Failure),
    /// Not selected by the filters or the shard.
    Skipped,
}

impl Verdict {
    /// How long the listing's longest run took, when its output blocks ran to the end
    /// (`--format json` reports it; `cargo xtask bench` reads it there).
    pub(crate) fn longest_run(&self) -> Option<Duration> {
        match self {
            Verdict::Passed(Pass::Ran { longest }) => Some(*longest),
            Verdict::Failed(f) => f.longest_run,
            _ => None,
        }
    }
}

/// How a listing passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    /// Every run of every output block matched; `longest` is the longest of those runs.
    Ran { longest: Duration },
    /// `compile_fail`: the compiler refused it as its output block says.
    Refused,
    /// Passed before with the same key: neither built nor run.
    Cached,
    /// `no_run`: compiled, not run.
    CompiledOnly,
}

/// Why a listing failed.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// The chapter line the failure is about.
    pub(crate) line: usize,
    pub(crate) reason: String,
    pub(crate) detail: Detail,
    pub(crate) bless: Option<Blessed>,
    /// The longest of its runs, when the failure was found by running it.
    pub(crate) longest_run: Option<Duration>,
}

/// What explains a failure, beyond its one-line reason.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Detail {
    None,
    /// Plain text: the compiler's diagnostics, the last lines a run printed, rustfmt's diff.
    Text(String),
    /// What the output block expects against what was printed, then plain text (what the
    /// stream the block does not check printed), possibly empty.
    Diff {
        diff: Box<Diff>,
        then: String,
    },
}

/// A mismatch, line by line: enough to show it without the book or the matcher.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Diff {
    /// The output block's lines as the author wrote them, patterns included.
    pub(crate) expected: Vec<String>,
    /// What was printed, screened and normalised.
    pub(crate) printed: Vec<String>,
    /// The alignment of the two (indices into `expected` and `printed`).
    pub(crate) ops: Vec<Op>,
}

impl Diff {
    /// The diff of a comparison that did not match.
    pub(crate) fn new(expected: &Expected, printed: Vec<String>, comparison: Comparison) -> Diff {
        Diff {
            expected: expected
                .lines
                .iter()
                .map(|l| l.as_written().to_string())
                .collect(),
            printed,
            ops: comparison.ops,
        }
    }
}

/// A rewrite of one output block, from what was printed.
#[derive(Debug, Clone)]
pub(crate) struct Blessed {
    /// Index into `Listing::outputs`.
    pub(crate) block: usize,
    pub(crate) lines: Vec<String>,
}

impl Failure {
    /// A failure about chapter line `line` that bless cannot fix.
    pub(crate) fn new(line: usize, reason: impl Into<String>, detail: Detail) -> Failure {
        Failure {
            line,
            reason: reason.into(),
            detail,
            bless: None,
            longest_run: None,
        }
    }
}
