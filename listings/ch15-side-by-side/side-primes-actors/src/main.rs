use std::sync::mpsc::{self, Sender};
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

/// The yardstick: the sequential count of chapter 2, timed.
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
    let speedup = sequential.as_secs_f64() / elapsed.as_secs_f64();
    println!("sequential: {expected} primes in {sequential:.2?}");
    println!(
        "{model}: {primes} primes in {elapsed:.2?} on {workers} workers, speedup {speedup:.2}x"
    );
}

/// The one message a counter understands. The answer goes to `reply_to`.
struct Count {
    from: u64,
    to: u64,
    reply_to: Sender<usize>,
}

/// A counter actor's handle: its address.
struct Counter {
    mailbox: Sender<Count>,
}

impl Counter {
    fn spawn() -> Counter {
        let (mailbox, inbox) = mpsc::channel::<Count>();
        thread::spawn(move || {
            for Count { from, to, reply_to } in inbox {
                let _ = reply_to.send((from..to).filter(|&n| is_prime(n)).count());
            }
        });
        Counter { mailbox }
    }

    fn count(&self, from: u64, to: u64, reply_to: Sender<usize>) {
        self.mailbox.send(Count { from, to, reply_to }).unwrap();
    }
}

fn count_primes(workers: usize) -> usize {
    let counters: Vec<Counter> = (0..workers).map(|_| Counter::spawn()).collect();
    let (results, replies) = mpsc::channel();
    for (i, from) in (FIRST..FIRST + COUNT).step_by(100).enumerate() {
        counters[i % workers].count(from, from + 100, results.clone());
    }
    drop(results);
    replies.iter().sum()
}

fn main() {
    let baseline = sequential_baseline();
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let primes = count_primes(workers);
    let elapsed = start.elapsed();
    report("actors", workers, primes, elapsed, baseline);
}
