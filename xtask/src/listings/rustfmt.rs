//! The formatting check: listings must be formatted as `cargo fmt` formats them (with
//! `listings/rustfmt.toml`), since readers copy this code and the repository is `cargo fmt`
//! clean. One rustfmt process checks every selected file, beside the build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::book::Book;
use crate::listings::verdict::{Detail, Failure};

/// What rustfmt must check: each Rust file of the selected listings, with what a failure
/// needs to point into the chapter. Owned, so the check can run beside the build.
pub(crate) struct FormatInputs {
    /// Absolute path → (listing index, the file's fence line, the file's path in the crate).
    owners: HashMap<PathBuf, (usize, usize, String)>,
}

/// The files of `selected` that [`run_rustfmt`] checks; `root` is the book's root, made
/// absolute (rustfmt names the files it reports by the paths it was given).
pub(crate) fn formatting_inputs(book: &Book, root: &Path, selected: &[usize]) -> FormatInputs {
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
    FormatInputs { owners }
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
    // Each listing's hunks, in the order rustfmt printed them; its first sets the line.
    let mut found: HashMap<usize, (usize, String)> = HashMap::new();
    for hunk in hunks(&String::from_utf8_lossy(&out.stdout)) {
        let Some((i, fence, file_path)) = owners.get(&hunk.path) else {
            continue;
        };
        let line = fence + hunk.line;
        let (_, detail) = found.entry(*i).or_insert_with(|| (line, String::new()));
        detail.push_str(&format!(
            "{file_path} line {} (chapter line {line}):\n{}\n",
            hunk.line, hunk.text
        ));
    }
    Ok(found
        .into_iter()
        .map(|(i, (line, mut detail))| {
            detail.push_str("apply the `+` lines to the code block in the chapter (keep its `# ` hidden lines and `// <1>` callouts)");
            let reason = "is not formatted as `cargo fmt` formats it (see listings/rustfmt.toml)";
            (i, Failure::new(line, reason, Detail::Text(detail)))
        })
        .collect())
}

/// One hunk of `rustfmt --check`'s output: the file, the line it starts at, and the diff.
struct Hunk {
    path: PathBuf,
    line: usize,
    text: String,
}

/// The hunks of `rustfmt --check`'s output; "Diff in /path/src/main.rs:12:" starts each.
fn hunks(stdout: &str) -> Vec<Hunk> {
    let mut hunks: Vec<Hunk> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("Diff in ")
            && let Some((path, at)) = rest.trim_end_matches(':').rsplit_once(':')
        {
            hunks.push(Hunk {
                path: path.into(),
                line: at.parse().unwrap_or(1),
                text: String::new(),
            });
        } else if let Some(hunk) = hunks.last_mut() {
            hunk.text.push_str(line);
            hunk.text.push('\n');
        }
    }
    hunks
}
