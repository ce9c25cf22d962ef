use std::sync::{Barrier, Mutex, MutexGuard};
use std::thread;

struct Account {
    id: u32,
    balance: Mutex<i64>,
}

fn lock_both<'a>(a: &'a Account, b: &'a Account) -> (MutexGuard<'a, i64>, MutexGuard<'a, i64>) {
    if a.id < b.id {
        let first = a.balance.lock().unwrap();
        let second = b.balance.lock().unwrap();
        (first, second)
    } else {
        let first = b.balance.lock().unwrap();
        let second = a.balance.lock().unwrap();
        (second, first)
    }
}

fn transfer(from: &Account, to: &Account, amount: i64) {
    let (mut source, mut target) = lock_both(from, to);
    *source -= amount;
    *target += amount;
}

fn main() {
    let alice = Account { id: 1, balance: Mutex::new(1_000) };
    let bob = Account { id: 2, balance: Mutex::new(1_000) };
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            (0..100_000).for_each(|_| transfer(&alice, &bob, 1))
        });
        s.spawn(|| {
            start.wait();
            (0..100_000).for_each(|_| transfer(&bob, &alice, 1))
        });
    });
    let a = *alice.balance.lock().unwrap();
    let b = *bob.balance.lock().unwrap();
    println!("alice: {a}, bob: {b}, total: {}", a + b);
}
