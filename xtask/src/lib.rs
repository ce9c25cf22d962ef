//! The book's tooling, behind `cargo xtask`. See ARCHITECTURE.md for the map.
//!
//! Layers, lowest first: `util` (files, text, hashes, processes), `book` (the model and its
//! parser), then `listings` (test-listings) and `render` (site and ePub), which know nothing
//! of each other, then `bench`, which measures both. A layer imports only the layers below
//! it; `tests/layering.rs` fails when one does not. The binary (`main.rs`) parses the command
//! line and calls the commands below.

#![warn(unreachable_pub)]

mod bench;
mod book;
mod exit;
mod listings;
mod render;
mod util;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

pub use bench::BenchOptions;
pub use exit::{Exit, report_error};
pub use listings::{Format, Options, Shard, default_jobs};

/// `cargo xtask test-listings`.
pub fn test_listings(root: &Path, opts: &Options) -> Result<Exit> {
    listings::test_listings(root, opts)
}

/// `cargo xtask extract [--check]`.
pub fn extract(root: &Path, check: bool) -> Result<Exit> {
    let book = book::load(root)?;
    listings::extract::command(&book, check)
}

/// `cargo xtask build`: the listings first (a book is only rendered when its badges are
/// true, and every output then has its recording), then the site and the ePub. Without the
/// test, outputs show the recordings already kept, and their pattern where there is none;
/// `require_recordings` makes that an error.
pub fn build(root: &Path, test: bool, out: Option<&Path>, require_recordings: bool) -> Result<Exit> {
    if test {
        let exit = listings::test_listings(root, &Options::every_listing())?;
        if exit != Exit::Ok {
            eprintln!(
                "not rendering: fix the listings first (or preview with `cargo xtask build --no-test`)"
            );
            return Ok(exit);
        }
    }
    let book = book::load(root)?;
    let start = std::time::Instant::now();
    let rendered = render::render(Arc::new(book), out)?;
    let out = out.map_or_else(|| render::output_dir(root), Path::to_path_buf);
    println!(
        "rendered in {:.1?}: {} and {}",
        start.elapsed(),
        out.join("html/index.html").display(),
        out.join("epub").display()
    );
    if let Some(note) = rendered.note() {
        eprintln!("{note}");
        if require_recordings {
            eprintln!("error: `--require-recordings`: every output must show a recorded run");
            return Ok(Exit::Failed);
        }
    }
    Ok(Exit::Ok)
}

/// `cargo xtask recordings export FILE`: what the listings printed when they passed, with
/// their verdicts, as one file (a CI shard's, for the job that renders the book).
pub fn export_recordings(root: &Path, file: &Path) -> Result<Exit> {
    let book = book::load(root)?;
    let n = book::recording::Recordings::load(&book)?.export(file)?;
    println!("exported {n} recordings to {}", file.display());
    Ok(Exit::Ok)
}

/// `cargo xtask recordings merge FILES...`: adds exported recordings to this book's, refusing
/// (and changing nothing) when one was made from another text of a listing.
pub fn merge_recordings(root: &Path, files: &[PathBuf]) -> Result<Exit> {
    let book = book::load(root)?;
    let mut recordings = book::recording::Recordings::load(&book)?;
    let n = recordings.merge(&book, files)?;
    recordings.save()?;
    let missing = recordings.missing(&book);
    println!(
        "merged {n} recordings from {} file{}; {missing} output block{} of the book without one",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if missing == 1 { "" } else { "s" },
    );
    Ok(Exit::Ok)
}

/// `cargo xtask serve`.
pub fn serve(root: &Path, port: u16) -> Result<Exit> {
    render::serve::serve(root, port)
}

/// `cargo xtask bench`.
pub fn bench(root: &Path, opts: &BenchOptions) -> Result<Exit> {
    bench::bench(root, opts)
}

/// `cargo xtask __supervise`: the process every listing runs under.
pub fn supervise(
    parent: i32,
    data_limit: u64,
    nice: i32,
    program: std::ffi::OsString,
    args: Vec<std::ffi::OsString>,
) -> ! {
    listings::supervise::supervise(parent, data_limit, nice, program, args)
}

/// The repository this xtask belongs to.
pub fn default_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}
