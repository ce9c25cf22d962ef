use std::sync::Mutex;
use std::thread;

fn main() {
    let visits = Mutex::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| *visits.lock().unwrap() += 1);
        }
    });
    println!("visits: {}", visits.into_inner().unwrap());
}
