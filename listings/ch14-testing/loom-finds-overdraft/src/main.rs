use loom::sync::{Arc, Mutex};
use loom::thread;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Account {
    balance: Mutex<i64>,
}

impl Account {
    fn withdraw(&self, amount: i64) -> bool {
        let enough = *self.balance.lock().unwrap() >= amount;
        if enough {
            *self.balance.lock().unwrap() -= amount;
        }
        enough
    }
}

static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    loom::model(|| {
        let execution = EXECUTIONS.fetch_add(1, Relaxed) + 1;
        let account = Arc::new(Account { balance: Mutex::new(100) });
        let other = account.clone();
        let teller = thread::spawn(move || other.withdraw(80));
        account.withdraw(80);
        teller.join().unwrap();
        let balance = *account.balance.lock().unwrap();
        assert!(balance >= 0, "execution {execution}: overdrawn, balance {balance}");
    });
    println!("no overdraft in any interleaving");
}
