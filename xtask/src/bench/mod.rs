//! `cargo xtask bench`: how fast the tools feel to an author, each figure against a floor or
//! a plain tool measured in the same run (the machines are shared and noisy: ratios measured
//! side by side mean more than absolute seconds).
//!
//! Everything runs on scratch copies of the book under `target/bench/` (`scratch.rs`), each
//! with its own target directory, so the repository's own build is neither used nor
//! disturbed. The rows and the table they make are in `rows.rs`.

mod rows;
mod scratch;
mod stress;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::book::{Book, Listing};
use crate::listings::profile::PROFILE;
use rows::{Row, median, secs};

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
    /// Only these rows (`cold`, `warm`, `edit`, `stress`, `render`); all when empty.
    pub only: Vec<String>,
}

impl BenchOptions {
    fn wants(&self, row: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|r| r == row)
    }
}

/// Runs every measurement and prints the table; returns the exit status (1 if a target is
/// missed).
pub(crate) fn bench(root: &Path, opts: &BenchOptions) -> Result<crate::util::exit::Exit> {
    let mut bench = Bench::new(root, opts)?;
    if ["cold", "warm", "edit", "stress"].iter().any(|r| opts.wants(r)) {
        bench.engine_rows()?;
    }
    if opts.wants("render") {
        bench.render_rows()?;
    }
    println!("{}", rows::table(&bench.rows, &bench.notes, opts));
    Ok(if bench.rows.iter().any(|r| r.met == Some(false)) {
        crate::util::exit::Exit::Failed
    } else {
        crate::util::exit::Exit::Ok
    })
}

/// One benchmark session: the book it measures, where its scratch copies go, what to
/// measure, and the table so far.
struct Bench<'a> {
    book: Book,
    /// `target/bench/`: the scratch books and their target directories.
    work: PathBuf,
    opts: &'a BenchOptions,
    /// A private copy of this binary: a rebuild of target/debug/xtask during the (long) run
    /// must not pull the engine from under the measurements.
    bin: PathBuf,
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl<'a> Bench<'a> {
    /// Loads the book at `root` and clears `target/bench/` for the session.
    fn new(root: &Path, opts: &'a BenchOptions) -> Result<Bench<'a>> {
        let book = load(root)?;
        let work = crate::util::fs::target_dir(root).join("bench");
        if work.exists() {
            std::fs::remove_dir_all(&work).with_context(|| format!("clearing {}", work.display()))?;
        }
        std::fs::create_dir_all(&work)?;
        let bin = work.join("xtask");
        std::fs::copy("/proc/self/exe", &bin).context("copying the xtask binary")?;
        Ok(Bench {
            book,
            work,
            opts,
            bin,
            rows: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// The rows that run the engine on scratch books: cold, warm, one edit, scaling.
    fn engine_rows(&mut self) -> Result<()> {
        let opts = self.opts;
        let one = self.work.join("book-1x");
        let four = self.work.join("book-4x");
        scratch::copy_book(&self.book, &one, 1, &self.bin)?;
        scratch::copy_book(&self.book, &four, 4, &self.bin)?;
        let n1 = self.book.listings.len();
        let n4 = n1 * 4;
        eprintln!(
            "bench: scratch books in {} ({n1} and {n4} listings)",
            self.work.display()
        );
        let scratch = [load(&one)?, load(&four)?];

        // Warm and one-edit rows share one target directory, filled once per book after its
        // cold rows: registry crates build once for both books.
        let target = self.work.join("target");
        let needs_warm_target = opts.wants("warm") || opts.wants("edit") || opts.wants("stress");
        let mut cold = Vec::new();
        for (model, n) in [(&scratch[0], n1), (&scratch[1], n4)] {
            if !opts.no_cold && opts.wants("cold") {
                cold.push(self.cold_rows(model, n)?);
            }
            if needs_warm_target {
                eprintln!("bench: warming {} ({n} listings)", model.root.display());
                self.engine_run(&model.root, &target, &["--force"])?;
            }
        }
        if opts.wants("warm") {
            self.warm_rows([(&one, n1), (&four, n4)], &target)?;
        }
        if opts.wants("edit") {
            self.edit_row(&scratch[0], &target)?;
        }
        if opts.wants("stress") {
            self.stress_row(&scratch[0], &target)?;
        }
        if cold.len() == 2 {
            self.rows.push(Row::reported(
                format!("scaling: cold time growth for {}x the listings", n4 / n1),
                cold[1],
                (format!("cold, {n1} listings"), cold[0]),
            ));
        }
        Ok(())
    }

    /// Cold `test-listings` runs against the floor, and against the floor with every
    /// exclusive run added; returns the median cold time.
    fn cold_rows(&mut self, model: &Book, n: usize) -> Result<Duration> {
        let runs = self.opts.cold_runs.max(1);
        let cold_target = model.root.join("target-cold");
        let mut ours = Vec::new();
        let mut floor = Vec::new();
        let mut floor_alone = Vec::new();
        for run in 1..=runs {
            eprintln!("bench: cold run {run} of {runs} ({n} listings): test-listings");
            let _ = std::fs::remove_dir_all(&cold_target);
            let (t, longest, alone) = self.engine_cold(model, &cold_target)?;
            ours.push(t);
            eprintln!("bench: cold run {run} of {runs} ({n} listings): plain cargo build");
            let _ = std::fs::remove_dir_all(&cold_target);
            let build = plain_build(model, &cold_target)?;
            floor.push(build + longest);
            floor_alone.push(build + alone.max(longest));
            std::fs::remove_dir_all(&cold_target)?;
        }
        let (ours, floor, floor_alone) = (median(ours), median(floor), median(floor_alone));
        self.rows.push(Row::reported(
            format!("cold: test-listings, empty target ({n} listings)"),
            ours,
            ("cargo build + longest run".into(), floor),
        ));
        // The contract runs `exclusive` listings one at a time with nothing else running,
        // so after the build: their runs add up. The floor of issue 21 counts them all, built
        // with the old profile; building smarter must beat it by a quarter.
        self.rows.push(Row::within(
            format!("cold, against cargo build (all opt-level 3) + every exclusive run ({n} listings)"),
            ours,
            ("cargo build + every exclusive run".into(), floor_alone),
            0.75,
        ));
        Ok(ours)
    }

    /// Warm `test-listings` runs (nothing changed) of both books, and how their time grows.
    fn warm_rows(&mut self, books: [(&Path, usize); 2], target: &Path) -> Result<()> {
        let [(_, n1), (_, n4)] = books;
        // The engine's own time: the binary run directly, without cargo.
        let mut warm = Vec::new();
        for (dir, n) in books {
            // Each sandboxed run beside one with the sandbox off, so drift on a shared
            // machine moves both alike.
            let mut times = Vec::new();
            let mut open = Vec::new();
            for _ in 0..self.opts.runs {
                times.push(self.engine_run(dir, target, &[])?);
                open.push(timed(&mut self.unsandboxed(dir, target, &[]))?);
            }
            let t = median(times);
            warm.push(t);
            self.rows.push(Row::within(
                format!("sandbox: warm test-listings, sandboxed ({n} listings)"),
                t,
                ("the same, every sandbox layer off".into(), median(open)),
                1.05,
            ));
            self.rows.push(Row::under(
                format!("warm: test-listings, nothing changed ({n} listings)"),
                t,
                Duration::from_millis(500),
                "< 0.5 s",
            ));
        }
        let manifest = self.book.root.join("Cargo.toml");
        let fresh = (0..self.opts.runs)
            .map(|_| {
                timed(
                    Command::new(cargo())
                        .args(["build", "--quiet", "-p", "xtask", "--manifest-path"])
                        .arg(&manifest),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        self.notes.push(format!(
            "cargo's check that the xtask binary is fresh (`cargo xtask` pays it before the engine starts): {} (excluded from the warm rows)",
            secs(median(fresh))
        ));
        self.rows.push(Row::within(
            format!("scaling: warm time growth for {}x the listings", n4 / n1),
            warm[1],
            (format!("warm, {n1} listings"), warm[0]),
            (n4 / n1) as f64,
        ));
        Ok(())
    }

    /// The "one edit" row: one listing changed, the engine against building and running it
    /// directly.
    fn edit_row(&mut self, model: &Book, target: &Path) -> Result<()> {
        let listing = edited_listing(model, self.opts.edit.as_deref())?;
        let edited = self.one_edit(model, listing, target)?;
        self.rows.push(Row::within(
            format!("one edit: `{}` changed, test-listings", listing.id),
            edited.ours,
            ("cargo build -p ID + its runs".into(), edited.reference),
            1.1,
        ));
        self.rows.push(Row::within(
            format!("sandbox: one edit, sandboxed (`{}`)", listing.id),
            edited.ours,
            ("the same, every sandbox layer off".into(), edited.open),
            1.05,
        ));
        Ok(())
    }

    /// Changes one line of `listing` (a comment, so it still passes) and times the engine;
    /// then makes the same kind of change to the extracted crate and times building it and
    /// making its runs directly; and the engine again with the sandbox off.
    fn one_edit(&self, model: &Book, listing: &Listing, target: &Path) -> Result<Edited> {
        let dir = &model.root;
        let chapter = dir.join(&model.chapters[listing.chapter].path);
        let original = std::fs::read_to_string(&chapter)?;
        let file = &listing.files[0];
        let last_line = file.line + file.raw.lines().count();
        let crate_file = dir.join(listing.crate_dir(model)).join(&file.path);
        let mut ours = Vec::new();
        let mut open = Vec::new();
        let mut reference = Vec::new();
        for run in 0..self.opts.runs {
            // Ours: edit the chapter.
            let edited = with_comment(&original, last_line, &format!("// bench edit {run}"));
            std::fs::write(&chapter, edited)?;
            ours.push(self.engine_run(dir, target, &[])?);
            // The same with the sandbox off: what the sandbox costs an edit.
            let edited = with_comment(&original, last_line, &format!("// bench edit {run}, open"));
            std::fs::write(&chapter, edited)?;
            open.push(timed(&mut self.unsandboxed(dir, target, &[]))?);
            // Reference: edit the crate, build it, run it as its output blocks say.
            let code = std::fs::read_to_string(&crate_file)?;
            std::fs::write(&crate_file, format!("{code}// reference edit {run}\n"))?;
            reference.push(build_and_run(listing, dir, target)?);
        }
        std::fs::write(&chapter, original)?;
        Ok(Edited {
            ours: median(ours),
            open: median(open),
            reference: median(reference),
        })
    }

    /// The stress row: `test-listings --runs 10` on a warm target (every run made ten times,
    /// nothing built), against the CPU time those runs use, made one after the other by the
    /// bench, divided by the cores: what a perfect scheduler on this machine would take.
    fn stress_row(&mut self, model: &Book, target: &Path) -> Result<()> {
        const RUNS: u32 = 10;
        let runs = RUNS.to_string();
        eprintln!(
            "bench: stress run ({} listings, --runs {RUNS})",
            model.listings.len()
        );
        // A listing that fails one of its ten runs is what a stress run is for: the row is
        // kept, the failure noted, and the bench goes on.
        let (ours, failed) =
            timed_or_failed(&mut self.test_listings(&model.root, target, &["--runs", &runs]))?;
        if let Some(failed) = failed {
            self.notes
                .push(format!("stress: the run failed; its time is kept:\n{failed}"));
        }
        eprintln!("bench: stress reference (the same runs, one at a time)");
        let cpu = stress::runs_cpu_time(model, target, RUNS)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.notes.push(format!(
            "stress reference: the runs used {} of CPU (user + sys), on {cores} cores",
            secs(cpu)
        ));
        self.rows.push(Row::within(
            format!(
                "stress: test-listings --runs {RUNS} ({} listings)",
                model.listings.len()
            ),
            ours,
            ("CPU time of its runs / cores".into(), cpu / cores as u32),
            1.5,
        ));
        Ok(())
    }

    /// The render rows, in this process: ours against plain mdBook on the same book. A first
    /// build highlights every block; later builds reuse the blocks that did not change.
    fn render_rows(&mut self) -> Result<()> {
        let out = self.work.join("render");
        let (first, next, plain) = render_times(&self.book.root, &out, self.opts.runs)?;
        for (name, ours) in [
            ("render: site + ePub, first build (empty caches)", first),
            ("render: site + ePub, next builds", next),
        ] {
            self.rows.push(Row::within(
                name.into(),
                ours,
                ("mdBook, no preprocessor, site only".into(), plain),
                2.0,
            ));
        }
        self.figures_row(plain)
    }

    /// The figures' own cost, inside every render above: their data taken from the recorded
    /// runs and every one drawn, against plain mdBook's build of the site.
    fn figures_row(&mut self, plain: Duration) -> Result<()> {
        let mut times = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..self.opts.runs.max(1) {
            let start = Instant::now();
            counts = crate::render::draw_figures(&self.book)?;
            times.push(start.elapsed());
        }
        let (drawn, all) = counts;
        if drawn < all {
            self.notes.push(format!(
                "figures: {} of {all} had no recorded run, so were not drawn: run `cargo xtask test-listings` first",
                all - drawn
            ));
        }
        self.rows.push(Row::reported(
            format!("render: figures' own cost ({drawn} of {all} drawn from recorded runs)"),
            median(times),
            ("mdBook, no preprocessor, site only".into(), plain),
        ));
        Ok(())
    }

    /// The engine as an author runs it, with the given target directory and without `CI`.
    fn xtask(&self, target: &Path) -> Command {
        let mut c = Command::new(&self.bin);
        c.env("CARGO_TARGET_DIR", target).env_remove("CI");
        c
    }

    /// `test-listings` on `book` with every sandbox layer off (as on a kernel that has none
    /// of them): what the sandbox rows compare with.
    fn unsandboxed(&self, book: &Path, target: &Path, extra: &[&str]) -> Command {
        let mut c = self.test_listings(book, target, extra);
        c.env(crate::listings::sandbox::SIMULATE_VAR, "network,files,processes");
        c
    }

    /// `test-listings` on `book`, as an author runs it.
    fn test_listings(&self, book: &Path, target: &Path, extra: &[&str]) -> Command {
        let mut c = self.xtask(target);
        c.args(["test-listings", "--no-progress", "--book"])
            .arg(book)
            .args(extra);
        c
    }

    fn engine_run(&self, book: &Path, target: &Path, extra: &[&str]) -> Result<Duration> {
        timed(&mut self.test_listings(book, target, extra))
    }

    /// A cold `test-listings`: its time, the longest single run it made (the floor's second
    /// term), and the runs of `exclusive` listings added up (each listing's longest run
    /// times the runs its output blocks ask for).
    fn engine_cold(&self, model: &Book, target: &Path) -> Result<(Duration, Duration, Duration)> {
        let runs_alone = exclusive_runs(model);
        let start = Instant::now();
        let out = self
            .xtask(target)
            .args(["test-listings", "--no-progress", "--format", "json", "--book"])
            .arg(&model.root)
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
            let runs = v["id"].as_str().and_then(|id| runs_alone.get(id));
            alone += ms * runs.copied().unwrap_or(0);
        }
        Ok((t, Duration::from_millis(longest), Duration::from_millis(alone)))
    }
}

/// The model of the book at `dir` (the repository's, or a scratch copy).
fn load(dir: &Path) -> Result<Book> {
    Ok(crate::book::load(dir)?)
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// How long `command` takes; fails if it does.
fn timed(command: &mut Command) -> Result<Duration> {
    let (t, failed) = timed_or_failed(command)?;
    if let Some(failed) = failed {
        bail!("benchmark step failed: {command:?}\n{failed}");
    }
    Ok(t)
}

/// How long `command` took, and what it printed when it failed (its summary and errors,
/// trimmed to what a reader of the table needs).
fn timed_or_failed(command: &mut Command) -> Result<(Duration, Option<String>)> {
    let start = Instant::now();
    let out = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .context("running a benchmark step")?;
    let t = start.elapsed();
    let failed = (!out.status.success()).then(|| {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .filter(|l| !l.starts_with("ok "))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok((t, failed))
}

/// The runs each `exclusive` listing makes, by id: one per run its output blocks ask for.
fn exclusive_runs(model: &Book) -> std::collections::HashMap<&str, u64> {
    model
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
        .collect()
}

/// The floor: one plain `cargo build` of the same crates the engine builds, with the profile
/// the book had before most listing crates were built unoptimised (issue 21): every crate at
/// `opt-level = 3`, so that the cold rows measure what building smarter gained.
fn plain_build(model: &Book, target: &Path) -> Result<Duration> {
    let mut c = Command::new(cargo());
    c.args(["build", "--quiet", "--keep-going"]);
    // Settings given with --config outrank the manifest's overrides for the same package.
    for id in crate::listings::profile::unoptimised_listings(model) {
        c.arg("--config")
            .arg(format!("profile.dev.package.{id}.opt-level=3"));
    }
    c.arg("--manifest-path")
        .arg(model.root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .args(crate::listings::compile::package_args(&model.listings));
    // compile_fail listings fail by design: cargo's status is not the measure here.
    let start = Instant::now();
    c.stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    Ok(start.elapsed())
}

/// The listing the "one edit" row changes: `id`, or the first that builds and runs once per
/// block, with one file and nothing exclusive.
fn edited_listing<'b>(model: &'b Book, id: Option<&str>) -> Result<&'b Listing> {
    match id {
        Some(id) => model
            .listings
            .iter()
            .find(|l| l.id == id)
            .with_context(|| format!("no listing `{id}`")),
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
            .context("no listing to edit"),
    }
}

/// `text` with `comment` appended to its (1-based) line `line`.
fn with_comment(text: &str, line: usize, comment: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                format!("{l} {comment}")
            } else {
                l.to_string()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

/// Builds `listing` with plain cargo and runs its binary as its output blocks say: the time
/// of both.
fn build_and_run(listing: &Listing, dir: &Path, target: &Path) -> Result<Duration> {
    let start = Instant::now();
    let status = Command::new(cargo())
        .args(["build", "--quiet", "-p", &listing.id, "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(["--profile", PROFILE])
        .env("CARGO_TARGET_DIR", target)
        .status()?;
    if !status.success() {
        bail!("building {} failed", listing.id);
    }
    let binary = target.join(PROFILE).join(&listing.id);
    for o in listing.outputs.iter().filter(|o| o.is_run()) {
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
    Ok(start.elapsed())
}

/// The "one edit" medians: the engine, the engine with the sandbox off, and building and
/// running the crate directly.
struct Edited {
    ours: Duration,
    open: Duration,
    reference: Duration,
}

/// Medians of rendering the site and the ePub with our preprocessor, first with empty
/// highlight and figure caches and then with the ones the previous build left, and of mdBook's own HTML
/// renderer on the same book without our preprocessor.
fn render_times(root: &Path, out: &Path, runs: usize) -> Result<(Duration, Duration, Duration)> {
    let caches = [crate::render::HIGHLIGHT_CACHE, crate::render::FIGURE_CACHE]
        .map(|name| crate::util::fs::xtask_file(root, name));
    let render = || -> Result<Duration> {
        let start = Instant::now();
        let book = load(root)?;
        crate::render::render(
            std::sync::Arc::new(book),
            Some(&out.join("ours")),
            Some(crate::listings::extract::archive_files),
        )?;
        Ok(start.elapsed())
    };
    let mut first = Vec::new();
    let mut next = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs.max(1) {
        for cache in &caches {
            let _ = std::fs::remove_file(cache);
        }
        first.push(render()?);
        next.push(render()?);
        plain.push(plain_mdbook(root, &out.join("plain"))?);
    }
    Ok((median(first), median(next), median(plain)))
}

/// mdBook's own build of the site, without our preprocessor and without the ePub.
fn plain_mdbook(root: &Path, out: &Path) -> Result<Duration> {
    use mdbook_driver::MDBook;
    let start = Instant::now();
    let mut config = mdbook_driver::config::Config::from_disk(root.join("book.toml"))
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    config.build.build_dir = out.to_path_buf();
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
    Ok(start.elapsed())
}
