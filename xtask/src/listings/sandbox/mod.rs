//! The sandbox: what a listing run may touch.
//!
//! A listing is code from a chapter, and chapters come from pull requests. Besides the limits
//! of `run` (time, output, memory), every run is confined in three layers, each applied by
//! the run's supervisor to itself just before it starts the listing, so that the listing
//! and all it starts inherit them:
//!
//! - **network** (`namespaces`): a network namespace of its own with only `lo` up, in a user
//!   namespace where the kernel allows one (as root without one, a plain network
//!   namespace). A mount namespace beside it gives the run a root of its own: the system's
//!   directories (`/usr`, `/lib*`, `/etc`, `/proc`), a sysfs of the run's own network, a few
//!   devices, an empty `/tmp` and `/run`, and the run's directory and the listing's binary
//!   at their paths. Nothing else of the machine's file system is there: no Unix socket of
//!   the machine's can be reached by its path, which Landlock's ABI 7 cannot forbid.
//! - **files** (`files`): Landlock. Writes only in the run's directory (its working
//!   directory, HOME and TMPDIR are in it), `/dev/shm` and a few devices (`/dev/null`...);
//!   reads of the system (`/usr`, `/lib*`, `/bin`, `/etc` without its secrets, `/proc`,
//!   `/sys`) and of the listing's binary. Nothing else: not the book, not the author's
//!   HOME. Signals and abstract Unix sockets are scoped to the run.
//! - **processes** (`pids`): a pids cgroup of its own, at most [`MAX_PIDS`] tasks; without
//!   one, `RLIMIT_NPROC`, which a user namespace makes per run for a user that is not root.
//!
//! Then every capability is dropped and `no_new_privs` set. Which layers the kernel allows
//! is found once per engine run by `xtask __sandbox-probe` ([`prepare`]), which tries them
//! in a process of its own; a missing layer is reported once, and is an error under
//! `--require-sandbox` (implied by `CI`). The supervisor learns the plan from the
//! `XTASK_SANDBOX` variable ([`supervisor_env`]) and removes it before the listing starts.

mod caps;
mod files;
mod namespaces;
mod pids;
mod probe;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

/// The most tasks (processes and threads) a run may have at once, its supervisor included:
/// enough for Chapter 15's 2,000 connections on as many threads, and still a bound a fork
/// bomb meets long before the machine does.
pub(crate) const MAX_PIDS: u64 = 4096;

/// The variable that carries the plan from the engine to the supervisor.
const PLAN_VAR: &str = "XTASK_SANDBOX";
/// Names layers (`network,files,processes`) that the probe must report missing: for the
/// tests of the report and of `--require-sandbox`, and the bench rows that price the sandbox.
pub(crate) const SIMULATE_VAR: &str = "XTASK_SANDBOX_SIMULATE_MISSING";

/// What the probe found, layer by layer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Probe {
    pub(crate) network: Layer,
    pub(crate) files: Layer,
    pub(crate) processes: Layer,
    /// The network layer works in a user namespace (else: as root, without one).
    pub(crate) userns: bool,
    /// The pids cgroup hierarchy where runs get a cgroup each, if one can be made.
    pub(crate) cgroup: Option<PathBuf>,
}

/// One layer: whether the kernel allows it, how, or why not.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Layer {
    pub(crate) ok: bool,
    /// How it is applied, or why it cannot be.
    pub(crate) how: String,
}

impl Layer {
    fn ok(how: impl Into<String>) -> Layer {
        Layer {
            ok: true,
            how: how.into(),
        }
    }

    fn missing(why: impl Into<String>) -> Layer {
        Layer {
            ok: false,
            how: why.into(),
        }
    }
}

/// What the supervisor applies, as the probe found it.
static PLAN: OnceLock<Probe> = OnceLock::new();

/// Finds which layers the kernel allows (once per engine run) and reports the missing ones;
/// when `require` (`--require-sandbox` or `CI`), the inner result refuses to run without all
/// of them, with the message a misuse prints.
pub(crate) fn prepare(require: bool) -> Result<Result<(), String>> {
    if PLAN.get().is_some() {
        return Ok(Ok(()));
    }
    let found = run_probe()?;
    let missing: Vec<(&str, &Layer)> = [
        ("network isolation", &found.network),
        ("file confinement", &found.files),
        ("a process limit", &found.processes),
    ]
    .into_iter()
    .filter(|(_, l)| !l.ok)
    .collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing
            .iter()
            .map(|(name, l)| format!("{name}: {}", l.how))
            .collect();
        if require {
            return Ok(Err(format!(
                "--require-sandbox (implied by CI): listings would run without\n  {}",
                lines.join("\n  ")
            )));
        }
        eprintln!("warning: listings run without\n  {}", lines.join("\n  "));
    }
    if let Some(base) = &found.cgroup {
        pids::sweep(base);
    }
    let _ = PLAN.set(found);
    Ok(Ok(()))
}

/// Runs `xtask __sandbox-probe` and reads its answer.
fn run_probe() -> Result<Probe> {
    let out = std::process::Command::new("/proc/self/exe")
        .arg("__sandbox-probe")
        // Its tries cover /tmp, where the engine's working directory may be.
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .output()
        .context("running the sandbox probe")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found: Probe = serde_json::from_str(text.trim()).with_context(|| {
        format!(
            "the sandbox probe answered {:?} ({}): {}",
            text.trim(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })?;
    simulate_missing(&mut found);
    Ok(found)
}

/// Applies `XTASK_SANDBOX_SIMULATE_MISSING` to what the probe found.
fn simulate_missing(found: &mut Probe) {
    let Ok(names) = std::env::var(SIMULATE_VAR) else {
        return;
    };
    let why = || Layer::missing(format!("simulated ({SIMULATE_VAR})"));
    for name in names.split(',').map(str::trim) {
        match name {
            "network" => found.network = why(),
            "files" => found.files = why(),
            "processes" => {
                found.processes = why();
                found.cgroup = None;
            }
            _ => {}
        }
    }
}

/// The variables the supervisor of a run in `dir` needs: the plan, or nothing when
/// [`prepare`] did not run (then the supervisor applies no layer).
pub(crate) fn supervisor_env(dir: &Path) -> Vec<(String, String)> {
    let Some(plan) = PLAN.get() else {
        return Vec::new();
    };
    let text = serde_json::to_string(&Plan {
        probe: plan.clone(),
        dir: dir.to_path_buf(),
    })
    .expect("a plan serializes");
    vec![(PLAN_VAR.into(), text)]
}

/// The plan as the supervisor receives it.
#[derive(Debug, Serialize, Deserialize)]
struct Plan {
    probe: Probe,
    /// The run's directory: its working directory, HOME and TMPDIR.
    dir: PathBuf,
}

/// After a run, once its supervisor has been waited for and its strays killed: removes its
/// cgroup.
pub(crate) fn release(supervisor: Option<Pid>) {
    if let (Some(plan), Some(pid)) = (PLAN.get(), supervisor)
        && let Some(base) = &plan.cgroup
    {
        pids::remove(&pids::run_cgroup(base, std::process::id(), pid.as_raw() as u32));
    }
}

/// In the supervisor, before anything else: applies the plan in `XTASK_SANDBOX` (if any) to
/// this process, which then starts `program`. A layer the probe found but that fails now
/// stops the run: it never runs less protected than the engine said.
pub(crate) fn enter(parent: i32, program: &OsStr) -> Result<()> {
    let Some(text) = std::env::var_os(PLAN_VAR) else {
        return Ok(());
    };
    // SAFETY: the supervisor is single-threaded; nothing reads the environment meanwhile.
    unsafe { std::env::remove_var(PLAN_VAR) };
    let plan: Plan = serde_json::from_str(&text.to_string_lossy()).context("reading XTASK_SANDBOX")?;
    let program = Path::new(program);
    let probe = &plan.probe;
    if probe.processes.ok {
        pids::enter(probe.cgroup.as_deref(), parent, probe.userns).context("the process limit")?;
    }
    if probe.network.ok {
        namespaces::enter(probe.userns, &[&plan.dir, program]).context("the network namespace")?;
    }
    caps::drop_all().context("dropping capabilities")?;
    if probe.files.ok {
        files::restrict(&plan.dir, program, probe.network.ok).context("Landlock")?;
    } else {
        nix::sys::prctl::set_no_new_privs().context("no_new_privs")?;
    }
    Ok(())
}

/// `xtask __sandbox-probe`: tries every layer in this process and prints what it found as
/// JSON. Never returns.
pub(crate) fn probe_main() -> ! {
    let found = probe::probe();
    println!("{}", serde_json::to_string(&found).expect("a probe serializes"));
    std::process::exit(0)
}
