use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;
/// Is `n` prime? Trial division: try 2, then every odd number up to the square root.
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// The workload: the 10,000 consecutive numbers starting at one trillion.
const FIRST: u64 = 1_000_000_000_000;
const COUNT: u64 = 10_000;

fn generate(out: SyncSender<u64>) -> usize {
    let mut sent = 0;
    for n in FIRST..FIRST + COUNT {
        if out.send(n).is_err() {
            break;
        }
        sent += 1;
    }
    sent
}

fn keep_primes(input: Receiver<u64>, out: SyncSender<u64>) -> usize {
    let mut passed = 0;
    for n in input {
        if is_prime(n) {
            if out.send(n).is_err() {
                break;
            }
            passed += 1;
        }
    }
    passed
}

fn gaps(input: Receiver<u64>, out: SyncSender<(u64, u64)>) -> usize {
    let mut sent = 0;
    let mut previous = None;
    for p in input {
        if let Some(q) = previous {
            if out.send((q, p - q)).is_err() {
                break;
            }
            sent += 1;
        }
        previous = Some(p);
    }
    sent
}

fn main() {
    let (numbers_tx, numbers_rx) = sync_channel(0);
    let (primes_tx, primes_rx) = sync_channel(0);
    let (gaps_tx, gaps_rx) = sync_channel(0);
    let stage1 = thread::spawn(move || generate(numbers_tx));
    let stage2 = thread::spawn(move || keep_primes(numbers_rx, primes_tx));
    let stage3 = thread::spawn(move || gaps(primes_rx, gaps_tx));

    for (prime, gap) in gaps_rx.iter().take(5) {
        println!("{prime} is followed by a gap of {gap}");
    }
    drop(gaps_rx);

    println!("generate passed on {} numbers", stage1.join().unwrap());
    println!("keep_primes passed on {} primes", stage2.join().unwrap());
    println!("gaps passed on {} gaps", stage3.join().unwrap());
}
