use std::time::{Duration, Instant};
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Pretend to fetch something from a server that answers in `ms` milliseconds.
async fn fetch(id: u64, ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await;
    id
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let a = fetch(1, 50).await;
    let b = fetch(2, 100).await;
    let c = fetch(3, 150).await;
    println!("one after another: {:?} in {:.0?}", [a, b, c], start.elapsed());

    let start = Instant::now();
    let (a, b, c) = tokio::join!(fetch(1, 50), fetch(2, 100), fetch(3, 150));
    let joined = start.elapsed();
    println!("join!:             {:?} in {joined:.0?}", [a, b, c]);

    let start = Instant::now();
    let mut set = JoinSet::new();
    for id in 0..1000 {
        set.spawn(fetch(id, 150));
    }
    let mut sum = 0;
    while let Some(result) = set.join_next().await {
        sum += result.unwrap();
    }
    let set_time = start.elapsed();
    println!("JoinSet:           1000 tasks, ids adding up to {sum}, in {set_time:.0?}");

    let overlapped = |t: Duration| if t < Duration::from_millis(300) { "yes" } else { "no" };
    let (j, s) = (overlapped(joined), overlapped(set_time));
    println!("join! and the JoinSet took less than the 300 ms of waits in a row: {j}, {s}");
}
