//! `xtask __sandbox-probe`: which layers this kernel allows, found by trying each in a
//! child process of the probe (a layer that half-works must not spoil the next try).

use std::io::{Read, Write};

use anyhow::Result;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, geteuid};

use super::{Layer, Probe, files, namespaces, pids};

/// Tries every layer. Runs in a process of its own, single-threaded (it forks).
pub(super) fn probe() -> Probe {
    let root = geteuid().is_root();
    let (network, userns) = match in_child(|| namespaces::enter(true, &[])) {
        Ok(()) => (
            Layer::ok("a network namespace of its own, in a user namespace"),
            true,
        ),
        Err(why) if root => match in_child(|| namespaces::enter(false, &[])) {
            Ok(()) => (
                Layer::ok(format!(
                    "a network namespace of its own (as root; no user namespace: {why})"
                )),
                false,
            ),
            Err(e) => (
                Layer::missing(format!("cannot make a network namespace: {e}")),
                false,
            ),
        },
        Err(why) => (
            Layer::missing(format!("cannot make a user namespace: {why}{}", userns_hint())),
            false,
        ),
    };
    let (processes, cgroup) = processes(root, userns);
    Probe {
        network,
        files: files_layer(),
        processes,
        userns,
        cgroup,
    }
}

/// Landlock, tried for real: a child restricts itself as a run would.
fn files_layer() -> Layer {
    let Some(abi) = files::kernel_abi() else {
        let why = match std::io::Error::last_os_error().raw_os_error() {
            Some(nix::libc::EOPNOTSUPP) => {
                "Landlock is built into the kernel but not enabled (boot with `lsm=...,landlock`)"
            }
            _ => "the kernel has no Landlock (Linux 5.13 or later, built with CONFIG_SECURITY_LANDLOCK)",
        };
        return Layer::missing(why);
    };
    let dir = std::env::temp_dir();
    let exe = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    match in_child(|| files::restrict(&dir, &exe, false)) {
        // Scopes (signals, abstract Unix sockets) came with ABI 6; before, those are open.
        Ok(()) if abi < 6 => Layer::ok(format!(
            "Landlock ABI {abi} (signals and abstract Unix sockets not scoped: ABI 6, Linux 6.12)"
        )),
        Ok(()) => Layer::ok(format!("Landlock ABI {abi}")),
        Err(e) => Layer::missing(format!("Landlock ABI {abi} refused the rules: {e}")),
    }
}

/// A pids cgroup if one can be made here, else `RLIMIT_NPROC` where it holds per run.
fn processes(root: bool, userns: bool) -> (Layer, Option<std::path::PathBuf>) {
    let tried = pids::hierarchy().map(|base| {
        let dir = base.join(format!("xtask-probe-{}", std::process::id()));
        let made = std::fs::create_dir(&dir).and_then(|()| std::fs::write(dir.join("pids.max"), "1"));
        let _ = std::fs::remove_dir(&dir);
        (base, made)
    });
    match tried {
        Some((base, Ok(()))) => {
            let how = format!(
                "a pids cgroup per run under {}, at most {} tasks",
                base.display(),
                super::MAX_PIDS
            );
            (Layer::ok(how), Some(base))
        }
        _ if userns && !root => (
            Layer::ok(format!(
                "RLIMIT_NPROC {} in the run's user namespace",
                super::MAX_PIDS
            )),
            None,
        ),
        Some((base, Err(e))) => (
            Layer::missing(format!("cannot make a cgroup under {}: {e}", base.display())),
            None,
        ),
        None => (
            Layer::missing("no pids cgroup hierarchy (v1 `pids`, or v2 delegating `pids`)"),
            None,
        ),
    }
}

/// Why unprivileged user namespaces may be refused, when the machine says so.
fn userns_hint() -> String {
    let read = |p: &str| std::fs::read_to_string(p).map(|s| s.trim().to_string());
    if read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").is_ok_and(|v| v == "1") {
        return " (AppArmor restricts unprivileged user namespaces: \
                 kernel.apparmor_restrict_unprivileged_userns=1)"
            .into();
    }
    if read("/proc/sys/kernel/unprivileged_userns_clone").is_ok_and(|v| v == "0") {
        return " (kernel.unprivileged_userns_clone=0)".into();
    }
    if read("/proc/sys/user/max_user_namespaces").is_ok_and(|v| v == "0") {
        return " (user.max_user_namespaces=0)".into();
    }
    String::new()
}

/// Runs `f` in a forked child; its error, if any, as text.
fn in_child(f: impl FnOnce() -> Result<()>) -> Result<(), String> {
    let (mut r, mut w) = std::io::pipe().map_err(|e| e.to_string())?;
    // SAFETY: the probe is single-threaded; the child only runs `f` and exits.
    match unsafe { fork() }.map_err(|e| e.to_string())? {
        ForkResult::Child => {
            drop(r);
            let code = match f() {
                Ok(()) => 0,
                Err(e) => {
                    let _ = write!(w, "{e:#}");
                    1
                }
            };
            std::process::exit(code);
        }
        ForkResult::Parent { child } => {
            drop(w);
            let mut why = String::new();
            let _ = r.read_to_string(&mut why);
            match waitpid(child, None) {
                Ok(WaitStatus::Exited(_, 0)) => Ok(()),
                Ok(status) if why.is_empty() => Err(format!("the try ended: {status:?}")),
                _ => Err(why),
            }
        }
    }
}
