//! The book as every stage sees it: chapters, listings, and the runs each listing expects.
//!
//! `parse` builds these values from the Markdown; every later stage only reads them.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A book: its root directory (where `book.toml` and the workspace `Cargo.toml` live), its
/// chapters in `SUMMARY.md` order, and every tested listing in reading order.
#[derive(Debug)]
pub struct Book {
    pub root: PathBuf,
    pub chapters: Vec<Chapter>,
    pub listings: Vec<Listing>,
    pub settings: Settings,
}

/// What `book.toml`'s `[preprocessor.listings]` table asks of the engine.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `check-formatting = true`: a listing must be formatted as `cargo fmt` formats it.
    pub check_formatting: bool,
}

/// One Markdown file named by `SUMMARY.md`.
#[derive(Debug)]
pub struct Chapter {
    /// Relative to the book root, with forward slashes: `src/ch04-threads.md`.
    pub path: String,
    pub title: String,
    /// What listing numbers start with: `4` for chapter 4, `A` for the first appendix.
    pub label: String,
    /// The directory its listings are extracted to: `listings/<slug>/<id>/`.
    pub slug: String,
    pub source: Arc<str>,
}

/// A tested listing: one crate made of one or more code blocks with the same `listing=` id.
#[derive(Debug, Clone)]
pub struct Listing {
    pub id: String,
    /// Index into [`Book::chapters`].
    pub chapter: usize,
    /// Line of the first block's opening fence (1-based).
    pub line: usize,
    /// Position in its chapter, from 1: the `2` of "Listing 4-2".
    pub number: usize,
    pub caption: Option<String>,
    pub files: Vec<SourceFile>,
    pub compile_fail: bool,
    pub exclusive: bool,
    pub no_run: bool,
    pub tab: Option<String>,
    pub outputs: Vec<OutputBlock>,
}

impl Listing {
    /// The crate's directory relative to the book root: `listings/ch04-threads/spinner`.
    pub fn crate_dir(&self, book: &Book) -> String {
        format!("listings/{}/{}", book.chapters[self.chapter].slug, self.id)
    }

    /// The file holding `path` (relative to the crate), if a block of the listing gives it.
    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The names of the binaries the crate builds, the default one (`src/main.rs`) first.
    pub fn binaries(&self) -> Vec<String> {
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
pub struct SourceFile {
    /// Relative to the crate: `src/main.rs`, `src/bin/worker.rs`, `Cargo.toml`.
    pub path: String,
    /// The block's language (`rust`, `toml`): what the renderer highlights it as.
    pub lang: String,
    /// Line of the opening fence (1-based). Line `n` of the extracted file is chapter line
    /// `line + n`: hidden lines are extracted and callout markers only shorten lines.
    pub line: usize,
    /// The block's text as written, hidden lines and callout markers included.
    pub raw: String,
    /// The text as compiled: hidden-line prefixes and callout markers removed.
    pub code: String,
}

/// Which of the program's streams an output block describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Both,
    Stdout,
    Stderr,
}

/// An `output` block: one expected run (or `runs` identical runs) of its listing.
#[derive(Debug, Clone)]
pub struct OutputBlock {
    /// Line of the opening fence (1-based).
    pub line: usize,
    /// Byte range in the chapter of the block's content lines, for bless to replace.
    pub content: Range<usize>,
    /// What precedes the fence on its line when the block sits in a list or a quote; bless
    /// prefixes every line it writes with it.
    pub indent: String,
    /// The expected text, patterns included, as written.
    pub expected: String,
    pub exit: i32,
    pub kill_after: Option<Duration>,
    pub timeout: Duration,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stream: Stream,
    pub unordered: bool,
    pub runs: u32,
    pub bin: Option<String>,
    pub stdin: Option<String>,
}

/// The limit a run gets when its output block does not say `timeout=`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
