use crossbeam_channel::{bounded, unbounded};
use std::thread;
use std::time::Instant;
/// Is `n` prime? Trial division: try 2, then every odd number up to the square root.
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// The workload: the 10,000 consecutive numbers starting at one trillion.
const FIRST: u64 = 1_000_000_000_000;
const COUNT: u64 = 10_000;

fn main() {
    let workers = thread::available_parallelism().map_or(1, |n| n.get());

    let start = Instant::now();
    let sequential = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    let sequential_time = start.elapsed();

    let start = Instant::now();
    let (job_tx, job_rx) = bounded::<std::ops::Range<u64>>(workers * 2);
    let (result_tx, result_rx) = unbounded::<usize>();
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let jobs = job_rx.clone();
            let results = result_tx.clone();
            thread::spawn(move || {
                for block in jobs {
                    let primes = block.filter(|&n| is_prime(n)).count();
                    results.send(primes).unwrap();
                }
            })
        })
        .collect();
    drop(result_tx);

    const BLOCK: u64 = 100;
    for from in (FIRST..FIRST + COUNT).step_by(BLOCK as usize) {
        job_tx.send(from..from + BLOCK).unwrap();
    }
    drop(job_tx);

    let pooled: usize = result_rx.iter().sum();
    for worker in pool {
        worker.join().unwrap();
    }
    let pool_time = start.elapsed();

    assert_eq!(sequential, pooled);
    println!("{pooled} primes among {COUNT} numbers");
    println!("sequential: {sequential_time:.2?}");
    println!("pool of {workers} workers: {pool_time:.2?}");
    println!("speedup: {:.1}x", sequential_time.as_secs_f64() / pool_time.as_secs_f64());
}
