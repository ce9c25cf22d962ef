use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The work itself: 300 ms of pretending to be busy, then a result.
fn work() -> u64 {
    thread::sleep(Duration::from_millis(300));
    42
}

/// Synchronous: returns when the work is finished, with its result.
fn compute_sync() -> u64 {
    work()
}

/// Asynchronous: starts the work and returns at once, with a handle to the result.
fn compute_async() -> JoinHandle<u64> {
    thread::spawn(work)
}

fn main() {
    let start = Instant::now();
    let result = compute_sync();
    println!("sync:  returned after {:.0?} with {result}", start.elapsed());

    let start = Instant::now();
    let handle = compute_async();
    let finished = handle.is_finished();
    println!("async: returned after {:.0?}; finished yet? {finished}", start.elapsed());
    let result = handle.join().unwrap();
    println!("async: join returned after {:.0?} with {result}", start.elapsed());
}
