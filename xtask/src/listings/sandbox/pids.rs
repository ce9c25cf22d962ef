//! The processes layer: a pids cgroup per run (cgroup v1 or v2), else `RLIMIT_NPROC` in the
//! run's user namespace.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, geteuid};

use super::MAX_PIDS;

/// Where runs' cgroups can go: a v1 `pids` hierarchy, or a v2 one whose root delegates the
/// `pids` controller to its children.
pub(super) fn hierarchy() -> Option<PathBuf> {
    let v1 = Path::new("/sys/fs/cgroup/pids");
    if v1.join("tasks").exists() {
        return Some(v1.to_path_buf());
    }
    ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]
        .into_iter()
        .map(Path::new)
        .find(|d| {
            std::fs::read_to_string(d.join("cgroup.subtree_control"))
                .is_ok_and(|s| s.split_whitespace().any(|c| c == "pids"))
        })
        .map(Path::to_path_buf)
}

/// The cgroup of the run whose supervisor is `supervisor`, started by engine `engine`.
pub(super) fn run_cgroup(base: &Path, engine: u32, supervisor: u32) -> PathBuf {
    base.join(format!("xtask-run-{engine}-{supervisor}"))
}

/// Makes a cgroup of at most [`MAX_PIDS`] tasks at `dir` and moves this process into it.
pub(super) fn create_and_join(dir: &Path) -> Result<()> {
    std::fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
    let joined = std::fs::write(dir.join("pids.max"), MAX_PIDS.to_string())
        .and_then(|()| std::fs::write(dir.join("cgroup.procs"), std::process::id().to_string()));
    if let Err(e) = joined {
        let _ = std::fs::remove_dir(dir);
        return Err(e).with_context(|| format!("joining {}", dir.display()));
    }
    Ok(())
}

/// In the supervisor: its own cgroup under `base`, or, without one, `RLIMIT_NPROC`, which
/// counts per user namespace, so per run, for a user that is not root (root ignores it).
pub(super) fn enter(base: Option<&Path>, engine: i32, userns: bool) -> Result<()> {
    if let Some(base) = base {
        return create_and_join(&run_cgroup(base, engine as u32, std::process::id()));
    }
    if userns && !geteuid().is_root() {
        setrlimit(Resource::RLIMIT_NPROC, MAX_PIDS, MAX_PIDS).context("RLIMIT_NPROC")?;
        return Ok(());
    }
    bail!("no cgroup, and RLIMIT_NPROC does not hold root")
}

/// Removes a run's cgroup once the run is over; whatever is still in it is killed first.
pub(super) fn remove(dir: &Path) {
    for _ in 0..200 {
        match std::fs::remove_dir(dir) {
            Err(e) if e.raw_os_error() == Some(nix::libc::EBUSY) => {}
            _ => return,
        }
        let procs = std::fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default();
        for pid in procs.lines().filter_map(|l| l.trim().parse().ok()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Removes the cgroups that engines which are gone left behind (killed before they could).
pub(super) fn sweep(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(engine) = name.strip_prefix("xtask-run-").and_then(|r| r.split('-').next()) else {
            continue;
        };
        if !Path::new("/proc").join(engine).exists() {
            remove(&entry.path());
        }
    }
}
