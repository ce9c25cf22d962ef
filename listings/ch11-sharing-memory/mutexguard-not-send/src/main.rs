use std::sync::Mutex;
use std::thread;

fn main() {
    let log = Mutex::new(Vec::new());
    let mut guard = log.lock().unwrap();
    guard.push("main");
    thread::scope(|s| {
        s.spawn(move || {
            guard.push("worker");
        });
    });
    println!("{:?}", log.lock().unwrap());
}
