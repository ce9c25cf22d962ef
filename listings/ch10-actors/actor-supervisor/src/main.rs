use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

struct Message {
    text: String,
    reply: oneshot::Sender<i64>,
}

/// Add up the numbers it is sent. State: the total so far.
async fn adder(inbox: Arc<Mutex<mpsc::Receiver<Message>>>) {
    let mut inbox = inbox.lock().await;
    let mut total = 0;
    while let Some(Message { text, reply }) = inbox.recv().await {
        let number: i64 = text.parse().unwrap();
        total += number;
        let _ = reply.send(total);
    }
}

async fn supervise(inbox: mpsc::Receiver<Message>, max_restarts: u32) {
    let inbox = Arc::new(Mutex::new(inbox));
    let mut restarts = 0;
    loop {
        let result = tokio::spawn(adder(inbox.clone())).await;
        match result {
            Ok(()) => {
                println!("supervisor: the adder stopped normally");
                return;
            }
            Err(error) if error.is_panic() && restarts < max_restarts => {
                restarts += 1;
                println!("supervisor: the adder panicked; restart {restarts} of {max_restarts}");
            }
            Err(_) => {
                println!("supervisor: the adder keeps failing; giving up");
                return;
            }
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (outbox, inbox) = mpsc::channel(16);
    let supervisor = tokio::spawn(supervise(inbox, 2));
    for text in ["10", "20", "oops", "5", "x", "y", "7"] {
        let (reply, answer) = oneshot::channel();
        if outbox.send(Message { text: text.to_string(), reply }).await.is_err() {
            println!("client: cannot send {text:?}: the adder is gone for good");
            continue;
        }
        match answer.await {
            Ok(total) => println!("client: sent {text:?}, the total is now {total}"),
            Err(_) => println!("client: sent {text:?} and got no answer"),
        }
    }
    drop(outbox);
    supervisor.await.unwrap();
}
