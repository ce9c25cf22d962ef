use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::sleep;

async fn fetch(what: &'static str, ms: u64) -> &'static str {
    sleep(Duration::from_millis(ms)).await;
    what
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(8);
    tokio::spawn(async move {
        for word in ["alpha", "beta", "gamma"] {
            sleep(Duration::from_millis(10)).await;
            tx.send(word).await.unwrap();
        }
    });

    let deadline = sleep(Duration::from_secs(5));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            message = rx.recv() => match message {
                Some(word) => println!("received {word}"),
                None => {
                    println!("channel closed: the sender has finished");
                    break;
                }
            },
            _ = &mut deadline => {
                println!("deadline passed; giving up");
                break;
            }
        }
    }

    let winner = tokio::select! {
        reply = fetch("the fast server", 10) => reply,
        reply = fetch("the slow server", 2_000) => reply,
    };
    println!("the race went to {winner}; the other request was dropped");
}
