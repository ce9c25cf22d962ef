use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || tx.send(id * 10).unwrap());
    }
    let mut results = Vec::new();
    for n in rx {
        results.push(n);
        println!("received {} of 3", results.len());
    }
    println!("all results: {results:?}");
}
