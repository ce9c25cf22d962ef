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
    let on_rayon = start.elapsed();
    println!("32 waits with rayon:       {on_rayon:.2?}");

    let start = Instant::now();
    let total_threads: u32 = thread::scope(|s| {
        let handles: Vec<_> = (0..32).map(|i| s.spawn(move || fetch(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let on_threads = start.elapsed();
    println!("32 waits on 32 threads:    {on_threads:.2?}");
    assert_eq!(total, total_threads);
    let threads = rayon::current_num_threads();
    let faster = on_threads.mul_f64(2.0) < on_rayon;
    let verdict = if faster { "yes" } else { "no" };
    println!("32 threads at least 2x faster than {threads} rayon threads: {verdict}");
}
