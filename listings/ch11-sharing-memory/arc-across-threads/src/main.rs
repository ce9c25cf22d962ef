use std::sync::Arc;
use std::thread;

fn main() {
    let prices = Arc::new(vec![12, 7, 30]);
    let for_thread = Arc::clone(&prices);
    let handle = thread::spawn(move || {
        let total: i32 = for_thread.iter().sum();
        println!("total: {total}");
    });
    handle.join().unwrap();
    println!("owners: {}", Arc::strong_count(&prices));
}
