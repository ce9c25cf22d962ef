use crossbeam_channel::{after, select, unbounded};
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, results) = unbounded();
    thread::spawn(move || {
        for n in 1..=3 {
            tx.send(n * n).unwrap();
        }
        thread::sleep(Duration::from_secs(5));
        tx.send(0).unwrap();
    });

    let mut received = Vec::new();
    loop {
        let timeout = after(Duration::from_millis(500));
        select! {
            recv(results) -> msg => match msg {
                Ok(n) => {
                    println!("result: {n}");
                    received.push(n);
                }
                Err(_) => break,
            },
            recv(timeout) -> _ => {
                println!("no result for 500 ms, giving up");
                break;
            }
        }
    }
    println!("received {received:?}");
}
