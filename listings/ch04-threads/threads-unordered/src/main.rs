use std::thread;
use std::time::Duration;

fn main() {
    let mut handles = Vec::new();
    for id in 1..=3 {
        let handle = thread::spawn(move || {
            for step in 1..=2 {
                println!("worker {id}: step {step}");
                thread::sleep(Duration::from_millis(1));
            }
        });
        handles.push(handle);
    }
    for handle in handles {
        handle.join().unwrap();
    }
    println!("all workers finished");
}
