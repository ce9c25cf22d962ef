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
    let primes: Vec<u64> =
        (FIRST..FIRST + COUNT).into_par_iter().filter(|&n| is_prime(n)).collect();
    let sorted = primes.windows(2).all(|pair| pair[0] < pair[1]);
    println!("{} primes, in increasing order: {sorted}", primes.len());
    println!("first three: {:?}", &primes[..3]);
    println!("last three:  {:?}", &primes[primes.len() - 3..]);

    let widest = primes.par_windows(2).map(|pair| pair[1] - pair[0]).max();
    println!("widest gap between neighbouring primes: {}", widest.unwrap());
}
