use std::thread;
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

fn count(from: u64, to: u64) -> usize {
    (from..to).filter(|&n| is_prime(n)).count()
}

fn main() {
    let start = Instant::now();
    let alone = count(FIRST, FIRST + COUNT);
    let one_thread = start.elapsed();

    let threads = thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (from, to) = (FIRST + i * COUNT / threads, FIRST + (i + 1) * COUNT / threads);
            thread::spawn(move || count(from, to))
        })
        .collect();
    let together: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let all_threads = start.elapsed();

    assert_eq!(alone, together);
    println!("1 thread: {alone} primes in {one_thread:.2?}");
    let speedup = one_thread.as_secs_f64() / all_threads.as_secs_f64();
    println!("{threads} threads: {together} primes in {all_threads:.2?}, speedup {speedup:.2}x");
}
