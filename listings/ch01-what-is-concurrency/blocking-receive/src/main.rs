use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let (sender, receiver) = mpsc::channel();
    let start = Instant::now();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(200));
        println!("worker: sending the answer");
        sender.send(42).unwrap();
    });
    println!("main: waiting for the answer");
    let answer = receiver.recv().unwrap();
    println!("main: got {answer} after {:.0?}", start.elapsed());
}
