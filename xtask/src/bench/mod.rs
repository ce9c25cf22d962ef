//! `cargo xtask bench`: how fast the tools feel to an author, each figure against a floor or
//! a plain tool measured in the same run (the machines are shared and noisy: ratios measured
//! side by side mean more than absolute seconds).
//!
//! Everything runs on scratch copies of the book under `target/bench/`, each with its own
//! target directory, so the repository's own build is neither used nor disturbed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use regex::Regex;

use crate::book::Book;

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Runs of each fast measurement (warm, one edit, render); the median is reported.
    pub runs: usize,
    /// Runs of each cold measurement (each builds every dependency from nothing).
    pub cold_runs: usize,
    /// Skip the cold measurements (minutes each).
    pub no_cold: bool,
    /// The listing the "one edit" measurement changes.
    pub edit: Option<String>,
    /// Only these rows (`cold`, `warm`, `edit`, `render`); all when empty.
    pub only: Vec<String>,
}

impl BenchOptions {
    fn wants(&self, row: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|r| r == row)
    }
}

/// One row of the table.
struct Row {
    name: String,
    ours: Duration,
    reference: Option<(String, Duration)>,
    target: String,
    met: Option<bool>,
}

impl Row {
    /// A row whose target is a ratio to its reference: met when ours / reference <= `limit`.
    fn within(name: String, ours: Duration, reference: (String, Duration), limit: f64) -> Row {
        Row {
            name,
            ours,
            met: Some(ratio(ours, reference.1) <= limit),
            reference: Some(reference),
            target: format!("<= {limit}x"),
        }
    }

    /// A row measured against a reference and reported, with no target.
    fn reported(name: String, ours: Duration, reference: (String, Duration)) -> Row {
        Row {
            name,
            ours,
            reference: Some(reference),
            target: "(reported)".into(),
            met: None,
        }
    }
}

/// Runs every measurement and prints the table; returns the exit status (1 if a target is
/// missed).
pub(crate) fn bench(root: &Path, opts: &BenchOptions) -> Result<crate::exit::Exit> {
    let book = load(root)?;
    let work = crate::util::fs::target_dir(root).join("bench");
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("clearing {}", work.display()))?;
    }
    std::fs::create_dir_all(&work)?;
    // A private copy of this binary: a rebuild of target/debug/xtask during the (long) run
    // must not pull the engine from under the measurements.
    let exe = work.join("xtask");
    std::fs::copy("/proc/self/exe", &exe).context("copying the xtask binary")?;
    let _ = BIN.set(exe);
    let mut rows = Vec::new();
    let mut notes = Vec::new();

    if opts.wants("cold") || opts.wants("warm") || opts.wants("edit") {
        engine_rows(&book, &work, opts, &mut rows, &mut notes)?;
    }

    if opts.wants("render") {
        // In this process: ours against plain mdBook on the same book. A first build
        // highlights every block; later builds reuse the blocks that did not change.
        let out = work.join("render");
        let (first, next, plain) = render_times(&book.root, &out, opts.runs)?;
        for (name, ours) in [
            ("render: site + ePub, first build (empty highlight cache)", first),
            ("render: site + ePub, next builds", next),
        ] {
            rows.push(Row::within(
                name.into(),
                ours,
                ("mdBook, no preprocessor, site only".into(), plain),
                2.0,
            ));
        }
    }

    let table = table(&rows, &notes, opts);
    println!("{table}");
    Ok(if rows.iter().any(|r| r.met == Some(false)) {
        crate::exit::Exit::Failed
    } else {
        crate::exit::Exit::Ok
    })
}

/// The rows that run the engine on scratch books: cold, warm, one edit, scaling.
fn engine_rows(
    book: &Book,
    work: &Path,
    opts: &BenchOptions,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let one = work.join("book-1x");
    let four = work.join("book-4x");
    copy_book(book, &one, 1)?;
    copy_book(book, &four, 4)?;
    let n1 = book.listings.len();
    let n4 = n1 * 4;
    eprintln!(
        "bench: scratch books in {} ({n1} and {n4} listings)",
        work.display()
    );
    let scratch = [load(&one)?, load(&four)?];

    // Warm and one-edit rows share one target directory, filled once per book after its cold
    // rows: registry crates build once for both books.
    let target = work.join("target");
    let needs_warm_target = opts.wants("warm") || opts.wants("edit");
    let mut cold = Vec::new();
    for (model, n) in [(&scratch[0], n1), (&scratch[1], n4)] {
        let dir = &model.root;
        if !opts.no_cold && opts.wants("cold") {
            cold.push(cold_rows(model, n, opts, rows)?);
        }
        if needs_warm_target {
            eprintln!("bench: warming {} ({n} listings)", dir.display());
            engine_run(dir, &target, &["--force"])?;
        }
    }

    if opts.wants("warm") {
        warm_rows(book, [(&one, n1), (&four, n4)], &target, opts, rows, notes)?;
    }

    if opts.wants("edit") {
        let (edit_id, ours, reference) = one_edit(&scratch[0], &target, opts)?;
        rows.push(Row::within(
            format!("one edit: `{edit_id}` changed, test-listings"),
            ours,
            ("cargo build -p ID + its runs".into(), reference),
            1.3,
        ));
    }

    if cold.len() == 2 {
        rows.push(Row::reported(
            format!("scaling: cold time growth for {}x the listings", n4 / n1),
            cold[1],
            (format!("cold, {n1} listings"), cold[0]),
        ));
    }
    Ok(())
}

/// The model of the book at `dir` (the repository's, or a scratch copy).
fn load(dir: &Path) -> Result<Book> {
    Ok(crate::book::load(dir)?)
}

/// Cold `test-listings` runs against the floor, and against the floor with every exclusive
/// run added; returns the median cold time.
fn cold_rows(model: &Book, n: usize, opts: &BenchOptions, rows: &mut Vec<Row>) -> Result<Duration> {
    let dir = &model.root;
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    let mut floor_alone = Vec::new();
    for run in 0..opts.cold_runs.max(1) {
        eprintln!(
            "bench: cold run {} of {} ({n} listings): test-listings",
            run + 1,
            opts.cold_runs.max(1)
        );
        let cold_target = dir.join("target-cold");
        let _ = std::fs::remove_dir_all(&cold_target);
        let (t, longest, alone) = engine_cold(model, &cold_target)?;
        ours.push(t);
        eprintln!(
            "bench: cold run {} of {} ({n} listings): plain cargo build",
            run + 1,
            opts.cold_runs.max(1)
        );
        let _ = std::fs::remove_dir_all(&cold_target);
        let build = plain_build(model, &cold_target)?;
        floor.push(build + longest);
        floor_alone.push(build + alone.max(longest));
        std::fs::remove_dir_all(&cold_target)?;
    }
    let (ours, floor, floor_alone) = (median(ours), median(floor), median(floor_alone));
    rows.push(Row::within(
        format!("cold: test-listings, empty target ({n} listings)"),
        ours,
        ("cargo build + longest run".into(), floor),
        1.2,
    ));
    // The contract runs `exclusive` listings one at a time with nothing else running,
    // so after the build: their runs add up, where the issue's floor counts one run.
    rows.push(Row::reported(
        format!("cold, floor counting the exclusive runs ({n} listings)"),
        ours,
        ("cargo build + every exclusive run".into(), floor_alone),
    ));
    Ok(ours)
}

/// Warm `test-listings` runs (nothing changed) of both books, and how their time grows.
fn warm_rows(
    book: &Book,
    books: [(&Path, usize); 2],
    target: &Path,
    opts: &BenchOptions,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let [(_, n1), (_, n4)] = books;
    // The engine's own time: the binary run directly, without cargo.
    let mut warm = Vec::new();
    for (dir, n) in books {
        let times: Vec<Duration> = (0..opts.runs)
            .map(|_| engine_run(dir, target, &[]))
            .collect::<Result<_>>()?;
        let t = median(times);
        warm.push(t);
        rows.push(Row {
            name: format!("warm: test-listings, nothing changed ({n} listings)"),
            ours: t,
            reference: None,
            target: "< 0.5 s".into(),
            met: Some(t < Duration::from_millis(500)),
        });
    }
    let fresh = median(
        (0..opts.runs)
            .map(|_| {
                timed(
                    Command::new(cargo())
                        .args(["build", "--quiet", "-p", "xtask", "--manifest-path"])
                        .arg(book.root.join("Cargo.toml")),
                )
            })
            .collect::<Result<Vec<_>>>()?,
    );
    notes.push(format!(
        "cargo's check that the xtask binary is fresh (`cargo xtask` pays it before the engine starts): {} (excluded from the warm rows)",
        secs(fresh)
    ));
    rows.push(Row::within(
        format!("scaling: warm time growth for {}x the listings", n4 / n1),
        warm[1],
        (format!("warm, {n1} listings"), warm[0]),
        (n4 / n1) as f64,
    ));
    Ok(())
}

/// The binary the measurements run (see `bench`).
static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

fn bin() -> PathBuf {
    BIN.get()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/proc/self/exe"))
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn timed(command: &mut Command) -> Result<Duration> {
    let start = Instant::now();
    let out = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .context("running a benchmark step")?;
    let t = start.elapsed();
    if !out.status.success() {
        bail!(
            "benchmark step failed: {:?}\n{}{}",
            command,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(t)
}

fn xtask(book: &Path, target: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("CARGO_TARGET_DIR", target).env_remove("CI");
    let _ = book;
    c
}

/// `test-listings` on a scratch book; fails if a listing fails.
fn engine_run(book: &Path, target: &Path, extra: &[&str]) -> Result<Duration> {
    timed(
        xtask(book, target)
            .args(["test-listings", "--no-progress", "--book"])
            .arg(book)
            .args(extra),
    )
}

/// A cold `test-listings`: its time, the longest single run it made (the floor's second
/// term), and the runs of `exclusive` listings added up (each listing's longest run times the
/// runs its output blocks ask for).
fn engine_cold(model: &Book, target: &Path) -> Result<(Duration, Duration, Duration)> {
    let book = &model.root;
    let runs_alone: std::collections::HashMap<&str, u64> = model
        .listings
        .iter()
        .filter(|l| l.exclusive && !l.no_run && !l.compile_fail)
        .map(|l| {
            let runs = l
                .outputs
                .iter()
                .map(|b| u64::from(crate::listings::check::runs_of(b, None)))
                .sum();
            (l.id.as_str(), runs)
        })
        .collect();
    let start = Instant::now();
    let out = xtask(book, target)
        .args(["test-listings", "--no-progress", "--format", "json", "--book"])
        .arg(book)
        .output()?;
    let t = start.elapsed();
    if !out.status.success() {
        bail!(
            "cold test-listings failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (mut longest, mut alone) = (0, 0);
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let ms = v["longest_run_ms"].as_u64().unwrap_or(0);
        longest = longest.max(ms);
        alone += ms
            * v["id"]
                .as_str()
                .and_then(|id| runs_alone.get(id))
                .copied()
                .unwrap_or(0);
    }
    Ok((t, Duration::from_millis(longest), Duration::from_millis(alone)))
}

/// The floor: one plain `cargo build` of the same crates the engine builds.
fn plain_build(model: &Book, target: &Path) -> Result<Duration> {
    let book = &model.root;
    let mut c = Command::new(cargo());
    c.args(["build", "--quiet", "--keep-going", "--manifest-path"])
        .arg(book.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    let mut features = Vec::new();
    for l in &model.listings {
        c.arg("-p").arg(&l.id);
        if l.compile_fail {
            features.push(format!("{}/{}", l.id, crate::book::COMPILE_FAIL_FEATURE));
        }
    }
    if !features.is_empty() {
        c.arg("--features").arg(features.join(","));
    }
    // compile_fail listings fail by design: cargo's status is not the measure here.
    let start = Instant::now();
    c.stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    Ok(start.elapsed())
}

/// Changes one line of one listing (a comment, so it still passes) and times the engine;
/// then makes the same kind of change to the extracted crate and times building it and
/// making its runs directly.
fn one_edit(model: &Book, target: &Path, opts: &BenchOptions) -> Result<(String, Duration, Duration)> {
    let dir = &model.root;
    let listing = match &opts.edit {
        Some(id) => model
            .listings
            .iter()
            .find(|l| &l.id == id)
            .with_context(|| format!("no listing `{id}`"))?,
        None => model
            .listings
            .iter()
            .find(|l| {
                !l.compile_fail
                    && !l.no_run
                    && !l.exclusive
                    && l.files.len() == 1
                    && l.outputs.iter().all(|o| o.kill_after.is_none())
            })
            .context("no listing to edit")?,
    };
    let chapter = dir.join(&model.chapters[listing.chapter].path);
    let original = std::fs::read_to_string(&chapter)?;
    let file = &listing.files[0];
    let last_line = file.line + file.raw.lines().count();
    let crate_file = dir.join(listing.crate_dir(model)).join(&file.path);
    let binary = target.join("debug").join(&listing.id);

    let mut ours = Vec::new();
    let mut reference = Vec::new();
    for run in 0..opts.runs {
        // Ours: edit the chapter.
        let edited: Vec<String> = original
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i + 1 == last_line {
                    format!("{l} // bench edit {run}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&chapter, edited.join("\n") + "\n")?;
        ours.push(engine_run(dir, target, &[])?);
        // Reference: edit the crate, build it, run it as its output blocks say.
        let code = std::fs::read_to_string(&crate_file)?;
        std::fs::write(&crate_file, format!("{code}// reference edit {run}\n"))?;
        let start = Instant::now();
        let status = Command::new(cargo())
            .args(["build", "--quiet", "-p", &listing.id, "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .status()?;
        if !status.success() {
            bail!("building {} failed", listing.id);
        }
        for o in &listing.outputs {
            for _ in 0..o.runs {
                let mut c = Command::new(&binary);
                c.args(&o.args)
                    .envs(o.env.iter().cloned())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
                if let Some(input) = &o.stdin {
                    use std::io::Write;
                    let mut child = c.stdin(Stdio::piped()).spawn()?;
                    let _ = child.stdin.take().expect("piped").write_all(input.as_bytes());
                    child.wait()?;
                } else {
                    c.stdin(Stdio::null()).status()?;
                }
            }
        }
        reference.push(start.elapsed());
    }
    std::fs::write(&chapter, original)?;
    Ok((listing.id.clone(), median(ours), median(reference)))
}

/// Medians of rendering the site and the ePub with our preprocessor, first with an empty
/// highlight cache and then with the one the previous build left, and of mdBook's own HTML
/// renderer on the same book without our preprocessor.
fn render_times(root: &Path, out: &Path, runs: usize) -> Result<(Duration, Duration, Duration)> {
    use mdbook_driver::MDBook;
    let highlight_cache = crate::util::fs::xtask_file(root, crate::render::HIGHLIGHT_CACHE);
    let render = || -> Result<Duration> {
        let start = Instant::now();
        let book = load(root)?;
        crate::render::render(std::sync::Arc::new(book), Some(&out.join("ours")))?;
        Ok(start.elapsed())
    };
    let mut first = Vec::new();
    let mut next = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_file(&highlight_cache);
        first.push(render()?);
        next.push(render()?);

        let start = Instant::now();
        let mut config = mdbook_driver::config::Config::from_disk(root.join("book.toml"))
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        config.build.build_dir = out.join("plain");
        let text = toml::to_string(&config).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut table: toml::Table = toml::from_str(&text)?;
        table.remove("preprocessor");
        if let Some(output) = table.get_mut("output").and_then(|o| o.as_table_mut()) {
            output.remove("epub");
        }
        let config: mdbook_driver::config::Config = toml::to_string(&table)?
            .parse()
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        let md = MDBook::load_with_config(root, config).map_err(|e| anyhow::anyhow!("{e:#}"))?;
        md.build().map_err(|e| anyhow::anyhow!("{e:#}"))?;
        plain.push(start.elapsed());
    }
    Ok((median(first), median(next), median(plain)))
}

/// A scratch copy of the book: the workspace (with the xtask crate, a member), chapters and
/// theme. With `copies > 1`, every chapter is repeated with its listings under new ids.
fn copy_book(book: &Book, to: &Path, copies: usize) -> Result<()> {
    let root = &book.root;
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
    std::fs::copy(root.join("xtask/build.rs"), to.join("xtask/build.rs")).ok();
    if copies > 1 {
        let mut summary = std::fs::read_to_string(root.join("src/SUMMARY.md"))?;
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
    }
    let status = Command::new(bin())
        .args(["extract", "--book"])
        .arg(to)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("extracting the scratch book {}", to.display());
    }
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
    out
}

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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    if v.is_empty() {
        return Duration::ZERO;
    }
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.3} s", d.as_secs_f64())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn table(rows: &[Row], notes: &[String], opts: &BenchOptions) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\nMedians of {} runs ({} for cold rows), on {} CPUs; ratios are ours / reference, measured in the same run.\n",
        opts.runs,
        opts.cold_runs,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(t, "| measurement | ours | reference | ratio | target | met |");
    let _ = writeln!(t, "| --- | ---: | --- | ---: | --- | --- |");
    for r in rows {
        let (reference, ratio_text) = match &r.reference {
            Some((what, d)) => (
                format!("{} ({what})", secs(*d)),
                format!("{:.2}x", ratio(r.ours, *d)),
            ),
            None => ("".into(), "".into()),
        };
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let _ = writeln!(
            t,
            "| {} | {} | {reference} | {ratio_text} | {} | {met} |",
            r.name,
            secs(r.ours),
            r.target
        );
    }
    for n in notes {
        let _ = writeln!(t, "\n{n}");
    }
    t
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
    fn medians() {
        let ms = |v: &[u64]| v.iter().map(|&m| Duration::from_millis(m)).collect::<Vec<_>>();
        assert_eq!(median(ms(&[3, 1, 2])), Duration::from_millis(2));
        assert_eq!(median(ms(&[4, 1, 3, 2])), Duration::from_micros(2500));
    }
}
