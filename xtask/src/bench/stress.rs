//! The stress row's reference: the CPU time (user + sys) the book's runs use when each is made
//! alone, as many times as `test-listings --runs N` makes it.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::resource::{UsageWho, getrusage};

use crate::book::{Book, Listing};

/// Makes every run of the book's listings (built in `target`) `runs` times, one at a time,
/// and returns the CPU time they used, counted from the rusage of this process's children.
pub(super) fn runs_cpu_time(model: &Book, target: &Path, runs: u32) -> Result<Duration> {
    let before = children_cpu()?;
    for l in model.listings.iter().filter(|l| !l.compile_fail && !l.no_run) {
        for block in &l.outputs {
            for _ in 0..crate::listings::check::runs_of(block, Some(runs)) {
                run_block(l, block, target).with_context(|| format!("running {}", l.id))?;
            }
        }
    }
    Ok(children_cpu()?.saturating_sub(before))
}

/// User + sys time of every child this process has waited for.
fn children_cpu() -> Result<Duration> {
    let u = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let tv = |t: nix::sys::time::TimeVal| Duration::new(t.tv_sec() as u64, t.tv_usec() as u32 * 1000);
    Ok(tv(u.user_time()) + tv(u.system_time()))
}

/// One run of one output block, in a fresh directory, stopped at its `kill-after` or its time
/// limit like the engine's runs.
fn run_block(listing: &Listing, block: &crate::book::OutputBlock, target: &Path) -> Result<()> {
    let bin = block.bin.clone().unwrap_or_else(|| listing.binaries()[0].clone());
    let dir = tempfile::tempdir()?;
    let mut child = Command::new(target.join(crate::listings::profile::PROFILE).join(bin))
        .args(&block.args)
        .envs(block.env.iter().cloned())
        .current_dir(dir.path())
        .stdin(if block.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let (Some(input), Some(mut stdin)) = (&block.stdin, child.stdin.take()) {
        let _ = stdin.write_all(input.as_bytes());
    }
    let limit = block.kill_after.unwrap_or(block.timeout);
    let start = Instant::now();
    while child.try_wait()?.is_none() {
        if start.elapsed() >= limit {
            let _ = child.kill();
            child.wait()?;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(())
}
