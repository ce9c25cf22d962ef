use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

fn count_to(threads: u64, per_thread: u64) -> u64 {
    let hits = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    let seen = hits.load(Relaxed);
                    thread::yield_now();
                    hits.store(seen + 1, Relaxed);
                }
            });
        }
    });
    hits.into_inner()
}

fn main() {
    let runs = 200;
    let failures = (0..runs).filter(|_| count_to(4, 200) != 800).count();
    println!("the test failed in {failures} of {runs} runs");
    assert!(failures > 0, "the stress test did not catch the bug");
}
