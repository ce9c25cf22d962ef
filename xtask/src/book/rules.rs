//! The rules a listing obeys beyond its attributes' syntax: ids and paths cargo accepts,
//! output blocks that fit their listing, binaries to run, and a manifest that takes its
//! versions from the workspace.

use std::path::Path;

use super::finding::Finding;
use super::{Listing, OutputBlock, Stream};

/// Listing ids become crate names and anchors: lower-case words joined by dashes.
pub(crate) fn check_id(id: &str) -> Result<(), Finding> {
    let ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--");
    if !ok {
        return Err(Finding::new(format!(
            "bad listing id `{id}`: use lower-case letters, digits and single dashes, starting with a letter"
        )));
    }
    // Cargo refuses these package names.
    if [
        "test",
        "core",
        "std",
        "alloc",
        "proc-macro",
        "xtask",
        "build",
        "deps",
        "examples",
        "incremental",
    ]
    .contains(&id)
    {
        return Err(Finding::new(format!(
            "bad listing id `{id}`: cargo reserves this name"
        )));
    }
    Ok(())
}

/// A `file=` path stays inside the crate.
pub(crate) fn check_path(path: &str) -> Result<(), Finding> {
    let p = Path::new(path);
    let escapes = p.is_absolute()
        || path.starts_with('\\')
        || path.contains(':')
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
    if escapes || path.is_empty() {
        return Err(Finding::new(format!(
            "`file={path}` must be a relative path inside the crate, such as `src/lib.rs` (no `..`, no absolute path)"
        )));
    }
    let data = path.starts_with("data/");
    if path != "Cargo.toml" && path != "build.rs" && !path.starts_with("src/") && !data {
        return Err(Finding::new(format!(
            "`file={path}`: a listing's files are `Cargo.toml`, `build.rs`, under `src/`, or data files under `data/`"
        )));
    }
    Ok(())
}

/// Rules about an output block that depend on its listing.
pub(crate) fn check_output_fits(listing: &Listing, block: &OutputBlock) -> Result<(), Finding> {
    if block.compiler {
        return check_warnings_block(listing, block);
    }
    if listing.no_run {
        return Err(Finding::new(format!(
            "listing `{}` is `no_run`: it is never run, so it has no output block",
            listing.id
        )));
    }
    if listing.compile_fail {
        check_compiler_output(listing, block)?;
    }
    check_with(listing, block)?;
    Ok(())
}

/// An `output compiler` block holds the warnings a listing shows on purpose: one per
/// listing, with a `warning` line, and nothing about a run.
fn check_warnings_block(listing: &Listing, block: &OutputBlock) -> Result<(), Finding> {
    if listing.compile_fail {
        return Err(Finding::new(format!(
            "`compiler` is for the warnings of a listing that compiles; the output block of compile_fail listing `{}` already holds the compiler's diagnostics",
            listing.id
        )));
    }
    if listing.outputs.iter().any(|o| o.compiler) {
        return Err(Finding::new(format!(
            "listing `{}` has one `compiler` block: the compiler's warnings",
            listing.id
        )));
    }
    if has_run_attrs(block) {
        return Err(Finding::new(
            "a `compiler` block holds the compiler's warnings and takes no run attributes",
        ));
    }
    if !block
        .expected
        .lines
        .iter()
        .any(|l| l.as_written().starts_with("warning"))
    {
        return Err(Finding::new(
            "a `compiler` block must contain a `warning` line: the warning the listing shows",
        ));
    }
    Ok(())
}

/// Whether an output block sets anything about a run.
fn has_run_attrs(block: &OutputBlock) -> bool {
    block.exit != 0
        || block.kill_after.is_some()
        || !block.args.is_empty()
        || !block.env.is_empty()
        || block.stdin.is_some()
        || block.bin.is_some()
        || block.runs != 1
        || block.unordered
        || block.stream != Stream::Both
        || !block.with.is_empty()
}

/// A `compile_fail` listing's one output block is the compiler's: it names the error, and
/// says nothing about a run.
fn check_compiler_output(listing: &Listing, block: &OutputBlock) -> Result<(), Finding> {
    if !listing.outputs.is_empty() {
        return Err(Finding::new(format!(
            "compile_fail listing `{}` has one output block: the compiler's",
            listing.id
        )));
    }
    if has_run_attrs(block) {
        return Err(Finding::new(format!(
            "compile_fail listing `{}` is never run: its output block holds the compiler's diagnostics and takes no run attributes",
            listing.id
        )));
    }
    if block.expected.error_codes().next().is_none() {
        return Err(Finding::new(
            "the output block of a compile_fail listing must contain an `error[Ennnn]` line: the error it expects",
        ));
    }
    Ok(())
}

/// Rules about a whole listing, checked once all its blocks are known.
pub(crate) fn check_listing(listing: &Listing) -> Result<(), Finding> {
    if !listing.outputs.iter().any(OutputBlock::is_run) && !listing.no_run {
        return Err(Finding::new(format!(
            "listing `{}` has no output block: add one after it, or mark it `no_run` and say why in the chapter",
            listing.id
        )));
    }
    if listing.no_run && listing.compile_fail {
        return Err(Finding::new(format!(
            "listing `{}` is both `no_run` and `compile_fail`",
            listing.id
        )));
    }
    let bins = listing.binaries();
    if !listing.no_run && bins.is_empty() {
        return Err(Finding::new(format!(
            "listing `{}` has no binary to run (`src/main.rs` or `src/bin/NAME.rs`); a library-only listing is `no_run`",
            listing.id
        )));
    }
    if listing.compile_fail && listing.files.iter().any(|f| f.path == "src/lib.rs") {
        return Err(Finding::new(format!(
            "compile_fail listing `{}` must be a binary: a library would break `cargo build --workspace`",
            listing.id
        )));
    }
    if let Some(manifest) = listing.file("Cargo.toml") {
        check_manifest(listing, &manifest.code)?;
    }
    check_bins(listing, &bins)
}

/// Every file an output block copies into its run (`with=`) is one of the listing's, all of
/// which come before its output blocks.
fn check_with(listing: &Listing, block: &OutputBlock) -> Result<(), Finding> {
    if let Some(missing) = block.with.iter().find(|p| listing.file(p).is_none()) {
        let files: Vec<&str> = listing.files.iter().map(|f| f.path.as_str()).collect();
        return Err(Finding::new(format!(
            "this block copies `{missing}` into its run (`with=`), but listing `{}` has no such file: {}",
            listing.id,
            files.join(", ")
        ))
        .note(format!(
            "a data file is a block of the listing before its output: ```text listing={} file={missing}",
            listing.id
        )));
    }
    Ok(())
}

/// Every output block runs a binary the listing builds, and says which one when the
/// listing has several and no default.
fn check_bins(listing: &Listing, bins: &[String]) -> Result<(), Finding> {
    for output in listing.outputs.iter().filter(|o| o.is_run()) {
        if let Some(bin) = &output.bin
            && !bins.contains(bin)
        {
            return Err(Finding::new(format!(
                "output block at line {} runs `bin={bin}`, but listing `{}` builds only: {}",
                output.line,
                listing.id,
                bins.join(", ")
            )));
        }
        if output.bin.is_none() && listing.file("src/main.rs").is_none() && bins.len() > 1 {
            return Err(Finding::new(format!(
                "output block at line {} must say which binary of `{}` to run: `bin=NAME` (one of {})",
                output.line,
                listing.id,
                bins.join(", ")
            )));
        }
    }
    Ok(())
}

/// A listing's own `Cargo.toml` names its package after the listing and takes every
/// dependency from the workspace table: a listing never pins a version of its own.
pub(crate) fn check_manifest(listing: &Listing, text: &str) -> Result<(), Finding> {
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| format!("the `Cargo.toml` of `{}` is not valid TOML: {e}", listing.id))?;
    let name = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if name != Some(listing.id.as_str()) {
        return Err(Finding::new(format!(
            "the `Cargo.toml` of `{}` must say `name = \"{}\"` in `[package]`",
            listing.id, listing.id
        )));
    }
    for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let deps = doc.get(table).and_then(|d| d.as_table()).into_iter().flatten();
        for (dep, spec) in deps {
            let from_workspace = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
            if !from_workspace {
                return Err(Finding::new(format!(
                    "`{dep}` in the `Cargo.toml` of `{}` must be `{dep}.workspace = true`: versions come from the root `[workspace.dependencies]`",
                    listing.id
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_crate() {
        assert!(check_path("src/lib.rs").is_ok());
        assert!(check_path("src/bin/worker.rs").is_ok());
        assert!(check_path("Cargo.toml").is_ok());
        for bad in [
            "../x.rs",
            "/etc/passwd",
            "src/../../x.rs",
            "./src/main.rs",
            "C:/x.rs",
            "notes.txt",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        assert!(check_id("spinner-thread").is_ok());
        for bad in ["Spinner", "1st", "a_b", "a-", "a--b", "test", ""] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
