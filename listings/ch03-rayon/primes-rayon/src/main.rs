use rayon::prelude::*;
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
    let start = Instant::now();
    let sequential = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    let sequential_time = start.elapsed();

    let start = Instant::now();
    let parallel = (FIRST..FIRST + COUNT).into_par_iter().filter(|&n| is_prime(n)).count();
    let parallel_time = start.elapsed();

    assert_eq!(sequential, parallel);
    println!("{parallel} primes among {COUNT} numbers from {FIRST}");
    println!("rayon threads: {}", rayon::current_num_threads());
    println!("sequential: {sequential_time:.2?}");
    println!("rayon:      {parallel_time:.2?}");
    let speedup = sequential_time.as_secs_f64() / parallel_time.as_secs_f64();
    println!("speedup: {speedup:.2}x");
}
