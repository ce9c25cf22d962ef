//! The engine against listings that try to break it, and against interrupts: it must keep
//! working, lose nothing and leave nothing running.
//!
//! `tests/fixtures/hostile` holds one listing per hostile behaviour (printing, spinning or
//! sleeping forever, escaping into process groups and sessions of their own, reading a stdin
//! nobody gives, scribbling in their directory, crashing every way, printing what terminals
//! struggle with). Each has its verdict and the bound it must stay within in `CASES`. The
//! other tests interrupt the engine in the middle of a build, a run and a bless, and feed it
//! author mistakes that must change nothing.
//!
//! Processes are found in `/proc` by what their command line holds: every process the engine
//! starts names the book's temporary directory (cargo, rustc, the supervisors, the listings)
//! or a sleeper's odd duration, which the tests make unique to this test process.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Book, Engine, Proc, book_with, descendants, fixture, proc_of, processes, tree};
use serde_json::Value;

/// The longest limit of any run in the hostile book (`timeout=2s`; no block is left with the
/// default 10 s, which `the_hostile_book_states_its_limits` checks).
const LARGEST_LIMIT: Duration = Duration::from_secs(2);
/// A whole run of the (already built) hostile book ends within its largest limit plus this.
const SLACK: Duration = Duration::from_secs(5);
/// The engine's peak resident memory, whatever the listings print: it keeps at most 16 MiB of
/// a run's output.
const ENGINE_MEMORY: u64 = 200 << 20;
/// How long the processes of a stopped build or run get to vanish from the process table
/// (SIGKILL is asynchronous; the kernel still has to tear them down).
const SETTLE: Duration = Duration::from_millis(1000);

/// What a hostile listing must stay within, besides its verdict.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// Stopped at its `timeout=`: the reason names the limit.
    TimeLimit,
    /// Stopped once it printed more than 16 MiB: the reason says so, the report stays short.
    OutputCap,
    /// Refused memory by the 4 GiB data limit (`RLIMIT_DATA`), cheaply and with a clear report.
    DataLimit,
    /// Ends well before its `timeout=2s` (a pass proves it: the verdict would be "still
    /// running" otherwise).
    EndsInTime,
    /// Nothing it started survives the run: no sleeper with these marks is left.
    NoSurvivors(&'static [&'static str]),
    /// Every run in a fresh directory, removed afterwards; the book untouched.
    Isolated,
    /// Reported by the signal that ended it, not as an exit status.
    Signal(&'static str),
    /// Its report is short even though it printed a 10 MB line.
    ShortReport,
}

/// One hostile listing: its id (`pass-` or `fail-`: the verdict), what the reason and the
/// detail of a failure must contain, and its bound.
struct Case {
    id: &'static str,
    reason: &'static str,
    detail: &'static str,
    bound: Bound,
}

const fn case(id: &'static str, reason: &'static str, detail: &'static str, bound: Bound) -> Case {
    Case {
        id,
        reason,
        detail,
        bound,
    }
}

const SIGABRT_REASON: &str = "killed by SIGABRT (an abort: a panic while panicking, or a memory allocation refused by the 4 GiB limit)";

/// Every listing of the hostile book.
const CASES: &[Case] = &[
    // endless.md
    case(
        "fail-prints-forever",
        "printed more than 16777216 bytes (16 MiB), and was stopped",
        "spam, spam, spam and spam",
        Bound::OutputCap,
    ),
    case(
        "fail-busy-forever",
        "still running after 1.0s (its time limit), and was killed",
        "spinning",
        Bound::TimeLimit,
    ),
    case(
        "fail-sleeps-forever",
        "still running after 1.0s (its time limit), and was killed",
        "sleeping",
        Bound::TimeLimit,
    ),
    case(
        "fail-allocates-until-abort",
        SIGABRT_REASON,
        "memory allocation of 67108864 bytes failed",
        Bound::DataLimit,
    ),
    // Prints how much it got before a refusal: between 3 and 4 GiB.
    case("pass-allocation-refused", "", "", Bound::DataLimit),
    case("pass-thousand-threads", "", "", Bound::EndsInTime),
    // escapes.md
    case(
        "pass-leaves-children-behind",
        "",
        "",
        Bound::NoSurvivors(&["4201", "4202"]),
    ),
    case(
        "pass-leaves-children-at-kill-after",
        "",
        "",
        Bound::NoSurvivors(&["4203", "4204"]),
    ),
    // The engine sees its supervisor killed; it kills the listing and its sleepers itself.
    case(
        "fail-kills-its-supervisor",
        "killed by SIGKILL",
        "killing my supervisor",
        Bound::NoSurvivors(&["4205", "4206"]),
    ),
    case("pass-reads-stdin", "", "", Bound::EndsInTime),
    case("pass-scribbles", "", "", Bound::Isolated),
    // crashes.md
    case("pass-thread-panics-main-exits-zero", "", "", Bound::EndsInTime),
    case(
        "fail-aborts",
        SIGABRT_REASON,
        "giving up",
        Bound::Signal("SIGABRT"),
    ),
    case(
        "fail-segfaults",
        "killed by SIGSEGV",
        "about to crash",
        Bound::Signal("SIGSEGV"),
    ),
    case(
        "fail-kills-itself",
        "killed by SIGKILL",
        "about to vanish",
        Bound::Signal("SIGKILL"),
    ),
    // bytes.md
    case("pass-invalid-utf8", "", "", Bound::EndsInTime),
    case("pass-ten-megabyte-line", "", "", Bound::EndsInTime),
    case(
        "fail-ten-megabyte-line-differs",
        "printed something else",
        "- start:[..]:END",
        Bound::ShortReport,
    ),
    case("pass-carriage-returns", "", "", Bound::EndsInTime),
    case("pass-ansi-colours", "", "", Bound::EndsInTime),
];

#[test]
fn the_hostile_book_states_its_limits() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/src");
    let mut blocks = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| l.starts_with("```output")) {
            blocks += 1;
            let limit = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("timeout=").or(w.strip_prefix("kill-after=")))
                .unwrap_or_else(|| panic!("`{line}` has no limit of its own"));
            let secs: f64 = match limit.strip_suffix("ms") {
                Some(ms) => ms.parse::<f64>().unwrap() / 1000.0,
                None => limit.strip_suffix('s').unwrap().parse().unwrap(),
            };
            assert!(secs <= LARGEST_LIMIT.as_secs_f64(), "`{line}`");
        }
    }
    assert_eq!(blocks, 21, "every output block was seen");
}

#[test]
fn hostile_listings_get_their_verdicts_within_their_bounds() {
    let (book, marks) = hostile_book();
    let files_before = tree(book.root());
    let tmp = tempfile::Builder::new()
        .prefix("xtask-hostile-tmp-")
        .tempdir()
        .unwrap();

    // The first run builds the book and runs as many listings at once as there are CPUs. The
    // second (everything built, nothing cached) runs them all at once: its duration is
    // bounded by the listings' longest limit, and the engine holds every run's output at the
    // same time.
    let rounds: [&[&str]; 2] = [&[], &["--force", "--jobs", "32"]];
    for (round, extra) in (1..).zip(rounds) {
        let mut args = vec!["test-listings", "--format", "json", "--no-progress"];
        args.extend(extra);
        let run = watch(book.command_with(&args, &unprivileged(Some(tmp.path()))));
        eprintln!(
            "round {round}: {:.1}s, engine peak RSS {} MiB",
            run.elapsed.as_secs_f64(),
            run.peak_rss >> 20
        );
        check_verdicts(&run, &marks, tmp.path(), book.root());

        // Bounds of the whole run.
        assert!(
            run.peak_rss < ENGINE_MEMORY,
            "the engine's peak RSS was {} MiB",
            run.peak_rss >> 20
        );
        if round == 2 {
            assert!(
                run.elapsed <= LARGEST_LIMIT + SLACK,
                "a run of the built hostile book took {:?}",
                run.elapsed
            );
        }
        let left = settled(&[book.root().to_str().unwrap(), &marks.prefix]);
        assert!(left.is_empty(), "left running after round {round}: {left:#?}");
        let survivors = still_alive(&run.seen);
        assert!(
            survivors.is_empty(),
            "descendants of the engine survive it: {survivors:#?}"
        );
        let runs_left = run_dirs(tmp.path());
        assert!(runs_left.is_empty(), "run directories left behind: {runs_left:?}");
        assert_book_untouched(&files_before, &tree(book.root()));
    }
}

/// Checks a round's verdicts: one per case, each as its case says, and the status and
/// summary they make.
fn check_verdicts(run: &Watched, marks: &Marks, tmp: &Path, root: &Path) {
    let verdicts = verdicts_of(&run.stdout);
    let ids: BTreeSet<&str> = verdicts.keys().map(String::as_str).collect();
    let cases: BTreeSet<&str> = CASES.iter().map(|c| c.id).collect();
    assert_eq!(ids, cases, "every listing of the hostile book has its case");
    for c in CASES {
        check_case(c, &verdicts[c.id]);
        check_bound(c, &verdicts[c.id], marks, tmp, root);
    }
    assert_eq!(
        run.code,
        Some(1),
        "failing listings make the status 1\n{}",
        run.stderr
    );
    assert!(
        run.stderr.trim_end().ends_with("11 passed, 9 failed, 0 skipped"),
        "{}",
        run.stderr
    );
}

/// Checks one listing's verdict, its reason and detail, and the length of its runs.
fn check_case(c: &Case, v: &Value) {
    let id = c.id;
    let pass = id.starts_with("pass-");
    assert_eq!(
        v["verdict"],
        if pass { "passed" } else { "failed" },
        "{id}: {v:#}"
    );
    let reason = v["reason"].as_str().unwrap_or_default();
    let detail = v["detail"].as_str().unwrap_or_default();
    if pass {
        assert!(v["reason"].is_null(), "{id}: ran, not cached: {v:#}");
    } else {
        assert!(
            reason.contains(c.reason),
            "{id}: reason `{reason}` should contain `{}`",
            c.reason
        );
        assert!(
            detail.contains(c.detail),
            "{id}: detail should contain `{}`:\n{detail}",
            c.detail
        );
    }
    // Every run ends by its limit, give or take the moment it takes to stop it.
    if let Some(ms) = v["longest_run_ms"].as_u64() {
        let longest = Duration::from_millis(ms);
        assert!(
            longest <= LARGEST_LIMIT + Duration::from_secs(1),
            "{id}: a run of {longest:?}"
        );
    }
}

/// Checks that one listing stayed within its bound.
fn check_bound(c: &Case, v: &Value, marks: &Marks, tmp: &Path, root: &Path) {
    let id = c.id;
    let pass = id.starts_with("pass-");
    let reason = v["reason"].as_str().unwrap_or_default();
    let detail = v["detail"].as_str().unwrap_or_default();
    match c.bound {
        Bound::TimeLimit => assert!(reason.contains("(its time limit)"), "{id}: {reason}"),
        Bound::OutputCap => {
            assert!(reason.contains("16 MiB"), "{id}: {reason}");
            assert!(
                detail.len() < 1000,
                "{id}: the report shows a few lines, not 16 MiB"
            );
        }
        Bound::DataLimit => {
            if !pass {
                assert!(reason.contains("4 GiB limit"), "{id}: {reason}");
            }
        }
        Bound::EndsInTime => assert!(pass, "{id}"),
        Bound::NoSurvivors(which) => {
            let wanted: Vec<String> = which.iter().map(|m| marks.sleeper(m)).collect();
            let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
            let left = settled(&wanted);
            assert!(left.is_empty(), "{id}: its sleepers survive: {left:#?}");
        }
        Bound::Isolated => {
            // Three runs, each found its directory empty (the block says `entries at start:
            // 0`), each under the engine's TMPDIR; all were removed, even the one the
            // listing locked (`chmod 000`).
            assert!(pass, "{id}: {v:#}");
            assert_eq!(run_dirs(tmp), Vec::<PathBuf>::new(), "{id}: run directories left");
            assert!(!root.join("notes.txt").exists() && !root.join("locked").exists());
        }
        Bound::Signal(name) => {
            assert!(reason.starts_with(&format!("killed by {name}")), "{id}: {reason}");
            assert!(!reason.contains("exited with status"), "{id}: {reason}");
        }
        Bound::ShortReport => {
            assert!(
                detail.contains("more characters)"),
                "{id}: the long line is clipped"
            );
            assert!(detail.len() < 4096, "{id}: a report of {} bytes", detail.len());
        }
    }
}

/// The marks that make a test's sleepers unique in the process table: `sleep 1000.<pid><base>NN`
/// (the fixture's `1000.42NN` becomes `1000.<pid>42NN`).
struct Marks {
    /// `1000.<pid><base>`: a duration `sleep` accepts.
    duration: String,
    /// `sleep 1000.<pid><base>`: what the command line of each sleeper holds.
    prefix: String,
}

impl Marks {
    fn new(base: &str) -> Marks {
        let duration = format!("1000.{}{base}", std::process::id());
        Marks {
            prefix: format!("sleep {duration}"),
            duration,
        }
    }

    /// Sleeper `NN` of `xxNN` (`4201` in the fixture: the first two digits are the base).
    fn sleeper(&self, name: &str) -> String {
        format!("{}{}", self.prefix, &name[2..])
    }
}

fn hostile_book() -> (Book, Marks) {
    let book = fixture("hostile");
    let marks = Marks::new("42");
    let text = book.read("src/escapes.md");
    assert_eq!(text.matches("1000.42").count(), 6, "the fixture's sleepers");
    book.write("src/escapes.md", &text.replace("1000.42", &marks.duration));
    (book, marks)
}

/// The run directories left in `tmp` (the engine's TMPDIR).
fn run_dirs(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("xtask-run-"))
        .map(|e| e.path())
        .collect()
}

/// The book gained only what a run writes (the crates, `Cargo.lock`, the target directory)
/// and lost or changed nothing.
fn assert_book_untouched(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, content) in before {
        assert!(after.get(path) == Some(content), "{} changed", path.display());
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        assert!(
            path.starts_with("listings") || path == Path::new("Cargo.lock"),
            "a run wrote {} into the book",
            path.display()
        );
    }
}

/// How every test here runs the engine: unprivileged when the tests run as root (a listing's
/// locked directory must be as hard to remove as it is for any author), with `TMPDIR` (where
/// the runs' directories go) set when given.
fn unprivileged(tmp: Option<&Path>) -> Engine {
    Engine {
        tmp: tmp.map(Path::to_path_buf),
        unprivileged: true,
        target: None,
    }
}

/// Live processes (not zombies, not this test process) whose command line holds one of
/// `marks`.
fn running(marks: &[&str]) -> Vec<Proc> {
    let me = std::process::id() as i32;
    processes()
        .into_iter()
        .filter(|p| p.pid != me && p.state != 'Z' && marks.iter().any(|m| p.cmdline.contains(m)))
        .collect()
}

/// `running(marks)` once the processes being killed had time to vanish.
fn settled(marks: &[&str]) -> Vec<Proc> {
    let start = Instant::now();
    loop {
        let left = running(marks);
        if left.is_empty() || start.elapsed() > SETTLE {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Those of `seen` that still exist (same pid, same start time) and are not zombies, once
/// they had time to vanish.
fn still_alive(seen: &[Proc]) -> Vec<Proc> {
    let start = Instant::now();
    loop {
        let alive: Vec<Proc> = seen
            .iter()
            .filter_map(|p| proc_of(p.pid).filter(|now| now.start == p.start && now.state != 'Z'))
            .collect();
        if alive.is_empty() || start.elapsed() > SETTLE {
            return alive;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The engine's peak resident set (`VmHWM`), in bytes, while it runs.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib << 10)
}

/// An engine run, watched.
struct Watched {
    code: Option<i32>,
    elapsed: Duration,
    /// The highest `VmHWM` read while it ran (sampled every few milliseconds until it exited).
    peak_rss: u64,
    /// Every descendant seen while it ran.
    seen: Vec<Proc>,
    stdout: String,
    stderr: String,
}

/// Runs `command` to its end, sampling its memory and its descendants.
fn watch(command: Command) -> Watched {
    watch_with(command, |_, _| {})
}

/// Like `watch`, with `during(pid, descendants)` called at every sample (to send signals).
fn watch_with(mut command: Command, mut during: impl FnMut(i32, &[Proc])) -> Watched {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = command.spawn().expect("starting xtask");
    let pid = child.id();
    let out = read_all(Box::new(child.stdout.take().unwrap()));
    let err = read_all(Box::new(child.stderr.take().unwrap()));
    let mut peak = 0;
    let mut seen: BTreeMap<(i32, u64), Proc> = BTreeMap::new();
    let mut sample = 0u32;
    let status = loop {
        peak = peak.max(peak_rss(pid).unwrap_or(0));
        // The process table is larger to read: every fifth sample.
        if sample.is_multiple_of(5) {
            let now = descendants(&processes(), pid as i32);
            for p in &now {
                seen.entry((p.pid, p.start)).or_insert_with(|| p.clone());
            }
            during(pid as i32, &now);
        }
        sample += 1;
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(240), "the engine hangs");
        std::thread::sleep(Duration::from_millis(5));
    };
    Watched {
        code: status.code(),
        elapsed: start.elapsed(),
        peak_rss: peak,
        seen: seen.into_values().collect(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// All that `r` gives, read on a thread of its own (a full pipe would block the engine).
fn read_all(mut r: Box<dyn Read + Send>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = r.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    })
}

fn verdicts_of(stdout: &str) -> BTreeMap<String, Value> {
    stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

// Interrupts ---------------------------------------------------------------------------------

/// A listing that starts a sleeper in a session of its own and another beside it, then
/// sleeps: interrupted, nothing of it may survive.
fn sleeper_chapter(marks: &Marks) -> String {
    format!(
        "# Sleeper\n\n```rust listing=sleeper\nfn main() {{\n    std::process::Command::new(\"sh\")\n        \
         .args([\"-c\", \"setsid {a} & {b}\"])\n        .spawn()\n        .unwrap();\n    \
         println!(\"sleeping\");\n    std::thread::sleep(std::time::Duration::from_secs(1000));\n}}\n```\n\n\
         ```output timeout=60s\nsleeping\n```\n",
        a = marks.sleeper("xx01"),
        b = marks.sleeper("xx02"),
    )
}

/// Runs `command` until `ready(descendants)`, then sends `signal` to the engine; returns the
/// run and how long the engine took to exit after the signal.
fn interrupt_when(
    command: Command,
    signal: nix::sys::signal::Signal,
    ready: impl Fn(&[Proc]) -> bool,
) -> (Watched, Option<Instant>) {
    let mut sent = None;
    let run = watch_with(command, |pid, now| {
        if sent.is_none() && ready(now) {
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
            sent = Some(Instant::now());
        }
    });
    (run, sent)
}

fn interrupt_a_run(signal: nix::sys::signal::Signal, base: &str) {
    let marks = Marks::new(base);
    let book = book_with(&[("sleeper.md", &sleeper_chapter(&marks))]);
    let (a, b) = (marks.sleeper("xx01"), marks.sleeper("xx02"));
    let (run, sent) = interrupt_when(
        book.command_with(&["test-listings", "--no-progress"], &unprivileged(None)),
        signal,
        |now| {
            [&a, &b]
                .iter()
                .all(|m| now.iter().any(|p| p.cmdline.contains(m.as_str())))
        },
    );
    let sent = sent.unwrap_or_else(|| {
        panic!(
            "the sleepers never ran (status {:?}):\n{}{}",
            run.code, run.stdout, run.stderr
        )
    });
    assert_eq!(run.code, Some(130), "{signal}: exit status 130\n{}", run.stderr);
    assert!(
        run.stderr
            .contains("interrupted: every run was stopped; no chapter was changed"),
        "{}",
        run.stderr
    );
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "{signal}: the engine took {took:?} to stop"
    );
    assert!(run.seen.iter().any(|p| p.cmdline.contains("__supervise")));
    let survivors = still_alive(&run.seen);
    assert!(survivors.is_empty(), "{signal}: survivors {survivors:#?}");
    let left = settled(&[book.root().to_str().unwrap(), &marks.prefix]);
    assert!(left.is_empty(), "{signal}: left running {left:#?}");
}

#[test]
fn sigterm_in_the_middle_of_a_run_stops_everything() {
    interrupt_a_run(nix::sys::signal::Signal::SIGTERM, "71");
}

#[test]
fn sigint_in_the_middle_of_a_run_stops_everything() {
    interrupt_a_run(nix::sys::signal::Signal::SIGINT, "72");
}

#[test]
fn an_interrupt_in_the_middle_of_the_build_stops_the_compiler() {
    // Constant evaluation keeps rustc busy for seconds; the engine is interrupted meanwhile.
    let chapter = "# Slow\n\n```rust listing=slow-to-build\n#![allow(long_running_const_eval)]\n\
        const SUM: u64 = {\n    let mut i = 0;\n    let mut s = 0u64;\n    while i < 200_000_000 {\n        \
        s = s.wrapping_add(i);\n        i += 1;\n    }\n    s\n};\n\nfn main() {\n    println!(\"{SUM}\");\n}\n```\n\n\
        ```output\nsum [N]\n```\n";
    let book = book_with(&[("slow.md", chapter)]);
    let (run, sent) = interrupt_when(
        book.command_with(&["test-listings", "--no-progress"], &unprivileged(None)),
        nix::sys::signal::Signal::SIGTERM,
        |now| {
            now.iter()
                .any(|p| p.cmdline.contains("--crate-name slow_to_build"))
        },
    );
    assert!(sent.is_some(), "rustc never ran:\n{}", run.stderr);
    assert_eq!(run.code, Some(130), "{}", run.stderr);
    let survivors = still_alive(&run.seen);
    assert!(
        survivors.is_empty(),
        "the build goes on without the engine: {survivors:#?}"
    );
    let left = settled(&[book.root().to_str().unwrap()]);
    assert!(left.is_empty(), "left running {left:#?}");
}

/// A chapter whose listing prints `{printed}` where its block expects `{expected}`.
fn blessable(id: &str, expected: &str, printed: &str) -> String {
    format!(
        "# {id}\n\nProse before.\n\n```rust listing={id}\nfn main() {{\n    println!(\"{printed}\");\n}}\n```\n\n\
         ```output\n{expected}\n```\n\nProse after.\n"
    )
}

/// `test-listings --bless`, as the bless tests run it.
const BLESS: &[&str] = &["test-listings", "--bless", "--no-progress"];

/// The chapters a bless rewrites, with their text as written; blessed, each `was` becomes `is`.
struct Blessable<'a> {
    book: &'a Book,
    chapters: [(&'static str, String); 2],
}

impl Blessable<'_> {
    fn blessed(old: &str) -> String {
        old.replace(" was\n```", " is\n```")
    }

    /// Every chapter as it was written.
    fn restore(&self) {
        for (path, old) in &self.chapters {
            self.book.write(path, old);
        }
    }

    fn assert_old(&self, when: &str) {
        for (path, old) in &self.chapters {
            assert_eq!(self.book.read(path), *old, "{when}: {path} changed");
        }
    }

    fn assert_whole(&self, when: &str) {
        for (path, old) in &self.chapters {
            assert_eq!(
                self.book.read(path),
                Self::blessed(old),
                "{when}: {path} not blessed whole"
            );
        }
    }

    fn assert_old_or_whole(&self, when: &str) {
        for (path, old) in &self.chapters {
            let now = self.book.read(path);
            assert!(
                now == *old || now == Self::blessed(old),
                "{when}: {path} is neither as it was nor fully blessed:\n{now}"
            );
        }
    }
}

#[test]
fn interrupting_bless_leaves_every_chapter_as_it_was_or_whole() {
    let marks = Marks::new("73");
    let alpha = blessable("alpha", "alpha was", "alpha is");
    let beta = blessable("beta", "beta was", "beta is");
    let book = book_with(&[
        ("alpha.md", &alpha),
        ("beta.md", &beta),
        ("sleeper.md", &sleeper_chapter(&marks)),
    ]);
    let chapters = Blessable {
        book: &book,
        chapters: [("src/alpha.md", alpha), ("src/beta.md", beta)],
    };
    bless_interrupted_while_a_listing_runs(&chapters, &marks);

    // Without the sleeper, the bless completes when nothing stops it.
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [alpha.md](alpha.md)\n- [beta.md](beta.md)\n",
    );
    let clean = watch(book.command_with(BLESS, &unprivileged(None)));
    assert_eq!(clean.code, Some(1), "{}", clean.stderr);
    chapters.assert_whole("an uninterrupted bless");

    bless_signalled_at_any_moment(&chapters, clean.elapsed);
    bless_signalled_between_two_chapter_writes(&chapters);
}

/// Interrupted while the sleeper runs: every chapter as it was, nothing left running.
fn bless_interrupted_while_a_listing_runs(chapters: &Blessable, marks: &Marks) {
    let book = chapters.book;
    let sleeper = marks.sleeper("xx02");
    let (run, sent) = interrupt_when(
        book.command_with(BLESS, &unprivileged(None)),
        nix::sys::signal::Signal::SIGTERM,
        |now| now.iter().any(|p| p.cmdline.contains(&sleeper)),
    );
    assert!(sent.is_some(), "the sleeper never ran:\n{}", run.stderr);
    assert_eq!(run.code, Some(130), "{}", run.stderr);
    chapters.assert_old("interrupted while a listing ran");
    assert!(still_alive(&run.seen).is_empty());
    assert!(settled(&[book.root().to_str().unwrap(), &marks.prefix]).is_empty());
}

/// A signal at a moment of a bless chosen by a delay: before the runs (the engine stops, or
/// dies by the signal while it reads the book), during them (130), or while it writes (the
/// bless completes). Each chapter is as it was or whole, every time. Which moments the
/// delays hit depends on the machine; `bless_signalled_between_two_chapter_writes` makes
/// sure of the write window.
fn bless_signalled_at_any_moment(chapters: &Blessable, whole: Duration) {
    let book = chapters.book;
    let mut outcomes = BTreeSet::new();
    for step in 0..6 {
        chapters.restore();
        let delay = whole.mul_f64(f64::from(step) / 5.0);
        let mut command = book.command_with(BLESS, &unprivileged(None));
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = command.spawn().unwrap();
        std::thread::sleep(delay);
        let signal = if step % 2 == 0 {
            nix::sys::signal::Signal::SIGTERM
        } else {
            nix::sys::signal::Signal::SIGINT
        };
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal);
        let status = child.wait().unwrap();
        let when = format!("{signal} after {delay:?} (status {status})");
        chapters.assert_old_or_whole(&when);
        if status.code() == Some(130) {
            chapters.assert_old(&format!("{when}: interrupted, yet"));
        }
        outcomes.insert(format!("{status}"));
        let left = settled(&[book.root().to_str().unwrap()]);
        assert!(left.is_empty(), "{when}: left running {left:#?}");
    }
    eprintln!("outcomes of the interrupted blesses: {outcomes:?}");
}

/// A signal while bless writes the chapters, made certain. `src/beta.md` is a FIFO: having
/// written `alpha.md` (it says so on stderr), the engine reads `beta.md` again (bless checks
/// that a chapter did not change while the listings ran) and waits there until the test
/// feeds it, which it does only after the signal. Past the runs a signal stops nothing: the
/// engine finishes the bless, with status 1 and both chapters whole.
fn bless_signalled_between_two_chapter_writes(chapters: &Blessable) {
    let book = chapters.book;
    chapters.restore();
    let beta = book.path("src/beta.md");
    let text = chapters.chapters[1].1.clone();
    std::fs::remove_file(&beta).unwrap();
    nix::unistd::mkfifo(&beta, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // The first read of beta.md: when the engine loads the book.
    let load = {
        let (beta, text) = (beta.clone(), text.clone());
        std::thread::spawn(move || feed_fifo(&beta, &text, || Instant::now() < deadline))
    };
    let mut command = book.command_with(BLESS, &unprivileged(None));
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    // Drained so that the engine never blocks on a full pipe; the report is not read.
    let stdout_text = read_all(Box::new(child.stdout.take().unwrap()));
    // "blessed N output block(s) in src/alpha.md" is a progress message, on stderr.
    let lines = read_lines(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    let blessed_alpha = std::iter::from_fn(|| lines.recv_timeout(deadline - Instant::now()).ok())
        .inspect(|line| seen.push(line.clone()))
        .any(|line| line.starts_with("blessed ") && line.ends_with(" in src/alpha.md"));
    if !blessed_alpha {
        let _ = child.kill();
        panic!("the engine never blessed alpha.md:\n{}", seen.join("\n"));
    }
    assert!(
        load.join().unwrap(),
        "the engine loaded the book, so it read beta.md"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the engine waits for beta.md, it cannot have exited"
    );
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    // Let the signal arrive and be handled before the engine goes on.
    std::thread::sleep(Duration::from_millis(200));
    let fed = feed_fifo(&beta, &text, || child.try_wait().unwrap().is_none());
    let status = child.wait().unwrap();
    let _ = stdout_text.join();
    seen.extend(lines.iter());
    let stderr = seen.join("\n");
    assert!(
        fed,
        "the engine stopped before it read beta.md again ({status}):\n{stderr}"
    );
    assert_eq!(
        status.code(),
        Some(1),
        "a signal between two chapter writes:\n{stderr}"
    );
    chapters.assert_whole("a signal between two chapter writes");
}

/// Writes `text` into the FIFO at `path` once a reader has opened it, trying while `wait`
/// says a reader may still come; whether it was written.
fn feed_fifo(path: &Path, text: &str, mut wait: impl FnMut() -> bool) -> bool {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    while wait() {
        // Without a reader, a non-blocking open fails (ENXIO) instead of waiting forever.
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
            .open(path);
        if let Ok(mut fifo) = opened {
            fifo.write_all(text.as_bytes()).unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// The lines of `r`, sent as they come.
fn read_lines(r: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
