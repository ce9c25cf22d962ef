use rayon::prelude::*;
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

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

fn count_primes(from: u64, to: u64) -> usize {
    (from..to).filter(|&n| is_prime(n)).count()
}

/// Wake every 10 ms until `done`; return the worst lateness seen.
async fn ticker(done: Arc<AtomicBool>) -> Duration {
    let period = Duration::from_millis(10);
    let mut worst = Duration::ZERO;
    while !done.load(Ordering::Relaxed) {
        let asked = Instant::now();
        tokio::time::sleep(period).await;
        worst = worst.max(asked.elapsed().saturating_sub(period));
    }
    worst
}

async fn on_the_loop() -> usize {
    tokio::spawn(async { count_primes(FIRST, FIRST + COUNT) }).await.unwrap()
}

async fn with_spawn_blocking() -> usize {
    tokio::task::spawn_blocking(|| count_primes(FIRST, FIRST + COUNT)).await.unwrap()
}

async fn with_yield_now() -> usize {
    tokio::spawn(async {
        let mut primes = 0;
        for start in (FIRST..FIRST + COUNT).step_by(50) {
            primes += count_primes(start, start + 50);
            tokio::task::yield_now().await;
        }
        primes
    })
    .await
    .unwrap()
}

async fn with_rayon() -> usize {
    let (tx, rx) = oneshot::channel();
    rayon::spawn(move || {
        let count = || (FIRST..FIRST + COUNT).into_par_iter().filter(|&n| is_prime(n)).count();
        let _ = tx.send(panic::catch_unwind(count));
    });
    match rx.await.unwrap() {
        Ok(primes) => primes,
        Err(payload) => panic::resume_unwind(payload),
    }
}

async fn idle() -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    0
}

/// Run `work` beside a ticker; return how long it took and the ticker's worst lateness.
async fn measure<F: Future<Output = usize>>(label: &str, work: F) -> (Duration, Duration) {
    let done = Arc::new(AtomicBool::new(false));
    let ticker = tokio::spawn(ticker(done.clone()));
    tokio::task::yield_now().await; // let the ticker start its first sleep
    let start = Instant::now();
    let primes = work.await;
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let worst = ticker.await.unwrap();
    let late = worst.as_secs_f64() * 1000.0;
    println!("{label:<26} {primes:>3} primes in {took:.1?}, worst tick lateness {late:.1} ms");
    (took, worst)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    measure("idle (sleeps 300 ms)", idle()).await;
    let (took, frozen) = measure("on the event loop", on_the_loop()).await;
    let mut fixed = Vec::new();
    fixed.push(measure("spawn_blocking", with_spawn_blocking()).await.1);
    fixed.push(measure("yield_now every 50", with_yield_now()).await.1);
    fixed.push(measure("rayon, answer by oneshot", with_rayon()).await.1);

    let verdict = |claim| if claim { "yes" } else { "no" };
    let froze = frozen > took / 2;
    println!("on the event loop, the ticker froze for over half the work: {}", verdict(froze));
    let punctual = fixed.iter().all(|&late| late < frozen / 2);
    println!("every fix kept the ticker's lateness under half of that: {}", verdict(punctual));
}
