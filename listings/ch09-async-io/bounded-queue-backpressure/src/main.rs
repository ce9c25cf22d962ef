use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

const ITEMS: usize = 50;

/// Takes one item per millisecond, counting what it took.
async fn consume(mut next: impl AsyncFnMut() -> Option<usize>, taken: Arc<AtomicUsize>) {
    while next().await.is_some() {
        taken.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

async fn unbounded() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let taken = Arc::new(AtomicUsize::new(0));
    let consumer = tokio::spawn(consume(async move || rx.recv().await, taken.clone()));
    let mut most_waiting = 0;
    for item in 0..ITEMS {
        tx.send(item).unwrap();
        most_waiting = most_waiting.max(item + 1 - taken.load(Ordering::SeqCst));
    }
    drop(tx);
    consumer.await.unwrap();
    println!(
        "unbounded:   at most {most_waiting} of {ITEMS} items waiting; the producer never waited"
    );
}

async fn bounded(capacity: usize) {
    let (tx, mut rx) = mpsc::channel(capacity);
    let taken = Arc::new(AtomicUsize::new(0));
    let consumer = tokio::spawn(consume(async move || rx.recv().await, taken.clone()));
    let (mut most_waiting, mut waits) = (0, 0);
    for item in 0..ITEMS {
        if tx.capacity() == 0 {
            waits += 1; // this send will have to wait for room
        }
        tx.send(item).await.unwrap();
        most_waiting = most_waiting.max(item + 1 - taken.load(Ordering::SeqCst));
    }
    drop(tx);
    consumer.await.unwrap();
    println!(
        "bounded({capacity}):  at most {most_waiting} of {ITEMS} items waiting; \
         the producer waited {waits} times"
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    unbounded().await;
    bounded(5).await;
}
