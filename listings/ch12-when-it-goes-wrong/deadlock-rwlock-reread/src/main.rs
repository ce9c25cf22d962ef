use std::sync::{RwLock, mpsc};
use std::thread;
use std::time::Duration;

fn main() {
    let config = RwLock::new("v1");
    let (writer_ready, ready) = mpsc::channel();
    thread::scope(|s| {
        let first = config.read().unwrap();
        println!("reader: holding a read lock on {}", *first);
        s.spawn(|| {
            println!("writer: waiting for the write lock");
            writer_ready.send(()).unwrap();
            *config.write().unwrap() = "v2";
            println!("writer: done");
        });
        ready.recv().unwrap();
        thread::sleep(Duration::from_millis(200)); // the writer is now inside `write`
        println!("reader: taking a second read lock");
        let second = config.read().unwrap();
        println!("reader: read {} again", *second);
    });
}
