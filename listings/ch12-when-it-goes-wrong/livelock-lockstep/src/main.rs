use std::sync::{Barrier, Mutex};
use std::thread;

fn polite_transfer(from: &Mutex<i64>, to: &Mutex<i64>, amount: i64, step: &Barrier) -> Option<u32> {
    for attempt in 1..=1_000 {
        let mut source = from.lock().unwrap();
        step.wait();
        let target = to.try_lock();
        step.wait();
        let done = match target {
            Ok(mut target) => {
                *source -= amount;
                *target += amount;
                true
            }
            Err(_) => false,
        };
        drop(source);
        step.wait();
        if done {
            return Some(attempt);
        }
    }
    None
}

fn main() {
    let alice = Mutex::new(100);
    let bob = Mutex::new(100);
    let step = Barrier::new(2);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| polite_transfer(&alice, &bob, 10, &step));
        let b = s.spawn(|| polite_transfer(&bob, &alice, 20, &step));
        (a.join().unwrap(), b.join().unwrap())
    });
    println!("alice -> bob finished at attempt: {a:?}");
    println!("bob -> alice finished at attempt: {b:?}");
    println!("balances: alice {}, bob {}", alice.lock().unwrap(), bob.lock().unwrap());
}
