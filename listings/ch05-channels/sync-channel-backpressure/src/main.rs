use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

static SENT: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let (tx, rx) = mpsc::sync_channel(2);
    let producer = thread::spawn(move || {
        for item in 0..5 {
            tx.send(item).unwrap();
            SENT.fetch_add(1, Ordering::SeqCst);
        }
    });

    while SENT.load(Ordering::SeqCst) < 2 {
        thread::yield_now();
    }
    thread::sleep(Duration::from_millis(100));
    println!("before any receive, the producer has sent {}", SENT.load(Ordering::SeqCst));

    for item in rx {
        println!("received {item}");
    }
    producer.join().unwrap();
    println!("after draining, the producer has sent {}", SENT.load(Ordering::SeqCst));
}
