use std::cell::Cell;
use std::time::Duration;
use tokio::time::{self, Instant};

/// A service that fails its first few calls, and takes 100 ms over each.
struct Flaky {
    failures: Cell<u32>,
}

impl Flaky {
    async fn call(&self) -> Result<u32, &'static str> {
        time::sleep(Duration::from_millis(100)).await;
        if self.failures.get() == 0 {
            return Ok(42);
        }
        self.failures.set(self.failures.get() - 1);
        Err("unavailable")
    }
}

/// The code under test: up to four attempts, waiting 1 s, 2 s and 4 s between them.
async fn call_with_retries(service: &Flaky) -> Result<u32, &'static str> {
    let mut wait = Duration::from_secs(1);
    let mut result = service.call().await;
    for _ in 1..4 {
        if result.is_ok() {
            break;
        }
        time::sleep(wait).await;
        wait *= 2;
        result = service.call().await;
    }
    result
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let real = std::time::Instant::now();
    runtime.block_on(async {
        let start = Instant::now();
        let service = Flaky { failures: Cell::new(2) };
        assert_eq!(call_with_retries(&service).await, Ok(42));
        println!("two failures, then 42, after {:?} of tokio time", start.elapsed());

        let start = Instant::now();
        let service = Flaky { failures: Cell::new(10) };
        assert_eq!(call_with_retries(&service).await, Err("unavailable"));
        println!("four failures, gave up after {:?} of tokio time", start.elapsed());

        let start = Instant::now();
        let hour = Duration::from_secs(3600);
        assert!(time::timeout(hour, std::future::pending::<()>()).await.is_err());
        println!("an hour's timeout fired after {:?} of tokio time", start.elapsed());
    });
    let quick = real.elapsed() < Duration::from_secs(1);
    println!("real time for all three, under a second: {}", if quick { "yes" } else { "no" });
}
