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
/// true), then the site and the ePub.
pub fn build(root: &Path, test: bool, out: Option<&Path>) -> Result<Exit> {
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
    render::render(Arc::new(book), out)?;
    let out = out.map_or_else(|| render::output_dir(root), Path::to_path_buf);
    println!(
        "rendered in {:.1?}: {} and {}",
        start.elapsed(),
        out.join("html/index.html").display(),
        out.join("epub").display()
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
    if let Err(e) = listings::sandbox::enter(parent, &program) {
        eprintln!("xtask supervisor: cannot sandbox the run: {e:#}");
        std::process::exit(listings::supervise::EXIT_CANNOT_START);
    }
    listings::supervise::supervise(parent, data_limit, nice, program, args)
}

/// `cargo xtask __sandbox-probe`: which layers of the run sandbox this kernel allows.
pub fn sandbox_probe() -> ! {
    listings::sandbox::probe_main()
}

/// The repository this xtask belongs to.
pub fn default_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}
