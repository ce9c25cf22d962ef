use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

struct Account {
    balance: Mutex<i64>,
}

fn transfer(from: &Account, to: &Account, amount: i64, backoffs: &AtomicU64) {
    loop {
        let mut source = from.balance.lock().unwrap();
        match to.balance.try_lock() {
            Ok(mut target) => {
                *source -= amount;
                *target += amount;
                return;
            }
            Err(_) => {
                drop(source);
                backoffs.fetch_add(1, Ordering::Relaxed);
                thread::yield_now();
            }
        }
    }
}

fn main() {
    let alice = Account { balance: Mutex::new(1_000) };
    let bob = Account { balance: Mutex::new(1_000) };
    let backoffs = AtomicU64::new(0);
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            (0..100_000).for_each(|_| transfer(&alice, &bob, 1, &backoffs))
        });
        s.spawn(|| {
            start.wait();
            (0..100_000).for_each(|_| transfer(&bob, &alice, 1, &backoffs))
        });
    });
    let a = *alice.balance.lock().unwrap();
    let b = *bob.balance.lock().unwrap();
    println!("alice: {a}, bob: {b}, total: {}", a + b);
    println!("times a transfer backed off: {}", backoffs.into_inner());
}
