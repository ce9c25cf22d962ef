use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{sleep, timeout};

async fn fetch(name: &str, ms: u64) -> String {
    sleep(Duration::from_millis(ms)).await;
    format!("{name} after {ms} ms")
}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(fetch("background", 50));
    let (a, b) = tokio::join!(fetch("a", 30), fetch("b", 20));
    println!("{a}, {b}");
    match timeout(Duration::from_millis(100), fetch("slow", 5000)).await {
        Ok(answer) => println!("{answer}"),
        Err(_) => println!("slow: timed out after 100 ms"),
    }
    println!("{}", task.await.unwrap());

    let (queue, mut incoming) = mpsc::channel(2);
    let producing = tokio::spawn(async move {
        for i in 0..5 {
            queue.send(i).await.unwrap();
        }
    });
    let mut total = 0;
    while let Some(i) = incoming.recv().await {
        total += i;
    }
    producing.await.unwrap();
    println!("consumed 0..5, total {total}");
}
