//! Helpers for the engine's integration tests: copies of fixture books in temporary
//! directories, and the `xtask` binary run on them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
        c.args(args)
            .arg("--book")
            .arg(self.root())
            .env_remove("CI")
            .env("RUST_BACKTRACE", "1")
            .env("CARGO_TARGET_DIR", self.path("target"))
            .env("NO_COLOR", "1");
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

/// Copies `xtask/tests/fixtures/NAME` into a new temporary directory.
pub fn fixture(name: &str) -> Book {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::Builder::new()
        .prefix(&format!("xtask-{name}-"))
        .tempdir()
        .unwrap();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    Book { dir }
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
