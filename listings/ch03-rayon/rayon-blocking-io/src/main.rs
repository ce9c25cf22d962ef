use rayon::prelude::*;
use std::thread;
use std::time::{Duration, Instant};

/// Wait 20 ms, as if for a reply from a slow server.
fn fetch(i: u32) -> u32 {
    thread::sleep(Duration::from_millis(20));
    i
}

fn main() {
    println!("rayon threads: {}", rayon::current_num_threads());

    let start = Instant::now();
    let total: u32 = (0..32).into_par_iter().map(fetch).sum();
    println!("32 waits with rayon:       {:.2?}", start.elapsed());

    let start = Instant::now();
    let total_threads: u32 = thread::scope(|s| {
        let handles: Vec<_> = (0..32).map(|i| s.spawn(move || fetch(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    println!("32 waits on 32 threads:    {:.2?}", start.elapsed());
    assert_eq!(total, total_threads);
}
