//! The book itself: `listings/` is what the chapters say, and every listing passes.

use std::process::Command;

fn repository() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn extracted_listings_are_up_to_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["extract", "--check"])
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
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["test-listings", "--no-progress", "--book"])
        .arg(repository())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert_eq!(out.status.code(), Some(0), "listings failed:\n{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("0 failed, 0 skipped"), "{last}");
}
