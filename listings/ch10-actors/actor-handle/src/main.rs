use tokio::sync::{mpsc, oneshot};
use tokio::task::{JoinHandle, JoinSet};

enum Message {
    Deposit { amount: u64, reply: oneshot::Sender<u64> },
    Withdraw { amount: u64, reply: oneshot::Sender<Result<u64, String>> },
    Balance { reply: oneshot::Sender<u64> },
}

/// The actor: owns the balance. Nothing else can reach it.
struct Account {
    balance: u64,
    inbox: mpsc::Receiver<Message>,
}

impl Account {
    async fn run(mut self) {
        while let Some(message) = self.inbox.recv().await {
            match message {
                Message::Deposit { amount, reply } => {
                    self.balance += amount;
                    let _ = reply.send(self.balance);
                }
                Message::Withdraw { amount, reply } => {
                    let result = if amount <= self.balance {
                        self.balance -= amount;
                        Ok(self.balance)
                    } else {
                        Err(format!("the balance is only {}", self.balance))
                    };
                    let _ = reply.send(result);
                }
                Message::Balance { reply } => {
                    let _ = reply.send(self.balance);
                }
            }
        }
        println!("account: every handle is gone; stopping with a balance of {}", self.balance);
    }
}

/// The handle: cheap to clone, and the only way to talk to the account.
#[derive(Clone)]
struct AccountHandle {
    outbox: mpsc::Sender<Message>,
}

impl AccountHandle {
    fn spawn(balance: u64) -> (AccountHandle, JoinHandle<()>) {
        let (outbox, inbox) = mpsc::channel(32);
        let task = tokio::spawn(Account { balance, inbox }.run());
        (AccountHandle { outbox }, task)
    }

    async fn deposit(&self, amount: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.outbox.send(Message::Deposit { amount, reply }).await.expect("account stopped");
        answer.await.expect("account dropped the request")
    }

    async fn withdraw(&self, amount: u64) -> Result<u64, String> {
        let (reply, answer) = oneshot::channel();
        self.outbox.send(Message::Withdraw { amount, reply }).await.expect("account stopped");
        answer.await.expect("account dropped the request")
    }

    async fn balance(&self) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.outbox.send(Message::Balance { reply }).await.expect("account stopped");
        answer.await.expect("account dropped the request")
    }
}

#[tokio::main]
async fn main() {
    let (account, task) = AccountHandle::spawn(100);
    let mut clients = JoinSet::new();
    for _ in 0..10 {
        let account = account.clone();
        clients.spawn(async move {
            for _ in 0..100 {
                account.deposit(1).await;
            }
        });
    }
    clients.join_all().await;
    println!("after 10 clients deposited 1, 100 times each: {}", account.balance().await);
    match account.withdraw(5000).await {
        Ok(left) => println!("withdrew 5000, {left} left"),
        Err(why) => println!("withdrawing 5000 refused: {why}"),
    }
    match account.withdraw(100).await {
        Ok(left) => println!("withdrew 100, {left} left"),
        Err(why) => println!("withdrawing 100 refused: {why}"),
    }
    drop(account);
    task.await.unwrap();
}
