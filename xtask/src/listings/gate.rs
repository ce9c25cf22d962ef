//! Gate: how many runs may share the machine, by the CPU they use rather than their number.
//!
//! A listing that sleeps, waits on a timer or serves until `kill-after` uses no CPU, yet a
//! slot per core would keep it from sharing the machine with the next run. So `--jobs`
//! runs always may run at once, and more (up to [`OVERSUBSCRIBE`] times as many) while the
//! engine's processes want at least one core less than that: their threads that are
//! runnable, counted from `/proc`, whether or not other work on the machine lets them run. The runs start at a lower priority
//! than the build (see `schedule`), so one admitted while the build needs the CPU only
//! takes what the build leaves. `exclusive` runs do not pass through the gate: they run
//! alone, after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::util::process::{me, runnable_threads_below};

/// At most this many runs per `--jobs` slot at once, however idle the machine looks.
pub(crate) const OVERSUBSCRIBE: usize = 4;

/// How long a CPU sample lasts: long enough for a run just admitted to show its use.
const SAMPLE: Duration = Duration::from_millis(150);

/// The admission of runs.
pub(crate) struct Gate {
    /// `--jobs`: runs that are always allowed at once.
    cores: usize,
    /// Every run at once, busy or waiting.
    slots: Arc<Semaphore>,
    /// Runs admitted and not yet done.
    running: Arc<AtomicUsize>,
    /// One admission at a time, so that runs waiting together do not all read the same
    /// idle sample and start at once.
    admission: tokio::sync::Mutex<Sampler>,
}

/// A run's place: held while it runs.
pub(crate) struct Admitted {
    _slot: OwnedSemaphorePermit,
    running: Arc<AtomicUsize>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub(crate) fn new(jobs: usize) -> Gate {
        let cores = jobs.max(1);
        Gate {
            cores,
            slots: Arc::new(Semaphore::new(cores * OVERSUBSCRIBE)),
            running: Arc::new(AtomicUsize::new(0)),
            admission: tokio::sync::Mutex::new(Sampler),
        }
    }

    /// Waits until a run may start.
    pub(crate) async fn admit(&self) -> Admitted {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the gate's semaphore is never closed");
        let mut sampler = self.admission.lock().await;
        // Each admission beyond `--jobs` follows a sample taken after the one before it
        // started, so that the sample sees what that run does.
        while self.running.load(Ordering::SeqCst) >= self.cores {
            let wanted = sampler.cores_wanted().await;
            if self.running.load(Ordering::SeqCst) < self.cores || wanted + 1.0 <= self.cores as f64 {
                break;
            }
        }
        self.running.fetch_add(1, Ordering::SeqCst);
        Admitted {
            _slot: slot,
            running: self.running.clone(),
        }
    }
}

/// How many of the engine's descendants' threads want a CPU, looked at a few times.
struct Sampler;

impl Sampler {
    /// The cores the engine's descendants want: their runnable threads, averaged over a few
    /// looks at `/proc` within one [`SAMPLE`]. A run starved by other work on the machine
    /// still counts as busy, so a loaded machine gets no more runs than `--jobs`; only runs
    /// that sleep or wait free their place.
    async fn cores_wanted(&mut self) -> f64 {
        const LOOKS: u32 = 5;
        let mut total = 0;
        for _ in 0..LOOKS {
            total += tokio::task::spawn_blocking(|| runnable_threads_below(me()))
                .await
                .unwrap_or(usize::MAX / 8);
            tokio::time::sleep(SAMPLE / LOOKS).await;
        }
        total as f64 / f64::from(LOOKS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs that wait share the machine beyond `--jobs`; the cap still holds. (Other tests
    /// of this process may use up to a core meanwhile: two slots leave room for them.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_runs_are_admitted_beyond_the_jobs_up_to_the_cap() {
        let gate = Arc::new(Gate::new(2));
        let start = std::time::Instant::now();
        let mut held = Vec::new();
        for _ in 0..2 * OVERSUBSCRIBE {
            held.push(gate.admit().await);
        }
        // Nothing here uses the CPU: every slot is given, one sample apart.
        assert!(start.elapsed() < SAMPLE * 20, "{:?}", start.elapsed());
        assert_eq!(gate.running.load(Ordering::SeqCst), 2 * OVERSUBSCRIBE);
        let more = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.admit().await })
        };
        tokio::time::sleep(SAMPLE * 3).await;
        assert!(!more.is_finished(), "past the cap");
        held.pop();
        let _admitted = more.await.unwrap();
        assert_eq!(gate.running.load(Ordering::SeqCst), 2 * OVERSUBSCRIBE);
    }

    /// A run that keeps a core busy keeps the gate at `--jobs`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_busy_descendant_keeps_runs_at_the_jobs() {
        let gate = Gate::new(1);
        let first = gate.admit().await;
        let mut busy = std::process::Command::new("sh")
            .args(["-c", "while :; do :; done"])
            .spawn()
            .unwrap();
        let second = tokio::time::timeout(SAMPLE * 8, gate.admit()).await;
        busy.kill().unwrap();
        busy.wait().unwrap();
        assert!(second.is_err(), "admitted beside a busy core");
        drop(first);
        let _second = gate.admit().await;
    }
}
