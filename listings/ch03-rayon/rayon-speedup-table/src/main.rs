use rayon::ThreadPoolBuilder;
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
    let cores = std::thread::available_parallelism().unwrap().get();
    println!("cores on this machine: {cores}");
    println!("threads  speedup  time");
    let count = || (FIRST..FIRST + COUNT).into_par_iter().filter(|&n| is_prime(n)).count();
    let mut one_thread = None;
    for threads in [1, 2, 4, 8] {
        let pool = ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let start = Instant::now();
        let primes = pool.install(count);
        let time = start.elapsed();
        assert_eq!(primes, 335);
        let base = *one_thread.get_or_insert(time);
        let speedup = base.as_secs_f64() / time.as_secs_f64();
        println!("{threads:>7}  {speedup:>6.2}x  {time:.2?}");
    }
}
