use std::thread;
use std::time::{Duration, Instant};
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
const FIRST: u64 = 1_000_000_000_000;
const COUNT: u64 = 10_000;

/// One thread per number, at most `BATCH` of them alive at a time.
fn thread_per_number() -> usize {
    const BATCH: u64 = 100;
    let mut primes = 0;
    for start in (FIRST..FIRST + COUNT).step_by(BATCH as usize) {
        let handles: Vec<_> =
            (start..start + BATCH).map(|n| thread::spawn(move || is_prime(n))).collect();
        for handle in handles {
            primes += handle.join().unwrap() as usize;
        }
    }
    primes
}

/// One thread per core, each checking one block of numbers.
fn thread_per_core(workers: u64) -> usize {
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let from = FIRST + w * COUNT / workers;
            let to = FIRST + (w + 1) * COUNT / workers;
            thread::spawn(move || (from..to).filter(|&n| is_prime(n)).count())
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = f();
    (result, start.elapsed())
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get()) as u64;

    let (_, empty) = time(|| {
        for _ in 0..1000 {
            thread::spawn(|| ()).join().unwrap();
        }
    });
    println!("starting and joining one thread: {:.1?}", empty / 1000);

    let (a, none) = time(|| (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count());
    let (b, per_number) = time(thread_per_number);
    let (c, per_core) = time(|| thread_per_core(cores));
    assert!(a == b && b == c);
    // The three in milliseconds, to compare them at a glance.
    println!("no threads: {}ms", none.as_millis());
    println!("one thread per number ({COUNT} threads): {}ms", per_number.as_millis());
    println!("one thread per core ({cores} threads): {}ms", per_core.as_millis());

    // The time to check a typical number: the median of all 10,000.
    let mut checks: Vec<Duration> =
        (FIRST..FIRST + COUNT).map(|n| time(|| is_prime(n)).1).collect();
    checks.sort();
    let typical = checks[checks.len() / 2];

    let verdict = |claim| if claim { "yes" } else { "no" };
    let cheap = empty / 1000 < Duration::from_millis(1);
    println!("one thread's life under a millisecond: {}", verdict(cheap));
    let costlier = empty / 1000 > typical * 10;
    println!("a thread's life 10x longer than a typical check: {}", verdict(costlier));
}
