//! The processes the engine starts, and the ones it must not leave behind.
//!
//! The engine is a child subreaper: a listing that kills its own supervisor leaves what it
//! started to the engine. The engine's own children (run supervisors, cargo) are registered
//! here when they start, so that any other child is known to be a stray and killed
//! ([`kill_strays`]). The process table is read from `/proc`.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use tokio::process::Command;
use tokio::sync::watch;

use super::lock;

/// How long strays get to die before the sweep gives up on them.
const GRACE: Duration = Duration::from_secs(3);

/// The engine's children that are its own: run supervisors and cargo. Any other child of the
/// engine is a stray (see [`kill_strays`]).
static CHILDREN: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Starts a child that [`kill_strays`] leaves alone. The lock is held across the spawn, so
/// that the child is never seen before it is known.
pub(crate) fn spawn_child(command: &mut Command) -> std::io::Result<tokio::process::Child> {
    let mut children = lock(&CHILDREN);
    let child = command.spawn()?;
    if let Some(pid) = child.id() {
        children.insert(pid as i32);
    }
    Ok(child)
}

/// Forgets a child of [`spawn_child`] once it has been waited for.
pub(crate) fn forget_child(pid: Pid) {
    lock(&CHILDREN).remove(&pid.as_raw());
}

/// Kills the engine's strays, with everything below them, and reaps them. The engine is a
/// child subreaper (see `listings::test_listings`): a listing that kills its own supervisor
/// leaves itself and what it started to the engine rather than to init, and they would
/// otherwise run on after the run, holding its output open. A stray is any child of the
/// engine it did not start.
///
/// It blocks, polling until the strays are gone (at most [`GRACE`]): async code calls it
/// through `spawn_blocking`.
pub(crate) fn kill_strays() {
    let me = std::process::id() as i32;
    let deadline = Instant::now() + GRACE;
    loop {
        {
            // No child is started while the table is read and the strays are killed; the
            // lock is not held while they die, so runs and cargo may start meanwhile.
            let children = lock(&CHILDREN);
            let strays: Vec<Proc> = process_table()
                .into_iter()
                .filter(|p| p.ppid == me && !children.contains(&p.pid))
                .collect();
            if strays.is_empty() || Instant::now() > deadline {
                return;
            }
            for stray in strays {
                kill_stray(&stray);
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Kills one stray and what it started, or reaps it if it is already dead.
fn kill_stray(stray: &Proc) {
    let pid = Pid::from_raw(stray.pid);
    if stray.state == 'Z' {
        let _ = waitpid(pid, Some(WaitPidFlag::WNOHANG));
        return;
    }
    // What it started first: those it leaves behind come back to us as zombies.
    for below in descendants(stray.pid) {
        let _ = kill(Pid::from_raw(below), Signal::SIGKILL);
    }
    let _ = kill(pid, Signal::SIGKILL);
}

/// Resolves once the flag turns true (Ctrl-C, or a run's output cap). A flag whose sender is
/// gone never turns true.
pub(crate) async fn cancelled(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|&set| set).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Live (non-zombie) descendants of `root`, from `/proc`.
pub(crate) fn descendants(root: i32) -> Vec<i32> {
    let table = process_table();
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for p in &table {
            if p.ppid == parent {
                frontier.push(p.pid);
                if p.state != 'Z' {
                    found.push(p.pid);
                }
            }
        }
    }
    found
}

/// This process's id.
pub(crate) fn me() -> i32 {
    std::process::id() as i32
}

/// How many threads of `root`'s live descendants are running or waiting for a CPU (state
/// `R`): what they would use, however busy the machine is with the work of others.
pub(crate) fn runnable_threads_below(root: i32) -> usize {
    let table = process_table();
    let mut count = 0;
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for p in table.iter().filter(|p| p.ppid == parent) {
            frontier.push(p.pid);
            count += runnable_threads(p.pid);
        }
    }
    count
}

/// The threads of process `pid` in state `R`.
fn runnable_threads(pid: i32) -> usize {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("stat")).is_ok_and(|stat| {
                stat.rfind(')')
                    .and_then(|i| stat[i + 1..].split_whitespace().next())
                    == Some("R")
            })
        })
        .count()
}

/// A row of the process table.
#[derive(Debug, Clone)]
pub(crate) struct Proc {
    pub(crate) pid: i32,
    pub(crate) ppid: i32,
    pub(crate) state: char,
}

/// Every process, from `/proc/PID/stat`.
pub(crate) fn process_table() -> Vec<Proc> {
    let mut table = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return table;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let state = fields.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let Some(ppid) = fields.next().and_then(|s| s.parse().ok()) else {
            continue;
        };
        table.push(Proc { pid, ppid, state });
    }
    table
}
