use rayon::prelude::*;

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
    (0..COUNT / 1_000).into_par_iter().for_each(|block| {
        let from = FIRST + block * 1_000;
        let primes = (from..from + 1_000).filter(|&n| is_prime(n)).count();
        println!("block {block}: {primes} primes");
    });
}
