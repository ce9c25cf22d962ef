//! Run: one execution of a built listing, contained.
//!
//! Each run gets a fresh temporary working directory (removed afterwards), a fixed
//! environment, the standard input its block gives (or none: end of file at once), a time
//! limit, a cap on what it may print and a memory limit. It runs under the supervisor
//! (`supervise`), so whatever it starts is killed when it ends, and the engine kills the
//! supervisor at the limit, at `kill-after`, when the output cap is passed, or on Ctrl-C. A
//! listing that kills its supervisor leaves what it started to the engine, a subreaper too,
//! which kills it ([`kill_strays`]).

use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::book::Stream;
use crate::util::process::{cancelled, forget_child, kill_strays, spawn_child};

/// A run may print at most this much; past it, it is stopped and fails.
pub(crate) const OUTPUT_CAP: usize = 16 << 20;
/// A run may use at most this much memory (heap and stacks: `RLIMIT_DATA`).
pub(crate) const DATA_LIMIT: u64 = 4 << 30;
/// How long the supervisor gets to clean up after being asked to stop.
const GRACE: Duration = Duration::from_secs(3);

/// Everything a run needs.
#[derive(Debug, Clone)]
pub(crate) struct RunSpec {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdin: Option<String>,
    pub stream: Stream,
    pub timeout: Duration,
    pub kill_after: Option<Duration>,
    /// Files put in the working directory before the run (`with=`): path in it, contents.
    pub files: Vec<(String, String)>,
    /// CPU priority (nice value): runs that share the machine with the build yield to it.
    pub nice: i32,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    Exited(i32),
    /// Killed by a signal it did not ask for from us (a crash, an abort).
    Signaled(i32),
    /// Still running at `kill-after`, and killed then, as expected.
    KilledAfter(Duration),
    /// Still running at its time limit.
    TimedOut(Duration),
    /// Printed more than [`OUTPUT_CAP`].
    OutputCap,
    /// The engine was interrupted.
    Interrupted,
}

/// What a run printed and how it ended.
#[derive(Debug, Clone)]
pub(crate) struct RunOutput {
    pub ending: Ending,
    /// The stream(s) the output block describes.
    pub printed: Vec<u8>,
    /// The other stream, when the block describes only one: shown when the run fails.
    pub other: Vec<u8>,
    pub elapsed: Duration,
    /// When each line of `printed` arrived, since the run started: (earliest, read). It was
    /// read at the second time, and printed after the first (the engine's read before the
    /// one that brought it found it not there yet). A last line without a newline arrived
    /// when the run ended.
    pub arrivals: Vec<(Duration, Duration)>,
}

/// The environment every run gets, whoever runs the engine.
fn fixed_env(dir: &Path) -> Vec<(String, String)> {
    let home = dir.join("home").to_string_lossy().into_owned();
    let tmp = dir.join("tmp").to_string_lossy().into_owned();
    vec![
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ("HOME".into(), home),
        ("TMPDIR".into(), tmp),
        ("LANG".into(), "C.UTF-8".into()),
        ("TERM".into(), "dumb".into()),
        ("NO_COLOR".into(), "1".into()),
    ]
}

/// A pipe whose read end the engine reads asynchronously.
struct Pipe {
    reader: tokio::net::unix::pipe::Receiver,
    writer: std::io::PipeWriter,
}

impl Pipe {
    fn new() -> Result<Pipe> {
        let (r, w) = std::io::pipe().context("creating a pipe")?;
        let reader = tokio::net::unix::pipe::Receiver::from_owned_fd(OwnedFd::from(r))?;
        Ok(Pipe { reader, writer: w })
    }

    /// The read end, once the child has its copies of the write end: ours must close, or
    /// reading never sees end of file.
    fn into_reader(self) -> tokio::net::unix::pipe::Receiver {
        drop(self.writer);
        self.reader
    }
}

/// A run that has started: its supervisor, and the tasks reading what it prints.
struct Started {
    child: tokio::process::Child,
    pid: Option<Pid>,
    start: Instant,
    read_main: JoinHandle<Captured>,
    read_other: Option<JoinHandle<Captured>>,
    /// Turns true when a stream passes [`OUTPUT_CAP`].
    over_cap: watch::Receiver<bool>,
}

/// Runs a listing once. `cancel` turns true when the engine is interrupted.
pub(crate) async fn once(spec: &RunSpec, mut cancel: watch::Receiver<bool>) -> Result<RunOutput> {
    let dir = run_dir()?;
    for (path, text) in &spec.files {
        let dest = dir.path().join("work").join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&dest, text).with_context(|| format!("writing {}", dest.display()))?;
    }
    let mut run = spawn(spec, dir.path())?;
    let (ending, status) = wait(spec, &mut run, &mut cancel).await?;
    let elapsed = run.start.elapsed();
    release(run.pid, status).await;
    let ((printed, mut arrivals), (other, _)) = collect(run.read_main, run.read_other).await;
    remove_run_dir(dir);
    if !printed.ends_with(b"\n") && !printed.is_empty() {
        let earliest = arrivals.last().map_or(Duration::ZERO, |a| a.0);
        arrivals.push((earliest, elapsed));
    }
    Ok(RunOutput {
        ending,
        printed,
        other,
        elapsed,
        arrivals,
    })
}

/// A fresh temporary directory with the run's working directory, home and TMPDIR in it.
fn run_dir() -> Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("xtask-run-")
        .tempdir()
        .context("creating a run directory")?;
    for d in ["work", "home", "tmp"] {
        std::fs::create_dir(dir.path().join(d))?;
    }
    Ok(dir)
}

/// Starts the supervisor, with the listing's streams connected and its input fed.
fn spawn(spec: &RunSpec, dir: &Path) -> Result<Started> {
    let mut command = supervisor_command(spec, dir);
    let (main, other) = connect_streams(&mut command, spec.stream)?;
    let start = Instant::now();
    let mut child = spawn_child(&mut command).context("starting the run supervisor")?;
    // The command holds copies of the write ends too.
    drop(command);
    let main = main.into_reader();
    let other = other.map(Pipe::into_reader);
    if let Some(input) = &spec.stdin {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = input.clone().into_bytes();
        // A program that never reads its input must not block the run.
        tokio::spawn(async move {
            let _ = stdin.write_all(&input).await;
        });
    }
    let pid = child.id().map(|p| Pid::from_raw(p as i32));
    let (cap_tx, over_cap) = watch::channel(false);
    Ok(Started {
        child,
        pid,
        start,
        read_main: tokio::spawn(read_capped(main, cap_tx.clone(), start)),
        read_other: other.map(|r| tokio::spawn(read_capped(r, cap_tx, start))),
        over_cap,
    })
}

/// The supervisor's command line, environment and working directory; its streams are
/// connected by [`connect_streams`].
fn supervisor_command(spec: &RunSpec, dir: &Path) -> Command {
    // The running binary itself, even if `cargo build` replaces the file while we run.
    let mut command = Command::new("/proc/self/exe");
    command
        .arg("__supervise")
        .arg("--parent")
        .arg(std::process::id().to_string())
        .arg("--data-limit")
        .arg(DATA_LIMIT.to_string())
        .arg("--nice")
        .arg(spec.nice.to_string())
        .arg("--")
        .arg(&spec.program)
        .args(&spec.args)
        .env_clear()
        .envs(fixed_env(dir))
        .envs(spec.env.iter().cloned())
        .envs(super::sandbox::supervisor_env(dir))
        .current_dir(dir.join("work"))
        // Its own process group: a Ctrl-C at the terminal reaches the engine, which stops
        // runs itself, rather than every listing at once.
        .process_group(0)
        .kill_on_drop(true)
        .stdin(if spec.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    command
}

/// Connects the run's standard output and error: the stream(s) the block checks to the
/// first pipe, the other one (if the block checks only one) to the second.
fn connect_streams(command: &mut Command, stream: Stream) -> Result<(Pipe, Option<Pipe>)> {
    let main = Pipe::new()?;
    if stream == Stream::Both {
        // One pipe for both streams keeps them in the order printed, as a terminal shows them.
        command.stdout(main.writer.try_clone()?);
        command.stderr(main.writer.try_clone()?);
        return Ok((main, None));
    }
    let other = Pipe::new()?;
    let (out, err) = if stream == Stream::Stdout {
        (&main, &other)
    } else {
        (&other, &main)
    };
    command.stdout(out.writer.try_clone()?);
    command.stderr(err.writer.try_clone()?);
    Ok((main, Some(other)))
}

/// Waits for the run to end, or stops it at its limit, at the output cap or on Ctrl-C.
/// Returns how it ended and how the supervisor ended, when known.
async fn wait(
    spec: &RunSpec,
    run: &mut Started,
    cancel: &mut watch::Receiver<bool>,
) -> Result<(Ending, Option<std::process::ExitStatus>)> {
    let limit = spec.kill_after.unwrap_or(spec.timeout);
    let ended = tokio::select! {
        status = run.child.wait() => Some(status?),
        _ = tokio::time::sleep(limit) => None,
        _ = cancelled(&mut run.over_cap) => None,
        _ = cancelled(cancel) => None,
    };
    if let Some(status) = ended {
        return Ok((ending_of(status), Some(status)));
    }
    let ending = if *cancel.borrow() {
        Ending::Interrupted
    } else if *run.over_cap.borrow() {
        Ending::OutputCap
    } else if let Some(k) = spec.kill_after {
        Ending::KilledAfter(k)
    } else {
        Ending::TimedOut(spec.timeout)
    };
    Ok((ending, stop(&mut run.child, run.pid).await))
}

/// The supervisor has been waited for: the registry forgets it, and if it may have left
/// something behind, the strays are killed.
async fn release(pid: Option<Pid>, status: Option<std::process::ExitStatus>) {
    if let Some(pid) = pid {
        forget_child(pid);
    }
    // A supervisor that ended by a signal may not have cleaned up: the listing killed it, or
    // it mirrored the listing's own signal, or `stop` had to kill it. What it left behind is
    // the engine's now. The sweep polls and sleeps until the strays are gone: not on a
    // worker thread, which other runs need meanwhile.
    if status.is_none_or(|s| s.signal().is_some()) {
        let _ = tokio::task::spawn_blocking(kill_strays).await;
    }
    super::sandbox::release(pid);
}

/// What the run printed. Everything that held the pipes is gone now; whatever is buffered
/// arrives at once. The deadline only guards against a descendant the supervisor could not
/// kill.
async fn collect(main: JoinHandle<Captured>, other: Option<JoinHandle<Captured>>) -> (Captured, Captured) {
    let both = async {
        let printed = main.await.unwrap_or_default();
        let other = match other {
            Some(h) => h.await.unwrap_or_default(),
            None => Captured::default(),
        };
        (printed, other)
    };
    tokio::time::timeout(GRACE, both).await.unwrap_or_default()
}

/// Removes a run's directory once everything the listing started is gone. A listing may
/// leave a directory it made unreadable or unwritable (`chmod 000`); unless the engine runs
/// as root, `remove_dir_all` cannot empty it and the run's files would stay behind. Every
/// directory is then given back to its owner and removal is tried again.
fn remove_run_dir(dir: tempfile::TempDir) {
    let path = dir.path().to_path_buf();
    if dir.close().is_ok() {
        return;
    }
    // `file_type` does not follow symbolic links: nothing outside the run's directory is
    // touched.
    let mut stack = vec![path.clone()];
    while let Some(d) = stack.pop() {
        let _ = std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700));
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        stack.extend(
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path()),
        );
    }
    let _ = std::fs::remove_dir_all(&path);
}

/// Asks the supervisor to stop (it kills the listing and all it started), then insists.
/// Returns how the supervisor ended, when known.
async fn stop(child: &mut tokio::process::Child, pid: Option<Pid>) -> Option<std::process::ExitStatus> {
    if let Some(pid) = pid {
        let _ = kill(pid, Signal::SIGTERM);
    }
    if let Ok(status) = tokio::time::timeout(GRACE, child.wait()).await {
        return status.ok();
    }
    if let Some(pid) = pid {
        let _ = nix::sys::signal::killpg(pid, Signal::SIGKILL);
    }
    let _ = child.kill().await;
    child.try_wait().ok().flatten()
}

fn ending_of(status: std::process::ExitStatus) -> Ending {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exited(code),
        (None, Some(sig)) => Ending::Signaled(sig),
        (None, None) => Ending::Exited(-1),
    }
}

/// Reads a stream to its end, keeping at most [`OUTPUT_CAP`] bytes; past that it raises
/// the flag (the run is stopped) and keeps draining so the writer is never blocked.
/// What was read from one stream: the bytes, and when each newline among them arrived
/// (see `RunOutput::arrivals`).
type Captured = (Vec<u8>, Vec<(Duration, Duration)>);

async fn read_capped(
    mut reader: tokio::net::unix::pipe::Receiver,
    over: watch::Sender<bool>,
    start: Instant,
) -> Captured {
    let mut kept = Vec::new();
    let mut arrivals = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    // Before the previous read: what this read brings was not there yet then.
    let mut earliest = Duration::ZERO;
    loop {
        let before = start.elapsed();
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = OUTPUT_CAP + 1 - kept.len().min(OUTPUT_CAP + 1);
                let now = start.elapsed();
                let newlines = buf[..n.min(room)].iter().filter(|&&b| b == b'\n').count();
                arrivals.extend(std::iter::repeat_n((earliest, now), newlines));
                earliest = before;
                kept.extend_from_slice(&buf[..n.min(room)]);
                if kept.len() > OUTPUT_CAP {
                    let _ = over.send(true);
                }
            }
        }
    }
    kept.truncate(OUTPUT_CAP);
    (kept, arrivals)
}

/// A human name for a signal number: `SIGABRT`.
pub(crate) fn signal_name(sig: i32) -> String {
    Signal::try_from(sig).map_or_else(|_| format!("signal {sig}"), |s| s.as_str().to_string())
}
