use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::sleep;

/// Says so when it is dropped, like any resource that needs cleaning up.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("{}: dropped, so its cleanup ran", self.0);
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

#[tokio::main]
async fn tasks() {
    // 1. A future stops when it is no longer polled, and is cancelled by dropping it.
    let steps = Arc::new(AtomicU32::new(0));
    let mut future = Box::pin(work("future", steps.clone()));
    tokio::select! {
        _ = &mut future => unreachable!(),
        _ = sleep(Duration::from_millis(50)) => {}
    }
    let before = steps.load(Ordering::Relaxed);
    sleep(Duration::from_millis(50)).await;
    let after = steps.load(Ordering::Relaxed);
    println!("future: made {before} steps, then {} more while nobody polled it", after - before);
    drop(future);

    // 2. A spawned task runs by itself, and is cancelled with abort.
    let steps = Arc::new(AtomicU32::new(0));
    let handle = tokio::spawn(work("task", steps.clone()));
    sleep(Duration::from_millis(50)).await;
    handle.abort();
    let error = handle.await.unwrap_err();
    println!("task: stopped after some steps; cancelled: {}", error.is_cancelled());
}

fn main() {
    tasks();

    // 3. A thread can only be asked to stop, and stops when it next checks.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let _guard = Guard("thread");
        let mut steps = 0;
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(10));
            steps += 1;
        }
        steps
    });
    std::thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Relaxed);
    let steps = thread.join().unwrap();
    println!("thread: saw the flag and returned after {steps} steps");
}
