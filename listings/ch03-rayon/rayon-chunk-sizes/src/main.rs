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
    // Heavy, uneven items: the odd numbers first, as in the previous listing.
    let odd = (FIRST..FIRST + COUNT).filter(|n| n % 2 == 1);
    let even = (FIRST..FIRST + COUNT).filter(|n| n % 2 == 0);
    let numbers: Vec<u64> = odd.chain(even).collect();
    let half = numbers.len() / 2;

    let start = Instant::now();
    let a = numbers.par_iter().filter(|&&n| is_prime(n)).count();
    let default_primes = start.elapsed();
    println!("primes, default:              {default_primes:.2?}");
    let start = Instant::now();
    let b = numbers.par_iter().with_min_len(half).filter(|&&n| is_prime(n)).count();
    let too_big = start.elapsed();
    println!("primes, with_min_len({half}):   {too_big:.2?}");
    assert_eq!(a, b);

    // Tiny items: a few nanoseconds of work each.
    let items: Vec<u64> = (0..2_000_000).collect();
    let start = Instant::now();
    let c: u64 = items.par_iter().map(|&x| x % 7).sum();
    let default_sums = start.elapsed();
    println!("sums, default:                {default_sums:.2?}");
    let start = Instant::now();
    let d: u64 = items.par_iter().with_max_len(1).map(|&x| x % 7).sum();
    let too_small = start.elapsed();
    println!("sums, with_max_len(1):        {too_small:.2?}");
    let start = Instant::now();
    let e: u64 = items.iter().map(|&x| x % 7).sum();
    println!("sums, sequential:             {:.2?}", start.elapsed());
    assert!(c == d && d == e);

    let small_slower = too_small > default_sums * 3;
    println!("pieces too small, 3x slower than the default: {}", yes_no(small_slower));
}

fn yes_no(claim: bool) -> &'static str {
    if claim { "yes" } else { "no" }
}
