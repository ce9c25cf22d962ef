use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}
const FIRST: u64 = 1_000_000_000_000;
const COUNT: u64 = 10_000;

fn spin(label: &str, stop: Receiver<()>) -> u32 {
    let frames = ['|', '/', '-', '\\'];
    let mut drawn = 0;
    loop {
        let frame = frames[drawn as usize % frames.len()];
        print!("\r[{frame}] {label}");
        io::stdout().flush().unwrap();
        drawn += 1;
        match stop.recv_timeout(Duration::from_millis(50)) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    println!("\r[ok] {label}");
    drawn
}

fn main() {
    let (stop, stopped) = mpsc::channel();
    let spinner = thread::spawn(move || spin("counting primes", stopped));
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    stop.send(()).unwrap();
    let frames = spinner.join().unwrap();
    println!("{primes} primes among {COUNT} numbers from {FIRST}");
    println!("the spinner drew {frames} frames");
}
