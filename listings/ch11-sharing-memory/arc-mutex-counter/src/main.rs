use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0u64));
    let mut handles = Vec::new();
    for _ in 0..4 {
        let counter = Arc::clone(&counter);
        handles.push(thread::spawn(move || {
            for _ in 0..100_000 {
                let mut n = counter.lock().unwrap();
                *n += 1;
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    println!("total: {}", *counter.lock().unwrap());
    println!("Arc owners left: {}", Arc::strong_count(&counter));
}
