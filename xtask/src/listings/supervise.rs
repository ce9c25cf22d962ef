//! The run supervisor: a small process between the engine and each listing run.
//!
//! Killing a process group is not enough to clean up after a listing: a listing may start a
//! child that calls `setsid`, or a daemon that double-forks. The supervisor makes itself a
//! *child subreaper*, so every orphan of the run is re-parented to it instead of to init;
//! when the listing's main process ends (or the engine asks it to stop, or the engine dies),
//! it kills every descendant it has, waits for them, and then ends the way the listing
//! ended: the same exit code, or the same signal. To the engine it looks like the listing.
//!
//! It runs as `xtask __supervise --parent PID --data-limit BYTES --nice N -- PROGRAM ARGS...`
//! and is started only by `run`.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use nix::errno::Errno;
use nix::sys::prctl;
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigHandler, SigSet, Signal, kill, raise, signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, getpid, getppid};

/// Exit status when the program cannot be started at all.
pub(crate) const EXIT_CANNOT_START: i32 = 127;

/// Runs `program`, cleans up everything it started, and exits as it did. Never returns.
pub(crate) fn supervise(
    parent: i32,
    data_limit: u64,
    nice: i32,
    program: OsString,
    args: Vec<OsString>,
) -> ! {
    // If the engine dies (even by SIGKILL), the kernel tells us, and we clean up. The check
    // after closes the window in which the engine died before we asked.
    let _ = prctl::set_pdeathsig(Signal::SIGTERM);
    if getppid().as_raw() != parent {
        std::process::exit(EXIT_CANNOT_START);
    }
    if let Err(e) = prctl::set_child_subreaper(true) {
        eprintln!("xtask supervisor: cannot become a subreaper: {e}");
        std::process::exit(EXIT_CANNOT_START);
    }
    let mut waited = SigSet::empty();
    for s in [
        Signal::SIGCHLD,
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
        Signal::SIGQUIT,
    ] {
        waited.add(s);
    }
    // Blocked signals wait for `sigwait` below; the child starts with an empty mask (std
    // resets it between fork and exec).
    waited.thread_block().expect("blocking signals");
    // No core files from a crashing listing (or from us mirroring its signal).
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);

    let mut command = Command::new(&program);
    command.args(&args);
    // SAFETY: setrlimit and setpriority are async-signal-safe system calls; nothing else runs
    // between fork and exec.
    unsafe {
        command.pre_exec(move || {
            setrlimit(Resource::RLIMIT_DATA, data_limit, data_limit).map_err(std::io::Error::from)?;
            if nice != 0 {
                // Best effort: a lower priority only ever helps the build that runs beside it.
                let _ = nix::libc::setpriority(nix::libc::PRIO_PROCESS, 0, nice);
            }
            Ok(())
        });
    }
    let main = match command.spawn() {
        Ok(child) => Pid::from_raw(child.id() as i32),
        Err(e) => {
            eprintln!("cannot start {}: {e}", program.to_string_lossy());
            std::process::exit(EXIT_CANNOT_START);
        }
    };

    wait_for(main, &waited)
}

/// Waits for the listing's main process, reaping adopted orphans meanwhile, and exits as it
/// did; a signal sent to the supervisor kills the run instead.
fn wait_for(main: Pid, waited: &SigSet) -> ! {
    loop {
        let sig = match waited.wait() {
            Ok(sig) => sig,
            Err(_) => continue,
        };
        if sig != Signal::SIGCHLD {
            kill_descendants();
            std::process::exit(128 + sig as i32);
        }
        loop {
            match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(pid, code)) if pid == main => {
                    kill_descendants();
                    std::process::exit(code);
                }
                Ok(WaitStatus::Signaled(pid, sig, _)) if pid == main => {
                    kill_descendants();
                    die_by(sig);
                }
                Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => break,
                // An adopted orphan ended, or EINTR: keep reaping.
                Ok(_) | Err(_) => continue,
            }
        }
    }
}

/// Ends this process with the signal that ended the listing, so the engine sees it.
fn die_by(sig: Signal) -> ! {
    // SAFETY: restoring the default disposition of a signal we never installed a handler for.
    unsafe {
        let _ = signal(sig, SigHandler::SigDfl);
    }
    let mut set = SigSet::empty();
    set.add(sig);
    let _ = set.thread_unblock();
    let _ = raise(sig);
    std::process::exit(128 + sig as i32);
}

/// Kills every process below this one until none is left, reaping them as they die.
fn kill_descendants() {
    let me = getpid().as_raw();
    for round in 0.. {
        let alive = crate::util::process::descendants(me);
        if alive.is_empty() {
            break;
        }
        for pid in &alive {
            let _ = kill(Pid::from_raw(*pid), Signal::SIGKILL);
        }
        reap();
        if round > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    reap();
}

fn reap() {
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
}
