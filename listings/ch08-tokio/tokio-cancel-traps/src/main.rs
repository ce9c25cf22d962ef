use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Says so when it is dropped.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("{}: dropped", self.0);
    }
}

/// Count steps forever, one every 10 ms.
async fn work(name: &'static str, steps: Arc<AtomicU32>) {
    let _guard = Guard(name);
    loop {
        sleep(Duration::from_millis(10)).await;
        steps.fetch_add(1, Ordering::Relaxed);
    }
}

/// How many steps were counted in the next 50 ms.
async fn steps_in_50_ms(steps: &AtomicU32) -> u32 {
    let before = steps.load(Ordering::Relaxed);
    sleep(Duration::from_millis(50)).await;
    steps.load(Ordering::Relaxed) - before
}

#[tokio::main]
async fn main() {
    let steps = Arc::new(AtomicU32::new(0));
    let handle = tokio::spawn(work("detached task", steps.clone()));
    drop(handle);
    let running = steps_in_50_ms(&steps).await > 0;
    println!("after its JoinHandle was dropped, the task still runs: {running}");

    let steps = Arc::new(AtomicU32::new(0));
    let mut set = JoinSet::new();
    set.spawn(work("task in a JoinSet", steps.clone()));
    sleep(Duration::from_millis(20)).await;
    drop(set);
    sleep(Duration::from_millis(100)).await;
    println!("after the JoinSet was dropped, its task made {} steps", steps_in_50_ms(&steps).await);

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let blocking = tokio::task::spawn_blocking(move || {
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(10));
        }
        "stopped when asked"
    });
    sleep(Duration::from_millis(20)).await;
    blocking.abort();
    sleep(Duration::from_millis(50)).await;
    println!("50 ms after abort, spawn_blocking has finished: {}", blocking.is_finished());
    stop.store(true, Ordering::Relaxed);
    println!("spawn_blocking: {:?}", blocking.await);
    println!("main: returning, which shuts the runtime down");
}
