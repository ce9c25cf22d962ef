//! Extract: listings → crates under `listings/<chapter>/<id>/`.
//!
//! Each listing becomes a workspace member with a generated manifest whose dependencies are
//! inferred from the crates its code names, taken from the root `[workspace.dependencies]`.
//! Files are only written when their content changes, so cargo's freshness checks survive an
//! extraction; crates of deleted listings are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::util::exit::Exit;
use crate::util::fs::write_atomic;
use rayon::prelude::*;
use regex::Regex;

use super::lock::LockGraph;
use crate::book::{Book, COMPILE_FAIL_FEATURE, Listing};

/// Every file `listings/` should hold, and the root `Cargo.toml` with its generated profile
/// section (`profile.rs`), by path relative to the book root.
pub(crate) fn desired_files(book: &Book) -> Result<BTreeMap<PathBuf, String>> {
    let root = workspace_tables(&book.root)?;
    let mut files = BTreeMap::new();
    for listing in &book.listings {
        let dir = PathBuf::from(listing.crate_dir(book));
        for f in &listing.files {
            files.insert(dir.join(&f.path), f.code.clone());
        }
        if listing.file("Cargo.toml").is_none() {
            let chapter = &book.chapters[listing.chapter];
            files.insert(dir.join("Cargo.toml"), manifest(listing, &chapter.path, &root));
        }
    }
    // The root manifest's generated section: which crates are built unoptimised.
    let root = std::fs::read_to_string(book.root.join("Cargo.toml"))?;
    let lock = LockGraph::read(&book.root.join("Cargo.lock"));
    let unoptimised = super::profile::unoptimised(book, &files, &lock);
    files.insert(
        PathBuf::from("Cargo.toml"),
        super::profile::root_manifest(&root, &unoptimised),
    );
    Ok(files)
}

/// Every file of the listings archive, by path inside it: each listing's crate as
/// [`desired_files`] makes it, `listings/rustfmt.toml`, the root `Cargo.lock`, and a
/// workspace manifest made from the root one with the listings as its only members (the
/// tooling and its profile left out), so that `cargo run -p ID` works in the archive.
pub(crate) fn archive_files(book: &Book) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut desired = desired_files(book)?;
    let root = desired.remove(&PathBuf::from("Cargo.toml")).unwrap_or_default();
    let mut files: BTreeMap<String, Vec<u8>> = desired
        .into_iter()
        .map(|(path, text)| (path.to_string_lossy().replace('\\', "/"), text.into_bytes()))
        .collect();
    for extra in ["Cargo.lock", "listings/rustfmt.toml"] {
        if let Ok(bytes) = std::fs::read(book.root.join(extra)) {
            files.insert(extra.to_string(), bytes);
        }
    }
    let path = book.root.join("Cargo.toml");
    files.insert(
        "Cargo.toml".to_string(),
        listings_workspace(&root)
            .with_context(|| format!("parsing {}", path.display()))?
            .into_bytes(),
    );
    Ok(files)
}

/// The root manifest `text` with `listings/*/*` as the only members and no tooling profile.
/// The engine's own profile is folded into dev, so that a reader's `cargo run -p ID` builds
/// exactly what the book ran (the archive has no tooling whose dependencies dev must keep
/// optimised).
fn listings_workspace(text: &str) -> Result<String> {
    let mut doc: toml::Table = toml::from_str(text)?;
    let workspace = doc
        .entry("workspace")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .context("`workspace` is not a table")?;
    workspace.insert("members".into(), toml::Value::Array(vec!["listings/*/*".into()]));
    workspace.remove("exclude");
    if let Some(profiles) = doc.get_mut("profile").and_then(|p| p.as_table_mut()) {
        fold_engine_profile(profiles);
        for (_, profile) in profiles.iter_mut() {
            if let Some(table) = profile.as_table_mut() {
                let packages = table.get_mut("package").and_then(|p| p.as_table_mut());
                if let Some(packages) = packages {
                    packages.remove("xtask");
                    if packages.is_empty() {
                        table.remove("package");
                    }
                }
            }
        }
    }
    Ok(format!(
        "# The book's listings as one workspace: `cargo run -p ID` runs listing ID.\n\
         # Made by `cargo xtask build` from the book's own Cargo.toml.\n{}",
        toml::to_string(&doc).context("writing the listings' workspace manifest")?
    ))
}

/// Moves the package overrides of the engine's profile (`profile.rs`) into dev, and drops it.
fn fold_engine_profile(profiles: &mut toml::Table) {
    let Some(engine) = profiles.remove(super::profile::PROFILE) else {
        return;
    };
    let Some(overrides) = engine.get("package").and_then(|p| p.as_table()).cloned() else {
        return;
    };
    let dev = profiles
        .entry("dev")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(dev) = dev.as_table_mut() {
        let packages = dev
            .entry("package")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let Some(packages) = packages.as_table_mut() {
            packages.extend(overrides);
        }
    }
}

/// What the root manifest gives listings to inherit.
#[derive(Debug, Default)]
pub(crate) struct WorkspaceTables {
    /// The dependency names of `[workspace.dependencies]`.
    pub(crate) deps: BTreeSet<String>,
    /// Whether there is a `[workspace.lints]` table.
    pub(crate) lints: bool,
    /// Whether `[workspace.package]` says `edition`. When it does not, a generated manifest
    /// names the edition itself: `edition.workspace = true` would make cargo fail on every
    /// listing with "error inheriting `edition` from workspace root manifest".
    pub(crate) edition: bool,
}

/// The edition a generated manifest names when the workspace gives none: the book's.
const DEFAULT_EDITION: &str = "2024";

/// Reads the tables of the root `Cargo.toml` that listings inherit from.
pub(crate) fn workspace_tables(root: &Path) -> Result<WorkspaceTables> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let workspace = doc.get("workspace");
    let deps = workspace
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    let lints = workspace.and_then(|w| w.get("lints")).is_some();
    let edition = workspace
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("edition"))
        .is_some();
    Ok(WorkspaceTables { deps, lints, edition })
}

/// The crates a listing's code names that the workspace table provides: `use rayon::...`,
/// `tokio::spawn`, `#[tokio::main]`, `extern crate loom`.
pub(crate) fn inferred_dependencies(listing: &Listing, available: &BTreeSet<String>) -> BTreeSet<String> {
    static PATH: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = PATH.get_or_init(|| {
        Regex::new(
            r"(?:\buse\s+|\bextern\s+crate\s+|(?:^|[^\w:])(?:::)?)([a-z_][a-z0-9_]*)\s*(?:::|;|\s+as\b)",
        )
        .unwrap()
    });
    let by_ident: BTreeMap<String, &String> = available.iter().map(|d| (d.replace('-', "_"), d)).collect();
    let own = listing.id.replace('-', "_");
    let mut found = BTreeSet::new();
    for f in listing.files.iter().filter(|f| f.path.ends_with(".rs")) {
        for line in f.code.lines() {
            // Most lines name no crate at all; the regex only sees those that might.
            if !line.contains("::") && !line.contains("use ") && !line.contains("extern ") {
                continue;
            }
            let code = line.split("//").next().unwrap_or("");
            for cap in re.captures_iter(code) {
                let ident = &cap[1];
                if ident != own
                    && let Some(dep) = by_ident.get(ident)
                {
                    found.insert((*dep).clone());
                }
            }
        }
    }
    found
}

fn manifest(listing: &Listing, chapter_path: &str, root: &WorkspaceTables) -> String {
    // Targets are listed explicitly, with `test = false`: listings are checked by running
    // them, so `cargo test --workspace` has no harness to build for them.
    let mut m = format!(
        // No line number in the header: editing prose above a listing must not change its crate.
        "# Generated by `cargo xtask extract` from {chapter_path}. Edit the chapter, not this file.\n\
         [package]\nname = \"{}\"\nversion = \"0.1.0\"\n{edition}\npublish = false\n\
         autobins = false\nautoexamples = false\nautotests = false\nautobenches = false\n",
        listing.id,
        edition = if root.edition {
            "edition.workspace = true".to_string()
        } else {
            format!("edition = \"{DEFAULT_EDITION}\"")
        },
    );
    let deps = inferred_dependencies(listing, &root.deps);
    if !deps.is_empty() {
        m.push_str("\n[dependencies]\n");
        for d in deps {
            m.push_str(&format!("{d}.workspace = true\n"));
        }
    }
    if root.lints {
        m.push_str("\n[lints]\nworkspace = true\n");
    }
    if listing.compile_fail {
        m.push_str(&format!(
            "\n# This listing must not compile: its binaries are built only with\n\
             # `cargo build -p {} --features {COMPILE_FAIL_FEATURE}`.\n[features]\n{COMPILE_FAIL_FEATURE} = []\n",
            listing.id
        ));
    }
    if listing.file("src/lib.rs").is_some() {
        m.push_str("\n[lib]\npath = \"src/lib.rs\"\ntest = false\ndoctest = false\n");
    }
    for bin in listing.binaries() {
        let path = if bin == listing.id {
            "src/main.rs".to_string()
        } else {
            format!("src/bin/{bin}.rs")
        };
        m.push_str(&format!(
            "\n[[bin]]\nname = \"{bin}\"\npath = \"{path}\"\ntest = false\nbench = false\n"
        ));
        if listing.compile_fail {
            m.push_str(&format!("required-features = [\"{COMPILE_FAIL_FEATURE}\"]\n"));
        }
    }
    m
}

/// What an extraction changes, relative to the book root.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

impl Changes {
    pub(crate) fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Compares `listings/` with what the book says it should hold. With `apply`, makes it so:
/// changed files are written (atomically), stale files and crates are removed.
pub(crate) fn sync(book: &Book, apply: bool) -> Result<Changes> {
    sync_files(book, &desired_files(book)?, apply)
}

/// [`sync`], with the files already computed by [`desired_files`].
pub(crate) fn sync_files(book: &Book, desired: &BTreeMap<PathBuf, String>, apply: bool) -> Result<Changes> {
    let root = &book.root;
    let mut changes = Changes::default();
    // Reading every file back is most of a warm run's extraction: on every core.
    let differ: Vec<(&PathBuf, &String)> = desired
        .par_iter()
        .filter(|(rel, content)| std::fs::read(root.join(rel)).ok().as_deref() != Some(content.as_bytes()))
        .collect();
    for (rel, content) in differ {
        if apply {
            write_atomic(&root.join(rel), content.as_bytes())?;
        }
        changes.written.push(rel.clone());
    }

    // Everything else under listings/<chapter>/<id>/ is stale. Loose files directly under
    // listings/ or a chapter directory (a README) are not ours to remove.
    let listings = root.join("listings");
    let crate_dirs: BTreeSet<PathBuf> = desired
        .keys()
        .map(|p| p.components().take(3).collect::<PathBuf>())
        .collect();
    if listings.is_dir() {
        let mut kept = Vec::new();
        for entry in walkdir::WalkDir::new(&listings).min_depth(2).max_depth(2) {
            let entry = entry?;
            if !entry.file_type().is_dir() {
                continue;
            }
            let rel = entry.path().strip_prefix(root)?.to_path_buf();
            if crate_dirs.contains(&rel) {
                kept.push(entry.into_path());
                continue;
            }
            if apply {
                std::fs::remove_dir_all(entry.path())
                    .with_context(|| format!("removing stale crate {}", entry.path().display()))?;
            }
            changes.removed.push(rel);
        }
        let stale: Vec<Vec<PathBuf>> = kept
            .par_iter()
            .map(|dir| stale_files(root, dir, desired))
            .collect::<Result<_>>()?;
        for rel in stale.into_iter().flatten() {
            if apply {
                std::fs::remove_file(root.join(&rel))?;
            }
            changes.removed.push(rel);
        }
        // Only a removal can leave a directory empty.
        if apply && !changes.removed.is_empty() {
            remove_empty_dirs(&listings)?;
        }
    }
    Ok(changes)
}

/// The files under the crate directory `dir` that `desired` does not hold, relative to `root`.
fn stale_files(root: &Path, dir: &Path, desired: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for file in walkdir::WalkDir::new(dir).min_depth(1) {
        let file = file?;
        if file.file_type().is_dir() {
            continue;
        }
        let rel = file.path().strip_prefix(root)?.to_path_buf();
        if !desired.contains_key(&rel) {
            stale.push(rel);
        }
    }
    Ok(stale)
}

fn remove_empty_dirs(dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry?;
        if entry.file_type().is_dir() && std::fs::read_dir(entry.path())?.next().is_none() {
            std::fs::remove_dir(entry.path())?;
        }
    }
    Ok(())
}

/// `cargo xtask extract [--check]`: `Failed` when `--check` finds `listings/` out of date.
pub(crate) fn command(book: &Book, check: bool) -> Result<Exit> {
    let changes = sync(book, !check)?;
    if check {
        if changes.is_empty() {
            println!(
                "listings/ is up to date with the chapters ({} listings)",
                book.listings.len()
            );
            return Ok(Exit::Ok);
        }
        for p in &changes.written {
            eprintln!("out of date: {}", p.display());
        }
        for p in &changes.removed {
            eprintln!("stale: {}", p.display());
        }
        eprintln!(
            "error: listings/ does not match the chapters: run `cargo xtask extract` and commit the result"
        );
        return Ok(Exit::Failed);
    }
    for p in &changes.written {
        println!("wrote {}", p.display());
    }
    for p in &changes.removed {
        println!("removed {}", p.display());
    }
    println!(
        "{} listings extracted: {} file(s) written, {} removed",
        book.listings.len(),
        changes.written.len(),
        changes.removed.len()
    );
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::SourceFile;

    #[test]
    fn the_archive_builds_in_dev_what_the_engine_built_in_its_profile() {
        let un = super::super::profile::Unoptimised {
            listings: ["prints".to_string()].into(),
            registry: ["loom".to_string()].into(),
        };
        let root = super::super::profile::root_manifest(
            "[workspace]\nmembers = [\"xtask\", \"listings/*/*\"]\n\n[profile.dev]\nopt-level = 3\n\n\
             [profile.dev.package.xtask]\nopt-level = 2\n",
            &un,
        );
        let archive: toml::Table = toml::from_str(&listings_workspace(&root).unwrap()).unwrap();
        let profiles = archive["profile"].as_table().unwrap();
        assert!(!profiles.contains_key("listings"), "{profiles:#?}");
        let dev = &profiles["dev"];
        assert_eq!(dev["opt-level"].as_integer(), Some(3));
        assert_eq!(dev["package"]["prints"]["opt-level"].as_integer(), Some(0));
        assert_eq!(dev["package"]["loom"]["opt-level"].as_integer(), Some(0));
        assert!(dev["package"].get("xtask").is_none(), "{dev:#?}");
        assert_eq!(archive["workspace"]["members"].as_array().unwrap().len(), 1);
    }

    fn listing(code: &str) -> Listing {
        Listing {
            id: "my-demo".into(),
            chapter: 0,
            line: 1,
            number: 1,
            caption: None,
            files: vec![SourceFile {
                path: "src/main.rs".into(),
                lang: "rust".into(),
                line: 1,
                raw: code.into(),
                code: code.into(),
            }],
            compile_fail: false,
            exclusive: false,
            no_run: false,
            tab: None,
            base: None,
            outputs: vec![],
        }
    }

    #[test]
    fn dependencies_are_inferred_from_paths_the_code_names() {
        let available: BTreeSet<String> = ["rayon", "tokio", "crossbeam-channel", "loom", "futures"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let code = "use rayon::prelude::*;\n#[tokio::main]\nasync fn main() {\n    let (s, r) = crossbeam_channel::unbounded::<u8>();\n    // futures::join! is only mentioned\n    let x = my_demo::f();\n    let loomish = 1;\n}\n";
        let deps = inferred_dependencies(&listing(code), &available);
        assert_eq!(
            deps.into_iter().collect::<Vec<_>>(),
            vec!["crossbeam-channel", "rayon", "tokio"]
        );
        let deps = inferred_dependencies(
            &listing("use loom;\nfn main() { ::futures::executor::block_on(f()); }"),
            &available,
        );
        assert_eq!(deps.into_iter().collect::<Vec<_>>(), vec!["futures", "loom"]);
    }

    #[test]
    fn compile_fail_binaries_need_their_feature() {
        let mut l = listing("fn main() {}");
        l.compile_fail = true;
        let root = WorkspaceTables {
            lints: true,
            edition: true,
            ..WorkspaceTables::default()
        };
        let m = manifest(&l, "src/ch.md", &root);
        assert!(m.contains("required-features = [\"compile-fail\"]"), "{m}");
        assert!(m.contains("autobins = false"), "{m}");
        assert!(m.contains("[lints]\nworkspace = true"), "{m}");
        let parsed: toml::Table = toml::from_str(&m).unwrap();
        assert_eq!(parsed["package"]["name"].as_str(), Some("my-demo"));
        assert_eq!(parsed["package"]["edition"]["workspace"].as_bool(), Some(true));
    }

    /// A root manifest without `[workspace.package] edition` gets manifests that name their
    /// edition: inheriting one that is not there is an error of cargo's on every listing.
    #[test]
    fn the_edition_is_inherited_only_when_the_workspace_has_one() {
        let m = manifest(&listing("fn main() {}"), "src/ch.md", &WorkspaceTables::default());
        let parsed: toml::Table = toml::from_str(&m).unwrap();
        assert_eq!(
            parsed["package"]["edition"].as_str(),
            Some(DEFAULT_EDITION),
            "{m}"
        );
        assert!(!m.contains("[lints]"), "{m}");
    }
}
