use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

const TOTAL: u64 = 4_000_000;

fn timed(threads: u64, work: impl Fn(u64) + Sync) -> Duration {
    let start = Instant::now();
    thread::scope(|s| {
        for w in 0..threads {
            let share = (w + 1) * TOTAL / threads - w * TOTAL / threads;
            let work = &work;
            s.spawn(move || work(share));
        }
    });
    start.elapsed()
}

/// The fastest of five tries: a busy machine only ever adds time, so the fastest try is the
/// nearest to what the work itself costs.
fn fastest(try_once: impl Fn() -> Duration) -> Duration {
    (0..5).map(|_| try_once()).min().unwrap()
}

fn main() {
    let threads = thread::available_parallelism().unwrap().get() as u64;
    println!("{threads} threads, {TOTAL} increments in all");

    let t_mutex = fastest(|| {
        let mutex = Mutex::new(0u64);
        let t = timed(threads, |n| {
            for _ in 0..n {
                *mutex.lock().unwrap() += 1;
            }
        });
        assert_eq!(*mutex.lock().unwrap(), TOTAL);
        t
    });
    let t_atomic = fastest(|| {
        let atomic = AtomicU64::new(0);
        let t = timed(threads, |n| {
            for _ in 0..n {
                atomic.fetch_add(1, Relaxed);
            }
        });
        assert_eq!(atomic.load(Relaxed), TOTAL);
        t
    });
    let t_local = fastest(|| {
        let summed = AtomicU64::new(0);
        let t = timed(threads, |n| {
            let mut mine = 0u64;
            for _ in 0..n {
                mine = black_box(mine + 1);
            }
            summed.fetch_add(mine, Relaxed);
        });
        assert_eq!(summed.load(Relaxed), TOTAL);
        t
    });

    println!("Mutex<u64>:          {t_mutex:.1?}");
    println!("AtomicU64 fetch_add: {t_atomic:.1?}");
    println!("local, then summed:  {t_local:.1?}");
    let yes = |b: bool| if b { "yes" } else { "no" };
    println!("local at least 2x faster than the atomic: {}", yes(t_local * 2 < t_atomic));
}
