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

/// Count the primes in `from..to`; also return how many pieces the range was cut into.
fn count_primes(from: u64, to: u64) -> (usize, usize) {
    if to - from <= 1_000 {
        return ((from..to).filter(|&n| is_prime(n)).count(), 1);
    }
    let mid = from + (to - from) / 2;
    let (left, right) = rayon::join(|| count_primes(from, mid), || count_primes(mid, to));
    (left.0 + right.0, left.1 + right.1)
}

fn main() {
    let (primes, pieces) = count_primes(FIRST, FIRST + COUNT);
    println!("{primes} primes, counted in {pieces} pieces");
}
