use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let ledger = Arc::new(Mutex::new(vec![100, 200]));
    let worker = {
        let ledger = Arc::clone(&ledger);
        thread::spawn(move || {
            let mut entries = ledger.lock().unwrap();
            entries.push(300);
            if entries.len() > 2 {
                panic!("worker gave up halfway through an update");
            }
            entries.push(400);
        })
    };
    println!("worker panicked: {}", worker.join().is_err());
    println!("poisoned: {}", ledger.is_poisoned());
    match ledger.lock() {
        Ok(entries) => println!("locked normally: {:?}", *entries),
        Err(poisoned) => {
            let entries = poisoned.into_inner();
            println!("recovered anyway: {:?}", *entries);
        }
    }
    ledger.clear_poison();
    println!("poisoned after clear_poison: {}", ledger.is_poisoned());
}
