use std::time::Duration;
use std::time::Instant;
use tokio::task::JoinSet;
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

async fn count_primes() -> usize {
    let mut tasks = JoinSet::new();
    for from in (FIRST..FIRST + COUNT).step_by(100) {
        tasks.spawn(async move { (from..from + 100).filter(|&n| is_prime(n)).count() });
    }
    tasks.join_all().await.into_iter().sum()
}

fn main() {
    let baseline = sequential_baseline();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let workers = runtime.metrics().num_workers();
    let start = Instant::now();
    let primes = runtime.block_on(count_primes());
    let elapsed = start.elapsed();
    report("async", workers, primes, elapsed, baseline);
}
