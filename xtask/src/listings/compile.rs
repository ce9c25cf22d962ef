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
use tokio::process::{Child, ChildStderr, ChildStdout, Command};
use tokio::sync::{mpsc, watch};

use crate::book::COMPILE_FAIL_FEATURE;
use crate::book::{Book, Listing};
use crate::util::process::{cancelled, forget_child, spawn_child};

/// What the build tells the engine, as it happens.
#[derive(Debug)]
pub(crate) enum Event {
    /// A binary of listing `listing` (an index into `Book::listings`) is ready.
    Artifact {
        listing: usize,
        bin: String,
        path: PathBuf,
    },
    /// A target of listing `listing` that is no executable (its library) was built: a
    /// build that produces no executable is still a build.
    Library { listing: usize },
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

/// One line of cargo's `--message-format=json` output, as much of it as the engine uses.
#[derive(Deserialize)]
struct CargoMessage {
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
/// returns the stream of its events. The last event is always `Finished`. `root` is the
/// book's root, absolute: cargo names each listing by the absolute path of its manifest.
pub(crate) fn start(
    book: &Book,
    root: &Path,
    selected: &[usize],
    cancel: watch::Receiver<bool>,
) -> Result<mpsc::UnboundedReceiver<Event>> {
    let mut command = cargo_build(book, root, selected);
    let by_manifest = selected
        .iter()
        .map(|&i| (root.join(book.listings[i].crate_dir(book)).join("Cargo.toml"), i))
        .collect();
    let mut child = spawn_child(&mut command).context("starting cargo")?;
    let (events, rx) = mpsc::unbounded_channel();
    let build = Build {
        pid: child.id().map(|p| Pid::from_raw(p as i32)),
        stdout: child.stdout.take().expect("piped"),
        stderr: child.stderr.take().expect("piped"),
        child,
        by_manifest,
        events,
    };
    tokio::spawn(build.stream(cancel));
    Ok(rx)
}

/// The `-p` and `--features` arguments that build these listings: one package each, and the
/// feature that turns on a `compile_fail` listing's binaries. The benchmark's plain cargo
/// build asks for the same, so that the two build the same thing.
pub(crate) fn package_args<'l>(listings: impl IntoIterator<Item = &'l Listing>) -> Vec<String> {
    let mut args = Vec::new();
    let mut features = Vec::new();
    for listing in listings {
        args.extend(["-p".to_string(), listing.id.clone()]);
        if listing.compile_fail {
            features.push(format!("{}/{COMPILE_FAIL_FEATURE}", listing.id));
        }
    }
    if !features.is_empty() {
        args.extend(["--features".to_string(), features.join(",")]);
    }
    args
}

/// `cargo build` of the selected listings' packages, with the features their
/// `compile_fail` listings need, printing JSON.
fn cargo_build(book: &Book, root: &Path, selected: &[usize]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .arg("build")
        .args(["--profile", super::profile::PROFILE])
        .arg("--keep-going")
        .arg("--message-format=json")
        .arg("--color=never")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(package_args(selected.iter().map(|&i| &book.listings[i])));
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A process group of its own, so that an interrupt stops the whole build: cargo does
        // not stop the rustc and linker processes it started when it is killed, and they
        // would go on compiling, orphaned, after the engine has exited.
        .process_group(0)
        .kill_on_drop(true);
    command
}

/// A running `cargo build`, and where its events go.
struct Build {
    child: Child,
    pid: Option<Pid>,
    stdout: ChildStdout,
    stderr: ChildStderr,
    /// Each listing's manifest (absolute) → its index.
    by_manifest: HashMap<PathBuf, usize>,
    events: mpsc::UnboundedSender<Event>,
}

impl Build {
    /// Turns cargo's JSON into events until cargo is done, or kills it when `cancel`
    /// turns true; either way the last event is `Finished`.
    async fn stream(mut self, mut cancel: watch::Receiver<bool>) {
        let mut stderr = self.stderr;
        let stderr_text = tokio::spawn(async move {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s).await;
            s
        });
        let mut lines = BufReader::new(self.stdout).lines();
        let mut success = false;
        loop {
            let line = tokio::select! {
                line = lines.next_line() => match line {
                    Ok(Some(line)) => line,
                    _ => break,
                },
                _ = cancelled(&mut cancel) => {
                    stop(&mut self.child, self.pid).await;
                    let _ = self.events.send(Event::Finished { success: false, stderr: "interrupted".into() });
                    return;
                }
            };
            let Ok(msg) = serde_json::from_str::<CargoMessage>(&line) else {
                continue;
            };
            if msg.reason == "build-finished" {
                success = msg.success.unwrap_or(false);
            } else if let Some(event) = event_of(msg, &self.by_manifest) {
                let _ = self.events.send(event);
            }
        }
        let status = self.child.wait().await.map(|s| s.success()).unwrap_or(false);
        if let Some(pid) = self.pid {
            forget_child(pid);
        }
        let stderr = stderr_text.await.unwrap_or_default();
        let _ = self.events.send(Event::Finished {
            success: success && status,
            stderr,
        });
    }
}

/// The event a line of cargo's output means for a listing, if any.
fn event_of(msg: CargoMessage, by_manifest: &HashMap<PathBuf, usize>) -> Option<Event> {
    let listing = *by_manifest.get(msg.manifest_path.as_deref()?)?;
    match msg.reason.as_str() {
        "compiler-artifact" => Some(match msg.executable {
            Some(path) => Event::Artifact {
                listing,
                bin: msg.target?.name,
                path,
            },
            None => Event::Library { listing },
        }),
        "compiler-message" => Some(Event::Message {
            listing,
            message: msg.message?,
        }),
        _ => None,
    }
}

/// Kills cargo and everything it started, on Ctrl-C.
async fn stop(child: &mut Child, pid: Option<Pid>) {
    // The group before cargo itself: while cargo is not reaped, its pid (the group's id)
    // cannot be reused.
    if let Some(pid) = pid {
        let _ = killpg(pid, Signal::SIGKILL);
    }
    let _ = child.kill().await;
    if let Some(pid) = pid {
        forget_child(pid);
    }
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
