//! The book itself: `listings/` is what the chapters say, and every listing passes.
//!
//! Neither test writes into the working tree, so they pass or fail alike in any order, run
//! together or alone: the first only reads the repository, the second runs the engine on a
//! copy of the book (`test-listings` extracts every listing into the book it is given).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn extracted_listings_are_up_to_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["extract", "--check", "--book"])
        .arg(repository())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "run `cargo xtask extract` and commit listings/:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_listing_of_the_book_passes() {
    let book = copy_of_the_book();
    let engine = common::Engine {
        target: Some(target_dir()),
        ..common::Engine::default()
    };
    let out = book
        .command_with(&["test-listings", "--no-progress"], &engine)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert_eq!(out.status.code(), Some(0), "listings failed:\n{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("0 failed, 0 skipped"), "{last}");
}

/// A copy of what `test-listings` reads, in a temporary directory: the chapters and
/// `book.toml`; the workspace (`Cargo.toml`, `Cargo.lock`, `.cargo/`); `listings/` (the
/// extracted crates and their rustfmt settings); and the xtask crate's manifest and sources,
/// because the workspace names it as a member and cargo loads every member. The files that
/// key the engine's cache are copied unchanged, so a cache the repository's runs filled still
/// applies.
fn copy_of_the_book() -> common::Book {
    let repo = repository();
    let dir = tempfile::Builder::new()
        .prefix("xtask-the-book-")
        .tempdir()
        .unwrap();
    for file in [
        "book.toml",
        "Cargo.toml",
        "Cargo.lock",
        "rustfmt.toml",
        "xtask/Cargo.toml",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo.join(file), &to).unwrap_or_else(|e| panic!("copying {file}: {e}"));
    }
    for sub in ["src", "listings", ".cargo", "xtask/src"] {
        if repo.join(sub).exists() {
            common::copy_tree(&repo.join(sub), &dir.path().join(sub));
        }
    }
    common::Book { dir }
}

/// The repository's target directory (`CARGO_TARGET_DIR`, as the engine reads it, or
/// `target/`): the copy builds there, with what earlier builds left.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repository().join(dir),
        None => repository().join("target"),
    }
}
