use rand::Rng;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

fn polite_transfer(from: &Mutex<i64>, to: &Mutex<i64>, amount: i64) -> u32 {
    let mut rng = rand::rng();
    for attempt in 1.. {
        let mut source = from.lock().unwrap();
        thread::sleep(Duration::from_millis(1));
        if let Ok(mut target) = to.try_lock() {
            *source -= amount;
            *target += amount;
            return attempt;
        }
        drop(source);
        let pause = rng.random_range(0..2_000);
        thread::sleep(Duration::from_micros(pause));
    }
    unreachable!()
}

fn main() {
    let alice = Mutex::new(100);
    let bob = Mutex::new(100);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| polite_transfer(&alice, &bob, 10));
        let b = s.spawn(|| polite_transfer(&bob, &alice, 20));
        (a.join().unwrap(), b.join().unwrap())
    });
    println!("alice -> bob finished at attempt {a}");
    println!("bob -> alice finished at attempt {b}");
    println!("balances: alice {}, bob {}", alice.lock().unwrap(), bob.lock().unwrap());
}
