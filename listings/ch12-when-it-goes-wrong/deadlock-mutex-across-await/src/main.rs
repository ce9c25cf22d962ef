use std::sync::Mutex;
use std::time::Duration;

static HITS: Mutex<u64> = Mutex::new(0);

#[allow(clippy::await_holding_lock)] // the bug on show here, which clippy would point out
async fn count_hit(name: &str) {
    let mut hits = HITS.lock().unwrap();
    println!("{name}: holding the lock, awaiting");
    tokio::time::sleep(Duration::from_millis(10)).await;
    *hits += 1;
    println!("{name}: done");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tokio::join!(count_hit("task a"), count_hit("task b"));
    println!("hits: {}", *HITS.lock().unwrap());
}
