use std::sync::{Barrier, Mutex};
use std::thread;

struct Account {
    name: &'static str,
    balance: Mutex<i64>,
}

fn transfer(from: &Account, to: &Account, amount: i64, both_started: &Barrier) {
    let mut source = from.balance.lock().unwrap();
    println!("{} -> {}: holding {}, waiting for {}", from.name, to.name, from.name, to.name);
    both_started.wait();
    let mut target = to.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
    println!("{} -> {}: done", from.name, to.name);
}

fn main() {
    let alice = Account { name: "alice", balance: Mutex::new(100) };
    let bob = Account { name: "bob", balance: Mutex::new(100) };
    let both_started = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| transfer(&alice, &bob, 10, &both_started));
        s.spawn(|| transfer(&bob, &alice, 20, &both_started));
    });
    println!("both transfers finished");
}
