use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::Duration;
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

/// The yardstick: the sequential count of Chapter 2, timed.
fn sequential_baseline() -> (usize, Duration) {
    let start = Instant::now();
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    (primes, start.elapsed())
}

/// Check a result against the baseline; print both times and the speedup.
fn report(
    model: &str,
    workers: usize,
    primes: usize,
    elapsed: Duration,
    baseline: (usize, Duration),
) {
    let (expected, sequential) = baseline;
    assert_eq!(primes, expected, "{model} miscounted");
    let (time, sequential) = (elapsed.as_secs_f64(), sequential.as_secs_f64());
    println!("{model}: {primes} primes, the same as the sequential count");
    print!("model: {model}  workload: cpu  workers: {workers}  time: {time:.3} s  ");
    println!("sequential: {sequential:.3} s  speedup: {:.2}x", sequential / time);
}

/// The numbers are handed out in blocks of this many, to whichever child asks next.
const BLOCK: u64 = 100;

/// Feed one child blocks until none are left; return the primes it counted.
fn drive(exe: &std::path::Path, next: &AtomicU64) -> usize {
    let mut child = Command::new(exe)
        .arg("count")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_child = child.stdin.take().unwrap();
    let mut answers = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut primes = 0;
    loop {
        let from = next.fetch_add(BLOCK, Relaxed);
        if from >= FIRST + COUNT {
            break;
        }
        writeln!(to_child, "{from}").unwrap();
        primes += answers.next().unwrap().unwrap().parse::<usize>().unwrap();
    }
    drop(to_child); // end of input: the child's loop ends, and it exits
    assert!(child.wait().unwrap().success());
    primes
}

fn count_primes(workers: usize) -> usize {
    let exe = env::current_exe().unwrap();
    let next = AtomicU64::new(FIRST);
    thread::scope(|s| {
        let drivers: Vec<_> = (0..workers).map(|_| s.spawn(|| drive(&exe, &next))).collect();
        drivers.into_iter().map(|d| d.join().unwrap()).sum()
    })
}

fn main() {
    if env::args().nth(1).as_deref() == Some("count") {
        for line in io::stdin().lines() {
            let from: u64 = line.unwrap().parse().unwrap();
            println!("{}", (from..from + BLOCK).filter(|&n| is_prime(n)).count());
        }
        return;
    }
    let baseline = sequential_baseline();
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let primes = count_primes(workers);
    let elapsed = start.elapsed();
    report("processes", workers, primes, elapsed, baseline);
}
