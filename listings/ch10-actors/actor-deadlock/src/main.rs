use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::timeout;

enum Message {
    Deposit { amount: u64, done: Option<oneshot::Sender<()>> },
    Transfer { amount: u64, to: Account, done: oneshot::Sender<()> },
    Balance { reply: oneshot::Sender<u64> },
}

#[derive(Clone)]
struct Account(mpsc::Sender<Message>);

impl Account {
    fn spawn(mut balance: u64, wait_for_deposit: bool) -> Account {
        let (outbox, mut inbox) = mpsc::channel(8);
        tokio::spawn(async move {
            while let Some(message) = inbox.recv().await {
                match message {
                    Message::Deposit { amount, done } => {
                        balance += amount;
                        if let Some(done) = done {
                            let _ = done.send(());
                        }
                    }
                    Message::Transfer { amount, to, done } => {
                        balance -= amount;
                        if wait_for_deposit {
                            let (confirm, confirmed) = oneshot::channel();
                            let deposit = Message::Deposit { amount, done: Some(confirm) };
                            to.0.send(deposit).await.unwrap();
                            confirmed.await.unwrap();
                        } else {
                            to.0.send(Message::Deposit { amount, done: None }).await.unwrap();
                        }
                        let _ = done.send(());
                    }
                    Message::Balance { reply } => {
                        let _ = reply.send(balance);
                    }
                }
            }
        });
        Account(outbox)
    }

    async fn transfer(&self, amount: u64, to: &Account) -> Result<(), &'static str> {
        let (done, finished) = oneshot::channel();
        let message = Message::Transfer { amount, to: to.clone(), done };
        self.0.send(message).await.unwrap();
        match timeout(Duration::from_millis(500), finished).await {
            Ok(_) => Ok(()),
            Err(_) => Err("no answer within 500 ms"),
        }
    }

    async fn balance(&self) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.0.send(Message::Balance { reply }).await.unwrap();
        answer.await.unwrap()
    }
}

async fn run(wait_for_deposit: bool) {
    let a = Account::spawn(100, wait_for_deposit);
    let b = Account::spawn(100, wait_for_deposit);
    let (a_to_b, b_to_a) = tokio::join!(a.transfer(10, &b), b.transfer(20, &a));
    println!("  A -> B: {a_to_b:?}");
    println!("  B -> A: {b_to_a:?}");
    if a_to_b.is_ok() && b_to_a.is_ok() {
        println!("  balances: A {}, B {}", a.balance().await, b.balance().await);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("transfers that wait for the other account's confirmation:");
    run(true).await;
    println!("transfers that send the deposit and move on:");
    run(false).await;
}
