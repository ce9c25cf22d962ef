use std::thread;
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
    let numbers: Vec<u64> = (FIRST..FIRST + COUNT).collect();
    let mut per_part = vec![0; 4];

    thread::scope(|s| {
        let parts = numbers.chunks(numbers.len() / per_part.len());
        for (part, slot) in parts.zip(per_part.iter_mut()) {
            s.spawn(move || {
                *slot = part.iter().filter(|&&n| is_prime(n)).count();
            });
        }
    });

    println!("primes per part: {per_part:?}");
    println!("{} primes among {} numbers", per_part.iter().sum::<usize>(), numbers.len());
}
