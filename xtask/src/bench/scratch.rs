//! Scratch copies of the book, which the benchmarks build and edit instead of the
//! repository's: the workspace, chapters and theme, optionally with every chapter repeated
//! under new listing ids.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use regex::Regex;

use crate::book::Book;

/// A scratch copy of the book at `to`, its listings extracted by the engine `bin`. With
/// `copies > 1`, every chapter with listings is repeated that many times in all.
pub(super) fn copy_book(book: &Book, to: &Path, copies: usize, bin: &Path) -> Result<()> {
    copy_workspace(&book.root, to)?;
    if copies > 1 {
        add_copies(book, to, copies)?;
    }
    let status = Command::new(bin)
        .args(["extract", "--book"])
        .arg(to)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("extracting the scratch book {}", to.display());
    }
    Ok(())
}

/// The workspace (with the xtask crate, a member), chapters and theme of the book at `root`.
fn copy_workspace(root: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for f in ["Cargo.toml", "Cargo.lock", "book.toml"] {
        std::fs::copy(root.join(f), to.join(f)).with_context(|| format!("copying {f}"))?;
    }
    for dir in ["src", "theme", "xtask/src", "xtask/assets", ".cargo"] {
        copy_dir(&root.join(dir), &to.join(dir))?;
    }
    std::fs::copy(root.join("xtask/Cargo.toml"), to.join("xtask/Cargo.toml"))?;
    // Loose files of listings/ are the book's, not generated (its rustfmt settings).
    for entry in std::fs::read_dir(root.join("listings"))?.flatten() {
        if entry.file_type()?.is_file() {
            std::fs::create_dir_all(to.join("listings"))?;
            std::fs::copy(entry.path(), to.join("listings").join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Copies 2..=`copies` of every chapter with listings, under new ids, listed in the copy's
/// SUMMARY.md before the suffix chapters.
fn add_copies(book: &Book, to: &Path, copies: usize) -> Result<()> {
    let mut summary = std::fs::read_to_string(book.root.join("src/SUMMARY.md"))?;
    let mut extra = String::from("\n# Copies for the scaling benchmark\n\n");
    for (ci, chapter) in book.chapters.iter().enumerate() {
        let ids: BTreeSet<&str> = book
            .listings
            .iter()
            .filter(|l| l.chapter == ci)
            .map(|l| l.id.as_str())
            .collect();
        if ids.is_empty() {
            continue;
        }
        for k in 2..=copies {
            let text = rename_ids(&chapter.source, &ids, &format!("-copy{k}"));
            let name = format!("{}-copy{k}.md", chapter.slug);
            std::fs::write(to.join("src").join(&name), text)?;
            let _ = writeln!(extra, "- [{} (copy {k})]({name})", chapter.title);
        }
    }
    // Numbered copies go before the suffix chapters (after the last numbered entry).
    let at = summary.find("\n-----------").unwrap_or(summary.len());
    summary.insert_str(at, &extra);
    std::fs::write(to.join("src/SUMMARY.md"), summary)?;
    // References across chapters keep pointing at the originals, which exist.
    Ok(())
}

/// Renames listing ids (and the crate names code uses for them) in a chapter.
fn rename_ids(text: &str, ids: &BTreeSet<&str>, suffix: &str) -> String {
    let mut out = text.to_string();
    for id in ids {
        let crate_name = id.replace('-', "_");
        let patterns = [
            // An id ends where id characters do: `pool` must not match `pool-lib`.
            (
                format!(r"listing={}([^a-z0-9-]|$)", regex::escape(id)),
                format!("listing={id}{suffix}${{1}}"),
            ),
            (
                format!(r"listing:{}\)", regex::escape(id)),
                format!("listing:{id}{suffix})"),
            ),
            (
                format!(r"base={}([^a-z0-9-]|$)", regex::escape(id)),
                format!("base={id}{suffix}${{1}}"),
            ),
            // A figure's data line starts with the listing it reads.
            (
                format!(r"(?m)^{}(#[0-9]+)?( |$)", regex::escape(id)),
                format!("{id}{suffix}${{1}}${{2}}"),
            ),
            (
                format!(r#"name = "{}""#, regex::escape(id)),
                format!(r#"name = "{id}{suffix}""#),
            ),
            (
                format!(r"\b{}::", regex::escape(&crate_name)),
                format!("{}{}::", crate_name, suffix.replace('-', "_")),
            ),
        ];
        for (re, to) in patterns {
            out = Regex::new(&re)
                .expect("valid")
                .replace_all(&out, to.as_str())
                .into_owned();
        }
    }
    // Figure ids are the book's too: each copy's figures get the suffix, and so do the
    // references to them.
    for (re, to) in [
        (
            r"(```figure[^\n]*\bid=)([a-z0-9-]+)",
            format!("${{1}}${{2}}{suffix}"),
        ),
        (r"figure:([a-z0-9-]+)\)", format!("figure:${{1}}{suffix})")),
    ] {
        out = Regex::new(re)
            .expect("valid")
            .replace_all(&out, to.as_str())
            .into_owned();
    }
    out
}

/// Copies the directory `from` to `to`, if it exists.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.exists() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let rel = entry.path().strip_prefix(from)?;
        let dest: PathBuf = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_renamed_everywhere_they_name_the_listing() {
        let ids: BTreeSet<&str> = ["pool", "pool-lib"].into_iter().collect();
        let text = "```rust listing=pool caption=\"x\"\nuse pool_lib::run;\n```\nSee [](listing:pool).\n```toml listing=pool-lib file=Cargo.toml\nname = \"pool-lib\"\n```\n";
        let out = rename_ids(text, &ids, "-copy2");
        assert!(out.contains("listing=pool-copy2 caption"), "{out}");
        assert!(out.contains("use pool_lib_copy2::run;"), "{out}");
        assert!(out.contains("[](listing:pool-copy2)"), "{out}");
        assert!(out.contains("listing=pool-lib-copy2 file"), "{out}");
        assert!(out.contains("name = \"pool-lib-copy2\""), "{out}");
    }

    #[test]
    fn figures_and_bases_are_renamed_with_their_listings() {
        let ids: BTreeSet<&str> = ["speedup", "base-one"].into_iter().collect();
        let text = "```rust listing=speedup base=base-one\n```\n[](figure:chart) shows it.\n\n```figure id=chart kind=line x=a y=b caption=\"C\"\nspeedup /(?<a>1) (?<b>2)/\nspeedup#2 k=\"v\" /(?<a>1) (?<b>2)/\n```\n";
        let out = rename_ids(text, &ids, "-copy3");
        assert!(
            out.contains("listing=speedup-copy3 base=base-one-copy3\n"),
            "{out}"
        );
        assert!(out.contains("[](figure:chart-copy3)"), "{out}");
        assert!(out.contains("```figure id=chart-copy3 kind=line"), "{out}");
        assert!(out.contains("\nspeedup-copy3 /(?<a>1)"), "{out}");
        assert!(out.contains("\nspeedup-copy3#2 k="), "{out}");
    }
}
