use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let readings = Arc::new(vec![3, 1, 4, 1, 5, 9, 2, 6, 5]);
    let total = Arc::new(Mutex::new(0));
    let mut handles = Vec::new();
    for part in 0..3 {
        let readings = Arc::clone(&readings);
        let total = Arc::clone(&total);
        handles.push(thread::spawn(move || {
            let sum: i32 = readings[part * 3..part * 3 + 3].iter().sum();
            *total.lock().unwrap() += sum;
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    println!("owners of the readings left: {}", Arc::strong_count(&readings));
    println!("total: {}", *total.lock().unwrap());
}
