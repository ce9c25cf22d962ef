use std::time::Duration;
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::time;

async fn relay(name: &str, mut inbox: Receiver<u32>, next: Sender<u32>) {
    while let Some(message) = inbox.recv().await {
        let send = next.send(message);
        tokio::pin!(send);
        if time::timeout(Duration::from_secs(1), &mut send).await.is_err() {
            println!("{name}: has waited a second to pass a message on");
            send.await.unwrap(); // and goes on waiting
        }
    }
}

#[tokio::main]
async fn main() {
    let (to_a, inbox_a) = mpsc::channel(1);
    let (to_b, inbox_b) = mpsc::channel(1);
    tokio::spawn(relay("a", inbox_a, to_b));
    tokio::spawn(relay("b", inbox_b, to_a.clone()));
    for message in 0..4 {
        to_a.send(message).await.unwrap();
    }
    println!("main: four messages in a ring with room for four");
    std::future::pending::<()>().await
}
