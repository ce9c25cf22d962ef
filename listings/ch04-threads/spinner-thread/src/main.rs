use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
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

static DONE: AtomicBool = AtomicBool::new(false);

fn spin(label: &str) -> u32 {
    let frames = ['|', '/', '-', '\\'];
    let mut drawn = 0;
    loop {
        let frame = frames[drawn as usize % frames.len()];
        print!("\r[{frame}] {label}");
        io::stdout().flush().unwrap();
        drawn += 1;
        thread::sleep(Duration::from_millis(50));
        if DONE.load(Ordering::Relaxed) {
            break;
        }
    }
    println!("\r[ok] {label}");
    drawn
}

fn main() {
    let spinner = thread::spawn(|| spin("counting primes"));
    let primes = (FIRST..FIRST + COUNT).filter(|&n| is_prime(n)).count();
    DONE.store(true, Ordering::Relaxed);
    let frames = spinner.join().unwrap();
    println!("{primes} primes among {COUNT} numbers from {FIRST}");
    println!("the spinner drew {frames} frames");
}
