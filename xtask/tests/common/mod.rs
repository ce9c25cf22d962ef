//! Helpers for the engine's integration tests: copies of fixture books in temporary
//! directories, the `xtask` binary run on them, and the process table the engine's children
//! are looked for in.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// A fixture book copied into a temporary directory, with a target directory of its own.
pub struct Book {
    pub dir: tempfile::TempDir,
}

impl Book {
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// `xtask ARGS --book <this book>`, with a fixed environment: no `CI` (so that bless
    /// works), and `RUST_BACKTRACE=1`, which listings must never see.
    pub fn xtask(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("running xtask")
    }

    /// The command `xtask` runs, with the book's own target directory.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_with(args, &Engine::default())
    }

    /// The command `xtask` runs, set up as `engine` says.
    pub fn command_with(&self, args: &[&str], engine: &Engine) -> Command {
        let xtask = env!("CARGO_BIN_EXE_xtask");
        let mut c = if engine.unprivileged && can_drop_override() {
            let mut c = Command::new("setpriv");
            c.args(["--bounding-set", DROP, "--inh-caps", DROP, xtask]);
            c
        } else {
            Command::new(xtask)
        };
        c.args(args)
            .arg("--book")
            .arg(self.root())
            .env_remove("CI")
            .env("RUST_BACKTRACE", "1")
            .env(
                "CARGO_TARGET_DIR",
                engine.target.clone().unwrap_or_else(|| self.path("target")),
            )
            .env("NO_COLOR", "1");
        if let Some(tmp) = &engine.tmp {
            c.env("TMPDIR", tmp);
        }
        c
    }

    /// `test-listings --format json ARGS`: the verdict object of every listing, by id.
    pub fn verdicts(&self, args: &[&str]) -> (Option<i32>, BTreeMap<String, Value>, String) {
        let mut all = vec!["test-listings", "--format", "json", "--no-progress"];
        all.extend_from_slice(args);
        let out = self.xtask(&all);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut verdicts = BTreeMap::new();
        for line in stdout.lines() {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{stderr}"));
            verdicts.insert(v["id"].as_str().unwrap().to_string(), v);
        }
        (out.status.code(), verdicts, stderr)
    }
}

/// How `Book::command_with` runs the engine, besides the fixed environment.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    /// The engine's `TMPDIR`, where the runs' directories go.
    pub tmp: Option<PathBuf>,
    /// When the tests run as root, run the engine without the capabilities that let root
    /// ignore file permissions, as it would run for any author: a listing's locked directory
    /// is then as hard to remove as it is for everyone else.
    pub unprivileged: bool,
    /// `CARGO_TARGET_DIR`, when not the book's own `target/`.
    pub target: Option<PathBuf>,
}

/// The capabilities `setpriv` drops for `Engine::unprivileged`.
const DROP: &str = "-dac_override,-dac_read_search";

/// Whether this process is root and `setpriv` can drop `DROP` (checked once).
fn can_drop_override() -> bool {
    static CAN: OnceLock<bool> = OnceLock::new();
    *CAN.get_or_init(|| {
        effective_uid() == Some(0)
            && Command::new("setpriv")
                .args(["--bounding-set", DROP, "--inh-caps", DROP, "true"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    })
}

/// This process's effective user id, from `/proc/self/status` (`Uid: real effective ...`).
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Copies `xtask/tests/fixtures/NAME` into a new temporary directory.
pub fn fixture(name: &str) -> Book {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::Builder::new()
        .prefix(&format!("xtask-{name}-"))
        .tempdir()
        .unwrap();
    copy_tree(&src, dir.path());
    Book { dir }
}

/// Copies the directory `from` (all of it) to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("copying {}: {e}", entry.path().display()));
        }
    }
}

/// A new book with the given chapters (`(file name, text)`), in SUMMARY order.
pub fn book_with(chapters: &[(&str, &str)]) -> Book {
    let book = fixture("empty");
    let mut summary = String::from("# Summary\n\n");
    for (name, text) in chapters {
        summary.push_str(&format!("- [{name}]({name})\n"));
        book.write(&format!("src/{name}"), text);
    }
    book.write("src/SUMMARY.md", &summary);
    book
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A row of the process table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub state: char,
    /// Start time since boot, in clock ticks: a pid and its start time name one process.
    pub start: u64,
    pub cmdline: String,
}

/// The row of process `pid`, if it exists.
pub fn proc_of(pid: i32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    Some(Proc {
        pid,
        state: fields[0].chars().next()?,
        ppid: fields[1].parse().ok()?,
        start: fields[19].parse().ok()?,
        cmdline: String::from_utf8_lossy(&cmdline)
            .replace('\0', " ")
            .trim_end()
            .to_string(),
    })
}

/// Every process of the table.
pub fn processes() -> Vec<Proc> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter_map(proc_of)
        .collect()
}

/// The descendants of `root` in `table`.
pub fn descendants(table: &[Proc], root: i32) -> Vec<Proc> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for p in table.iter().filter(|p| p.ppid == parent) {
            frontier.push(p.pid);
            found.push(p.clone());
        }
    }
    found
}

/// epubcheck, as `.ci/run` installs it (`/usr/bin/epubcheck` does not start in these
/// containers; the jar does).
pub fn epubcheck(epub: &Path) -> String {
    let jar = [
        "/usr/share/java/epubcheck.jar",
        "/usr/share/epubcheck/epubcheck.jar",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
    .expect("epubcheck is installed (apt-get install epubcheck; .ci/run does it)");
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(epub)
        .output()
        .expect("running java");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
