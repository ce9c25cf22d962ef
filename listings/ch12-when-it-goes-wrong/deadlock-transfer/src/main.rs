use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

struct Account {
    name: &'static str,
    balance: Mutex<i64>,
}

fn transfer(from: &Account, to: &Account, amount: i64, both_started: &Barrier, clock: Instant) {
    let mut source = from.balance.lock().unwrap();
    let (held, wanted, at) = (from.name, to.name, clock.elapsed().as_millis());
    println!("{held} -> {wanted}: holding {held} at {at} ms, waiting for {wanted}");
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
    let clock = Instant::now();
    thread::scope(|s| {
        let one = s.spawn(|| transfer(&alice, &bob, 10, &both_started, clock));
        let two = s.spawn(|| transfer(&bob, &alice, 20, &both_started, clock));
        println!("main: started both transfers at {} ms", clock.elapsed().as_millis());
        for _ in 0..4 {
            thread::sleep(Duration::from_millis(400));
            let finished = [&one, &two].iter().filter(|t| t.is_finished()).count();
            println!("main: at {} ms, transfers finished: {finished}", clock.elapsed().as_millis());
        }
    });
    println!("both transfers finished");
}
