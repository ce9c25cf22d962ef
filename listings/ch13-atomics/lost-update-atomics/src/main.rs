use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

fn main() {
    let split = AtomicU64::new(0);
    let whole = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..200_000 {
                    let seen = split.load(Relaxed);
                    split.store(seen + 1, Relaxed);
                    whole.fetch_add(1, Relaxed);
                }
            });
        }
    });
    println!("load, then store: {}", split.into_inner());
    println!("fetch_add:        {}", whole.into_inner());
}
