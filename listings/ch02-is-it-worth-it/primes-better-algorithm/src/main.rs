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

/// `a * b % m` without overflow, by widening to 128 bits.
fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    (a as u128 * b as u128 % m as u128) as u64
}

/// `base` to the power `exp`, modulo `m`, by repeated squaring.
fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
    let mut result = 1;
    base %= m;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_mod(result, base, m);
        }
        base = mul_mod(base, base, m);
        exp >>= 1;
    }
    result
}

/// Miller–Rabin with the first twelve primes as bases: exact for every u64.
fn is_prime_miller_rabin(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for p in BASES {
        if n % p == 0 {
            return n == p;
        }
    }
    let s = (n - 1).trailing_zeros(); // n - 1 = d * 2^s, with d odd
    let d = (n - 1) >> s;
    'bases: for a in BASES {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false; // `a` proves that n is composite
    }
    true
}

fn main() {
    let start = Instant::now();
    let slow = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    let slow_time = start.elapsed();

    let start = Instant::now();
    let fast = (FIRST..FIRST + COUNT).filter(|&n| is_prime_miller_rabin(n)).count();
    let fast_time = start.elapsed();

    assert_eq!(slow, fast);
    println!("trial division: {slow} primes in {slow_time:.2?}");
    println!("Miller-Rabin:   {fast} primes in {fast_time:.2?}");
    let ratio = slow_time.as_secs_f64() / fast_time.as_secs_f64();
    println!("Miller-Rabin is {ratio:.0} times faster");
    let cores = std::thread::available_parallelism().unwrap().get();
    let verdict = if ratio > (cores as f64).max(16.0) { "yes" } else { "no" };
    println!("Miller-Rabin beats what {cores} cores could do: {verdict}");
}
