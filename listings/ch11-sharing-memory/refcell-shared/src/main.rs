use std::cell::RefCell;
use std::thread;

fn main() {
    let hits = RefCell::new(0);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| *hits.borrow_mut() += 1);
        }
    });
    println!("hits: {}", hits.into_inner());
}
