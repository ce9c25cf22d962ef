use std::hint::black_box;
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

/// The serial part: each step needs the previous one's result, so it cannot be split.
fn serial_part() -> u64 {
    let mut x: u64 = 1;
    for _ in 0..60_000_000 {
        x ^= x << 13; // one step of the xorshift64 generator
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

/// The parallel part: count the primes, split into `threads` equal slices.
fn parallel_part(numbers: &[u64], threads: usize) -> usize {
    let slice_len = numbers.len().div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(slice_len)
            .map(|slice| s.spawn(move || slice.iter().filter(|&&n| is_prime(n)).count()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// Run the serial part, then count primes in `numbers` on `threads` threads.
/// Returns the time of the serial part and the total time.
fn job(numbers: &[u64], threads: usize) -> (Duration, Duration) {
    let start = Instant::now();
    serial_part();
    let serial = start.elapsed();
    parallel_part(numbers, threads);
    (serial, start.elapsed())
}

fn main() {
    let n = thread::available_parallelism().unwrap().get().min(8);
    let small: Vec<u64> = (FIRST..FIRST + COUNT).collect();
    let big: Vec<u64> = (FIRST..FIRST + COUNT * n as u64).collect();

    let (_, small_on_1) = job(&small, 1);
    let (serial, big_on_n) = job(&big, n);
    let (_, big_on_1) = job(&big, 1);
    println!("{COUNT} numbers on 1 thread: {small_on_1:.2?}");
    println!("{} numbers on {n} threads: {big_on_n:.2?}", big.len());
    println!("{} numbers on 1 thread: {big_on_1:.2?}", big.len());

    let s = serial.as_secs_f64() / big_on_n.as_secs_f64();
    let predicted = s + n as f64 * (1.0 - s);
    let measured = big_on_1.as_secs_f64() / big_on_n.as_secs_f64();
    println!("serial fraction s = {s:.2}");
    println!("scaled speedup: predicted {predicted:.2}x, measured {measured:.2}x");
}
