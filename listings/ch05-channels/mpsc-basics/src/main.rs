use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for word in ["one", "two", "three"] {
            tx.send(word.to_string()).unwrap();
        }
    });
    for word in rx {
        println!("main: got {word}");
    }
    println!("main: the channel is closed");
    producer.join().unwrap();
}
