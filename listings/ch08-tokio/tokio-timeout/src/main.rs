use std::time::Duration;
use tokio::time::{sleep, timeout};

/// A service that answers 42 after `ms` milliseconds.
async fn service(ms: u64) -> u32 {
    sleep(Duration::from_millis(ms)).await;
    42
}

/// A service whose first attempt hangs and whose later attempts answer quickly.
async fn flaky_service(attempt: u32) -> u32 {
    let ms = if attempt == 1 { 60_000 } else { 10 };
    service(ms).await
}

#[tokio::main]
async fn main() {
    let limit = Duration::from_millis(200);
    match timeout(limit, service(10)).await {
        Ok(answer) => println!("quick call: answered {answer}"),
        Err(elapsed) => println!("quick call: {elapsed}"),
    }
    match timeout(limit, service(60_000)).await {
        Ok(answer) => println!("hanging call: answered {answer}"),
        Err(elapsed) => println!("hanging call: {elapsed}"),
    }

    for attempt in 1..=3 {
        match timeout(limit, flaky_service(attempt)).await {
            Ok(answer) => {
                println!("attempt {attempt}: answered {answer}");
                break;
            }
            Err(_) => println!("attempt {attempt}: no answer within {limit:?}, retrying"),
        }
    }
}
