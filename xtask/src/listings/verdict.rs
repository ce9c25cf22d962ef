//! Verdicts: what the engine decided about each listing, and why a failure failed.

/// The verdict on one listing.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    Passed(Pass),
    Failed(Failure),
    /// Not selected by the filters or the shard.
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    Ran,
    /// Passed before with the same key: neither built nor run.
    Cached,
    /// `no_run`: compiled, not run.
    CompiledOnly,
}

/// Why a listing failed.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// The chapter line the failure is about.
    pub line: usize,
    pub reason: String,
    pub detail: String,
    pub bless: Option<Blessed>,
}

/// A rewrite of one output block, from what was printed.
#[derive(Debug, Clone)]
pub(crate) struct Blessed {
    /// Index into `Listing::outputs`.
    pub block: usize,
    pub lines: Vec<String>,
}

impl Failure {
    /// A failure about chapter line `line` that bless cannot fix.
    pub(crate) fn new(line: usize, reason: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure {
            line,
            reason: reason.into(),
            detail: detail.into(),
            bless: None,
        }
    }
}
