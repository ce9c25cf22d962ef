use std::io::Write;
use std::time::Duration;
use tokio::time::{interval, sleep};

/// Draw a spinner forever, one frame every 50 ms.
async fn spin(frames_drawn: &mut u32) {
    let mut tick = interval(Duration::from_millis(50));
    for frame in ['|', '/', '-', '\\'].iter().cycle() {
        tick.tick().await;
        print!("\r{frame} thinking...");
        std::io::stdout().flush().unwrap();
        *frames_drawn += 1;
    }
}

async fn slow_answer() -> u64 {
    sleep(Duration::from_millis(300)).await;
    42
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut frames = 0;
    let answer = tokio::select! {
        answer = slow_answer() => answer,
        _ = spin(&mut frames) => unreachable!("the spinner never finishes"),
    };
    println!("\r{:<20}", format!("Answer: {answer}"));
    println!("(the spinner drew {frames} frames on the one thread there is)");
}
