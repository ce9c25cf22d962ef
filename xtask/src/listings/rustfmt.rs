//! The formatting check: listings must be formatted as `cargo fmt` formats them (with
//! `listings/rustfmt.toml`), since readers copy this code and the repository is `cargo fmt`
//! clean. One rustfmt process checks every selected file, beside the build.

use std::collections::HashMap;
use std::fmt::Write;

use anyhow::{Context, Result};

use crate::book::Book;
use crate::listings::verdict::Failure;

/// What rustfmt must check: each Rust file of the selected listings, with what a failure
/// needs to point into the chapter. Owned, so the check can run beside the build.
pub(crate) struct FormatInputs {
    /// Absolute path → (listing index, the file's fence line, the file's path in the crate).
    owners: HashMap<std::path::PathBuf, (usize, usize, String)>,
}

/// The files of `selected` that [`run_rustfmt`] checks.
pub(crate) fn formatting_inputs(book: &Book, selected: &[usize]) -> Result<FormatInputs> {
    let root = book
        .root
        .canonicalize()
        .with_context(|| format!("resolving {}", book.root.display()))?;
    let mut owners = HashMap::new();
    for &i in selected {
        let l = &book.listings[i];
        for file in &l.files {
            if file.path.ends_with(".rs") {
                owners.insert(
                    root.join(l.crate_dir(book)).join(&file.path),
                    (i, file.line, file.path.clone()),
                );
            }
        }
    }
    Ok(FormatInputs { owners })
}

/// Listings whose Rust files are not formatted as `cargo fmt` formats them (with
/// `listings/rustfmt.toml`), each with rustfmt's diff. One rustfmt process checks every
/// file. Readers copy this code, and the repository must be `cargo fmt` clean.
pub(crate) fn run_rustfmt(inputs: FormatInputs) -> Result<HashMap<usize, Failure>> {
    let owners = inputs.owners;
    if owners.is_empty() {
        return Ok(HashMap::new());
    }
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let out = std::process::Command::new(rustfmt)
        .args(["--check", "--color", "never", "--edition", "2024"])
        .args(owners.keys())
        .output()
        .context("cannot run rustfmt; install it with `rustup component add rustfmt`")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // "Diff in /path/src/main.rs:12:" starts each hunk.
    let mut hunks: Vec<(std::path::PathBuf, usize, String)> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("Diff in ")
            && let Some((path, at)) = rest.trim_end_matches(':').rsplit_once(':')
        {
            hunks.push((path.into(), at.parse().unwrap_or(1), String::new()));
        } else if let Some((_, _, text)) = hunks.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    let mut failures: HashMap<usize, Failure> = HashMap::new();
    for (path, at, text) in hunks {
        let Some((i, fence, file_path)) = owners.get(&path) else {
            continue;
        };
        let entry = failures.entry(*i).or_insert_with(|| {
            Failure::new(
                fence + at,
                "is not formatted as `cargo fmt` formats it (see listings/rustfmt.toml)",
                String::new(),
            )
        });
        let _ = writeln!(
            entry.detail,
            "{file_path} line {at} (chapter line {}):\n{text}",
            fence + at
        );
    }
    for f in failures.values_mut() {
        f.detail.push_str("apply the `+` lines to the code block in the chapter (keep its `# ` hidden lines and `// <1>` callouts)");
    }
    Ok(failures)
}
