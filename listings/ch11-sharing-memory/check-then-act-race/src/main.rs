use std::sync::{Barrier, Mutex};
use std::thread;

struct Account {
    balance: Mutex<i64>,
}

impl Account {
    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
    fn debit(&self, amount: i64) {
        *self.balance.lock().unwrap() -= amount;
    }
}

fn withdraw(account: &Account, amount: i64, window: &Barrier) -> bool {
    if account.balance() >= amount {
        window.wait();
        account.debit(amount);
        true
    } else {
        false
    }
}

fn main() {
    let account = Account { balance: Mutex::new(100) };
    let window = Barrier::new(2);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| withdraw(&account, 80, &window));
        let b = s.spawn(|| withdraw(&account, 80, &window));
        (a.join().unwrap(), b.join().unwrap())
    });
    println!("teller A paid 80: {a}");
    println!("teller B paid 80: {b}");
    println!("final balance: {}", account.balance());
}
