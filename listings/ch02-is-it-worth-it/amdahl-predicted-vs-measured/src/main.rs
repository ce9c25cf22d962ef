use std::hint::black_box;
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

/// The serial part: each step needs the previous one's result, so it cannot be split.
fn serial_part() -> u64 {
    let mut x: u64 = 1;
    for _ in 0..60_000_000 {
        x ^= x << 13; // one step of the xorshift64 generator
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

/// The parallel part: count the primes, split into `threads` equal slices.
fn parallel_part(numbers: &[u64], threads: usize) -> usize {
    let slice_len = numbers.len().div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(slice_len)
            .map(|slice| s.spawn(move || slice.iter().filter(|&&n| is_prime(n)).count()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {
    let numbers: Vec<u64> = (FIRST..FIRST + COUNT).collect();
    let cores = thread::available_parallelism().unwrap().get();
    println!("cores on this machine: {cores}");

    // 1. Everything on one thread, timing each part.
    let start = Instant::now();
    serial_part();
    let serial = start.elapsed();
    let start = Instant::now();
    let primes = parallel_part(&numbers, 1);
    let parallel = start.elapsed();
    let one_thread = serial + parallel;
    let p = parallel.as_secs_f64() / one_thread.as_secs_f64();
    println!(
        "1 thread: serial part {serial:.2?} + parallel part {parallel:.2?} = {one_thread:.2?}"
    );
    let limit = 1.0 / (1.0 - p);
    println!("parallel fraction p = {p:.2}, so never more than {limit:.2}x");

    // 2. For each number of threads, what the law predicts and what a run measures.
    println!("threads  predicted  measured");
    let mut below_limit = true;
    for threads in [1, 2, 4, 8] {
        let predicted = 1.0 / ((1.0 - p) + p / threads as f64);
        let start = Instant::now();
        serial_part();
        assert_eq!(parallel_part(&numbers, threads), primes);
        let measured = one_thread.as_secs_f64() / start.elapsed().as_secs_f64();
        println!("{threads:>7}  {predicted:>8.2}x  {measured:>7.2}x");
        below_limit &= measured < limit;
    }
    let verdict = if below_limit { "yes" } else { "no" };
    println!("every measured speedup below Amdahl's limit: {verdict}");
}
