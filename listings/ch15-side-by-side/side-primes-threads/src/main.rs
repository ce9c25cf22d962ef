use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::Duration;
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

/// The yardstick: the sequential count of Chapter 2, timed.
fn sequential_baseline() -> (usize, Duration) {
    let start = Instant::now();
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    (primes, start.elapsed())
}

/// Check a result against the baseline; print both times and the speedup.
fn report(
    model: &str,
    workers: usize,
    primes: usize,
    elapsed: Duration,
    baseline: (usize, Duration),
) {
    let (expected, sequential) = baseline;
    assert_eq!(primes, expected, "{model} miscounted");
    let (time, sequential) = (elapsed.as_secs_f64(), sequential.as_secs_f64());
    println!("{model}: {primes} primes, the same as the sequential count");
    print!("model: {model}  workload: cpu  workers: {workers}  time: {time:.3} s  ");
    println!("sequential: {sequential:.3} s  speedup: {:.2}x", sequential / time);
}

/// The numbers are handed out in blocks of this many, to whichever worker asks next.
const BLOCK: u64 = 100;

fn count_primes(workers: usize) -> usize {
    let next = AtomicU64::new(FIRST);
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut primes = 0;
                    loop {
                        let from = next.fetch_add(BLOCK, Relaxed);
                        if from >= FIRST + COUNT {
                            return primes;
                        }
                        primes += (from..from + BLOCK).filter(|&n| is_prime(n)).count();
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {
    let baseline = sequential_baseline();
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let primes = count_primes(workers);
    let elapsed = start.elapsed();
    report("threads", workers, primes, elapsed, baseline);
}
