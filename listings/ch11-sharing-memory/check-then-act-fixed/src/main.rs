use std::sync::Mutex;
use std::thread;
use std::time::Duration;

struct Account {
    balance: Mutex<i64>,
}

impl Account {
    fn withdraw(&self, amount: i64) -> bool {
        let mut balance = self.balance.lock().unwrap();
        if *balance >= amount {
            thread::sleep(Duration::from_millis(50));
            *balance -= amount;
            true
        } else {
            false
        }
    }
}

fn main() {
    let account = Account { balance: Mutex::new(100) };
    let paid: Vec<bool> = thread::scope(|s| {
        let tellers: Vec<_> = (0..2).map(|_| s.spawn(|| account.withdraw(80))).collect();
        tellers.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let approved = paid.iter().filter(|&&p| p).count();
    println!("withdrawals approved: {approved}, refused: {}", paid.len() - approved);
    println!("final balance: {}", *account.balance.lock().unwrap());
}
