use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let c = Arc::clone(&counter);
    let task = tokio::spawn(async move {
        {
            let mut guard = c.lock().unwrap();
            *guard += 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        *c.lock().unwrap() += 1;
    });
    task.await.unwrap();
    println!("counter: {}", counter.lock().unwrap());
}
