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

/// The numbers are handed out in blocks of this many, to whichever counter answers next.
const BLOCK: u64 = 100;

/// The one message a counter understands: count a block, and answer `reply_to`, saying who you
/// are.
struct Count {
    from: u64,
    reply_to: Sender<(usize, usize)>,
}

/// A counter actor's handle: its address.
struct Counter {
    mailbox: Sender<Count>,
}

impl Counter {
    fn spawn(me: usize) -> Counter {
        let (mailbox, inbox) = mpsc::channel::<Count>();
        thread::spawn(move || {
            for Count { from, reply_to } in inbox {
                let primes = (from..from + BLOCK).filter(|&n| is_prime(n)).count();
                let _ = reply_to.send((me, primes));
            }
        });
        Counter { mailbox }
    }

    fn count(&self, from: u64, reply_to: &Sender<(usize, usize)>) {
        self.mailbox.send(Count { from, reply_to: reply_to.clone() }).unwrap();
    }
}

fn count_primes(workers: usize) -> usize {
    let counters: Vec<Counter> = (0..workers).map(Counter::spawn).collect();
    let (results, replies) = mpsc::channel();
    let mut blocks = (FIRST..FIRST + COUNT).step_by(BLOCK as usize);
    let mut waiting = 0;
    for counter in &counters {
        if let Some(from) = blocks.next() {
            counter.count(from, &results);
            waiting += 1;
        }
    }
    let mut primes = 0;
    while waiting > 0 {
        let (who, found) = replies.recv().unwrap();
        primes += found;
        waiting -= 1;
        if let Some(from) = blocks.next() {
            counters[who].count(from, &results);
            waiting += 1;
        }
    }
    primes
}

fn main() {
    let baseline = sequential_baseline();
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let primes = count_primes(workers);
    let elapsed = start.elapsed();
    report("actors", workers, primes, elapsed, baseline);
}
