//! The book as every stage sees it: chapters, listings, and the runs each listing expects.
//!
//! The steps, in order: `load` reads `book.toml` and `SUMMARY.md`; `scan` finds each
//! chapter's code blocks; `parse` reads them into these values, with `attrs` (what each
//! attribute means) and `rules` (what a listing must obey), compiling every output block's
//! expectation once (`pattern`). Every later stage only reads the values. `recording` is the
//! store of what passing runs printed: the engine writes it, the renderer reads it. `code` holds the
//! hidden-line and callout rules the renderer shares. A mistake is a `Finding` until the
//! parser places it in a chapter as a `diag::Diag`. Nothing in this layer knows about cargo,
//! processes or HTML.

mod attrs;
mod code;
pub(crate) mod diag;
mod figure;
mod figure_data;
mod finding;
mod load;
mod parse;
pub(crate) mod pattern;
pub(crate) mod recording;
mod rules;
mod scan;
#[cfg(test)]
mod tests;

pub(crate) use code::{Syntax, extract_code, hidden_line, strip_callout};
pub use diag::report_error;
pub(crate) use figure::{Figure, FigureKind};
pub(crate) use figure_data::{FigureData, Grid, Lane, Series, figure_data};
pub(crate) use load::load;
pub(crate) use pattern::Expected;
pub(crate) use scan::{markdown_options, scan};

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A book: its root directory (where `book.toml` and the workspace `Cargo.toml` live), its
/// chapters in `SUMMARY.md` order, and every tested listing in reading order.
#[derive(Debug)]
pub(crate) struct Book {
    pub(crate) root: PathBuf,
    pub(crate) chapters: Vec<Chapter>,
    pub(crate) listings: Vec<Listing>,
    /// Every figure (`figure` block) in reading order.
    pub(crate) figures: Vec<Figure>,
    pub(crate) settings: Settings,
}

/// What `book.toml`'s `[preprocessor.listings]` table asks of the engine.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    /// `check-formatting = true`: a listing must be formatted as `cargo fmt` formats it.
    pub(crate) check_formatting: bool,
}

/// One Markdown file named by `SUMMARY.md`.
#[derive(Debug)]
pub(crate) struct Chapter {
    /// Relative to the book root, with forward slashes: `src/ch04-threads.md`.
    pub(crate) path: String,
    pub(crate) title: String,
    /// What listing numbers start with: `4` for chapter 4, `A` for the first appendix.
    pub(crate) label: String,
    /// The directory its listings are extracted to: `listings/<slug>/<id>/`.
    pub(crate) slug: String,
    pub(crate) source: Arc<str>,
    /// Every fenced code block of the chapter, in order, as the parser classified it.
    pub(crate) blocks: Vec<CodeBlock>,
}

/// A fenced code block of a chapter.
#[derive(Debug, Clone)]
pub(crate) struct CodeBlock {
    /// The whole block in the chapter, fences included.
    pub(crate) range: Range<usize>,
    pub(crate) kind: BlockKind,
}

/// What a code block is to the engine. Indexes are into [`Book::listings`] and a listing's
/// `files` and `outputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A file of a listing.
    Listing { listing: usize, file: usize },
    /// An output block of a listing.
    Output { listing: usize, block: usize },
    /// The standard input of an output block.
    Stdin { listing: usize, block: usize },
    /// A figure: a chart or table drawn from recorded runs, or a diagram.
    Figure { figure: usize },
    /// Not tested, shown as written: `console`, `text`, a block in another language.
    Other { lang: String, text: String },
}

/// A tested listing: one crate made of one or more code blocks with the same `listing=` id.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub(crate) id: String,
    /// Index into [`Book::chapters`].
    pub(crate) chapter: usize,
    /// Line of the first block's opening fence (1-based).
    pub(crate) line: usize,
    /// Position in its chapter, from 1: the `2` of "Listing 4-2".
    pub(crate) number: usize,
    pub(crate) caption: Option<String>,
    pub(crate) files: Vec<SourceFile>,
    pub(crate) compile_fail: bool,
    pub(crate) exclusive: bool,
    pub(crate) no_run: bool,
    pub(crate) tab: Option<String>,
    /// `base=ID`: an earlier listing this one changes; the page shows the lines added and
    /// removed against it. The parser checks that it exists and comes before.
    pub(crate) base: Option<String>,
    pub(crate) outputs: Vec<OutputBlock>,
}

impl Listing {
    /// The crate's directory relative to the book root: `listings/ch04-threads/spinner`.
    pub(crate) fn crate_dir(&self, book: &Book) -> String {
        format!("listings/{}/{}", book.chapters[self.chapter].slug, self.id)
    }

    /// The file holding `path` (relative to the crate), if a block of the listing gives it.
    pub(crate) fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The names of the binaries the crate builds, the default one (`src/main.rs`) first.
    pub(crate) fn binaries(&self) -> Vec<String> {
        let mut bins = Vec::new();
        if self.file("src/main.rs").is_some() {
            bins.push(self.id.clone());
        }
        for f in &self.files {
            if let Some(name) = f
                .path
                .strip_prefix("src/bin/")
                .and_then(|n| n.strip_suffix(".rs"))
            {
                bins.push(name.to_string());
            }
        }
        bins
    }
}

/// One code block of a listing: a file of its crate.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Relative to the crate: `src/main.rs`, `src/bin/worker.rs`, `Cargo.toml`.
    pub(crate) path: String,
    /// The block's language (`rust`, `toml`): what the renderer highlights it as.
    pub(crate) lang: String,
    /// Line of the opening fence (1-based). Line `n` of the extracted file is chapter line
    /// `line + n`: hidden lines are extracted and callout markers only shorten lines.
    pub(crate) line: usize,
    /// The block's text as written, hidden lines and callout markers included.
    pub(crate) raw: String,
    /// The text as compiled: hidden-line prefixes and callout markers removed.
    pub(crate) code: String,
}

/// Which of the program's streams an output block describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Both,
    Stdout,
    Stderr,
}

/// An `output` block: one expected run (or `runs` identical runs) of its listing.
#[derive(Debug, Clone)]
pub(crate) struct OutputBlock {
    /// Line of the opening fence (1-based).
    pub(crate) line: usize,
    /// Byte range in the chapter of the block's content lines, for bless to replace.
    pub(crate) content: Range<usize>,
    /// What precedes the fence on its line when the block sits in a list or a quote; bless
    /// prefixes every line it writes with it.
    pub(crate) indent: String,
    /// The expected output, compiled; its `text` is the block as written.
    pub(crate) expected: Expected,
    pub(crate) exit: i32,
    pub(crate) kill_after: Option<Duration>,
    pub(crate) timeout: Duration,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) stream: Stream,
    pub(crate) unordered: bool,
    pub(crate) runs: u32,
    pub(crate) bin: Option<String>,
    pub(crate) stdin: Option<String>,
    /// `compiler`: the block holds the compiler's warnings about the listing, not a run's
    /// output; it is never run.
    pub(crate) compiler: bool,
    /// `show-times`: readers see the block's arrival bounds (`[after 500ms]`), which are
    /// otherwise only checked.
    pub(crate) show_times: bool,
    /// `with="words.txt ..."`: files of the listing's crate copied into the run's empty
    /// working directory before it starts. The sandbox hides the crate itself, so this is
    /// how a listing reads a file of its own.
    pub(crate) with: Vec<String>,
}

/// Whether an output block's lines must come in the order the block lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// In the listed order, but for what sections let vary: the default.
    Listed,
    /// `unordered`: each line once, in any order.
    Any,
}

impl Order {
    /// `Any` for a block marked `unordered`.
    pub(crate) fn of(unordered: bool) -> Order {
        if unordered { Order::Any } else { Order::Listed }
    }
}

impl OutputBlock {
    /// Whether the block's lines must come as listed.
    pub(crate) fn order(&self) -> Order {
        Order::of(self.unordered)
    }

    /// Whether the block is a run's (not the compiler's warnings).
    pub(crate) fn is_run(&self) -> bool {
        !self.compiler
    }
}

/// The feature that turns on the binaries of a `compile_fail` listing. Off by default, so
/// `cargo build --workspace` never tries to compile code that must not compile.
pub(crate) const COMPILE_FAIL_FEATURE: &str = "compile-fail";

/// The limit a run gets when its output block does not say `timeout=`.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
