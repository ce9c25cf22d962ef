use loom::sync::{Arc, Mutex};
use loom::thread;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Account {
    balance: Mutex<i64>,
}

impl Account {
    fn withdraw(&self, amount: i64) -> bool {
        let mut balance = self.balance.lock().unwrap();
        let enough = *balance >= amount;
        if enough {
            *balance -= amount;
        }
        enough
    }
}

static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    loom::model(|| {
        EXECUTIONS.fetch_add(1, Relaxed);
        let account = Arc::new(Account { balance: Mutex::new(100) });
        let other = account.clone();
        let teller = thread::spawn(move || other.withdraw(80));
        let mine = account.withdraw(80);
        let theirs = teller.join().unwrap();
        assert!(mine != theirs, "exactly one withdrawal must succeed");
        assert_eq!(*account.balance.lock().unwrap(), 20);
    });
    println!("no overdraft in any of {} executions", EXECUTIONS.load(Relaxed));
}
