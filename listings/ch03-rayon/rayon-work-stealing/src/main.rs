use rayon::prelude::*;
use std::thread;
use std::time::{Duration, Instant};

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

/// Count primes in `numbers` with one equal slice per thread, as Chapter 2 did.
fn static_split(numbers: &[u64], threads: usize) -> usize {
    let slice_len = numbers.len().div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(slice_len)
            .map(|slice| s.spawn(move || slice.iter().filter(|&&n| is_prime(n)).count()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn report(name: &str, time: Duration, sequential: Duration) {
    let speedup = sequential.as_secs_f64() / time.as_secs_f64();
    println!("{name:<13}{time:>10.2?}  speedup {speedup:.2}x");
}

fn main() {
    let threads = rayon::current_num_threads();
    // The same numbers, odd ones first: every prime, and so nearly all the work,
    // is in the first half.
    let odd = (FIRST..FIRST + COUNT).filter(|n| n % 2 == 1);
    let even = (FIRST..FIRST + COUNT).filter(|n| n % 2 == 0);
    let numbers: Vec<u64> = odd.chain(even).collect();

    let start = Instant::now();
    let expected = numbers.iter().filter(|&&n| is_prime(n)).count();
    let sequential = start.elapsed();

    let start = Instant::now();
    assert_eq!(static_split(&numbers, threads), expected);
    let split = start.elapsed();

    let start = Instant::now();
    assert_eq!(numbers.par_iter().filter(|&&n| is_prime(n)).count(), expected);
    let stealing = start.elapsed();

    println!("{expected} primes, {threads} threads");
    report("sequential", sequential, sequential);
    report("static split", split, sequential);
    report("rayon", stealing, sequential);
    let yes_no = |claim| if claim { "yes" } else { "no" };
    let free = stealing.mul_f64(1.4) < sequential;
    println!("rayon 1.4x faster than sequential, so cores were free: {}", yes_no(free));
    let faster = stealing.mul_f64(1.1) < split;
    println!("if so, rayon beat the static split by 1.1x: {}", yes_no(!free || faster));
}
