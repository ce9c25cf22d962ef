use std::sync::Mutex;
use std::thread;

fn main() {
    let visits = Mutex::new(0);
    let handle = thread::spawn(|| {
        *visits.lock().unwrap() += 1;
    });
    handle.join().unwrap();
    println!("visits: {}", visits.lock().unwrap());
}
