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
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    let elapsed = start.elapsed();
    println!("{primes} primes among {COUNT} numbers from {FIRST}");
    println!("sequential: {elapsed:.2?}");
}
