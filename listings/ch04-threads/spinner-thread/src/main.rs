use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};
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

/// Milliseconds since `clock` started.
fn ms(clock: Instant) -> u128 {
    clock.elapsed().as_millis()
}

fn spin(label: &str, stop: Receiver<()>, clock: Instant) -> Vec<(&'static str, u128)> {
    let mut events = vec![("start", ms(clock))];
    for frame in ['|', '/', '-', '\\'].iter().cycle() {
        print!("\r[{frame}] {label}");
        io::stdout().flush().unwrap();
        events.push(("wait", ms(clock)));
        match stop.recv_timeout(Duration::from_millis(50)) {
            Err(RecvTimeoutError::Timeout) => events.push(("resume", ms(clock))),
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    println!("\r[ok] {label}");
    events.push(("stop", ms(clock)));
    events
}

fn main() {
    let clock = Instant::now();
    let (stop, stopped) = mpsc::channel();
    let spinner = thread::spawn(move || spin("counting primes", stopped, clock));
    let started = ms(clock);
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    let counted = ms(clock);
    stop.send(()).unwrap();
    let events = spinner.join().unwrap();
    println!("{primes} primes among {COUNT} numbers from {FIRST}");
    let frames = events.iter().filter(|(event, _)| *event == "wait").count();
    println!("the spinner drew {frames} frames");
    println!("main: start at {started} ms");
    println!("main: stop at {counted} ms");
    for (event, at) in events {
        println!("spinner: {event} at {at} ms");
    }
}
