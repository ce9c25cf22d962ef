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

const TASKS: u64 = 32;

/// CPU-bound: count the primes in task `i`'s share of the numbers.
fn cpu_task(i: u64) -> u64 {
    let share = COUNT.div_ceil(TASKS);
    let from = FIRST + i * share;
    let to = (from + share).min(FIRST + COUNT);
    (from..to).filter(|&n| is_prime(n)).count() as u64
}

/// I/O-bound: wait 20 ms, as if for a reply from a slow server.
fn io_task(_i: u64) -> u64 {
    thread::sleep(Duration::from_millis(20));
    1
}

/// Run all tasks one after another, then all at once; print both times, return the speedup.
fn compare(name: &str, task: fn(u64) -> u64) -> f64 {
    let start = Instant::now();
    let sequential: u64 = (0..TASKS).map(task).sum();
    let one_by_one = start.elapsed();

    let start = Instant::now();
    let concurrent: u64 = thread::scope(|s| {
        let handles: Vec<_> = (0..TASKS).map(|i| s.spawn(move || task(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let all_at_once = start.elapsed();

    assert_eq!(sequential, concurrent);
    let speedup = one_by_one.as_secs_f64() / all_at_once.as_secs_f64();
    let (a, b) = (one_by_one.as_millis(), all_at_once.as_millis());
    println!("{name}: {a}ms one by one, {b}ms all at once, speedup {speedup:.1}x");
    speedup
}

fn yes_no(claim: bool) -> &'static str {
    if claim { "yes" } else { "no" }
}

fn main() {
    let cores = thread::available_parallelism().unwrap().get();
    println!("{TASKS} tasks on {cores} cores");
    compare("CPU-bound", cpu_task);
    let io = compare("I/O-bound", io_task);
    println!("I/O-bound speedup above 8x, whatever the cores: {}", yes_no(io > 8.0));
}
