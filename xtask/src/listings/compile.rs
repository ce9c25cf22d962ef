//! Build: every selected listing in one `cargo build --keep-going` invocation.
//!
//! Cargo's JSON messages are streamed: a listing's binary can run as soon as its
//! `compiler-artifact` message arrives, while the rest of the book still compiles. Every
//! compiler diagnostic is attributed to its listing through the manifest path cargo reports,
//! and its line in the extracted file maps back to a line of the chapter.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

use crate::book::Book;
use crate::book::COMPILE_FAIL_FEATURE;

/// What the build tells the engine, as it happens.
#[derive(Debug)]
pub(crate) enum Event {
    /// A binary of listing `listing` (an index into `Book::listings`) is ready.
    Artifact {
        listing: usize,
        bin: String,
        path: PathBuf,
    },
    /// A compiler message about listing `listing`.
    Message {
        listing: usize,
        message: CompilerMessage,
    },
    /// Cargo finished; `stderr` is what it printed besides JSON (shown when it failed).
    Finished { success: bool, stderr: String },
}

/// A rustc diagnostic, as much of it as the engine uses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CompilerMessage {
    pub level: String,
    pub code: Option<Code>,
    pub rendered: Option<String>,
    #[serde(default)]
    pub spans: Vec<Span>,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Code {
    pub code: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Span {
    pub file_name: String,
    pub line_start: usize,
    pub is_primary: bool,
}

#[derive(Deserialize)]
struct Line {
    reason: String,
    manifest_path: Option<PathBuf>,
    message: Option<CompilerMessage>,
    target: Option<Target>,
    executable: Option<PathBuf>,
    success: Option<bool>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

/// Starts `cargo build` for the listings at `selected` (indices into `book.listings`) and
/// returns the stream of its events. The last event is always `Finished`.
pub(crate) fn start(
    book: &Book,
    selected: &[usize],
    mut cancel: tokio::sync::watch::Receiver<bool>,
) -> Result<mpsc::UnboundedReceiver<Event>> {
    let root = book
        .root
        .canonicalize()
        .with_context(|| format!("finding {}", book.root.display()))?;
    let mut by_manifest = HashMap::new();
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .arg("build")
        .arg("--keep-going")
        .arg("--message-format=json")
        .arg("--color=never")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    let mut features = Vec::new();
    for &i in selected {
        let listing = &book.listings[i];
        command.arg("-p").arg(&listing.id);
        if listing.compile_fail {
            features.push(format!("{}/{COMPILE_FAIL_FEATURE}", listing.id));
        }
        by_manifest.insert(root.join(listing.crate_dir(book)).join("Cargo.toml"), i);
    }
    if !features.is_empty() {
        command.arg("--features").arg(features.join(","));
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A process group of its own, so that an interrupt stops the whole build: cargo does
        // not stop the rustc and linker processes it started when it is killed, and they
        // would go on compiling, orphaned, after the engine has exited.
        .process_group(0)
        .kill_on_drop(true);
    let mut child = crate::util::process::spawn_child(&mut command).context("starting cargo")?;
    let pid = child.id().map(|p| Pid::from_raw(p as i32));
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let stderr_text = tokio::spawn(async move {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s).await;
            s
        });
        let mut lines = BufReader::new(stdout).lines();
        let mut success = false;
        loop {
            let line = tokio::select! {
                    line = lines.next_line() => match line {
                        Ok(Some(line)) => line,
                        _ => break,
                    },
                    _ = crate::util::process::cancelled(&mut cancel) => {
                        // The group before cargo itself: while cargo is not reaped, its pid (the
                        // group's id) cannot be reused.
                        if let Some(pid) = pid {
                            let _ = killpg(pid, Signal::SIGKILL);
                        }
                        let _ = child.kill().await;
                        if let Some(pid) = pid {
                crate::util::process::forget_child(pid);
            }
                        let _ = tx.send(Event::Finished { success: false, stderr: "interrupted".into() });
                        return;
                    }
                };
            let Ok(msg) = serde_json::from_str::<Line>(&line) else {
                continue;
            };
            let listing = msg
                .manifest_path
                .as_deref()
                .and_then(|p| by_manifest.get(p).copied());
            match (msg.reason.as_str(), listing) {
                ("compiler-artifact", Some(listing)) => {
                    if let (Some(path), Some(target)) = (msg.executable, msg.target) {
                        let _ = tx.send(Event::Artifact {
                            listing,
                            bin: target.name,
                            path,
                        });
                    }
                }
                ("compiler-message", Some(listing)) => {
                    if let Some(message) = msg.message {
                        let _ = tx.send(Event::Message { listing, message });
                    }
                }
                ("build-finished", _) => success = msg.success.unwrap_or(false),
                _ => {}
            }
        }
        let status = child.wait().await.map(|s| s.success()).unwrap_or(false);
        if let Some(pid) = pid {
            crate::util::process::forget_child(pid);
        }
        let stderr = stderr_text.await.unwrap_or_default();
        let _ = tx.send(Event::Finished {
            success: success && status,
            stderr,
        });
    });
    Ok(rx)
}

/// Where in the chapter a diagnostic points: the chapter line of its primary span, when the
/// span is in one of the listing's files.
pub(crate) fn chapter_line(
    message: &CompilerMessage,
    crate_dir: &str,
    files: &[crate::book::SourceFile],
) -> Option<usize> {
    let span = message.spans.iter().find(|s| s.is_primary)?;
    let rel = Path::new(&span.file_name);
    let rel = rel.strip_prefix(crate_dir).unwrap_or(rel);
    let file = files.iter().find(|f| Path::new(&f.path) == rel)?;
    Some(file.line + span.line_start)
}
