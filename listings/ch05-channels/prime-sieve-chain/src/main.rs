use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

fn generate(out: SyncSender<u64>) {
    for n in 2.. {
        if out.send(n).is_err() {
            return;
        }
    }
}

fn filter(input: Receiver<u64>, out: SyncSender<u64>, prime: u64) {
    for n in input {
        if n % prime != 0 && out.send(n).is_err() {
            return;
        }
    }
}

fn main() {
    let (tx, mut rx) = sync_channel(0);
    let mut threads = vec![thread::spawn(move || generate(tx))];
    let mut primes = Vec::new();
    for _ in 0..20 {
        let prime = rx.recv().unwrap();
        primes.push(prime);
        let (tx, next_rx) = sync_channel(0);
        threads.push(thread::spawn(move || filter(rx, tx, prime)));
        rx = next_rx;
    }
    println!("{primes:?}");
    drop(rx);
    let count = threads.len();
    for t in threads {
        t.join().unwrap();
    }
    println!("all {count} threads of the sieve have ended");
}
