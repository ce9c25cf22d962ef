use std::env;
use std::io::{self, BufRead, BufReader, Lines, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ChildStdout, Command, Stdio};
/// Is `n` prime? Trial division: try 2, then every odd number up to the square root.
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

fn worker() {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line.unwrap();
        if line == "crash" {
            std::process::abort();
        }
        let mut fields = line.split(' ').map(|f| f.parse::<u64>().unwrap());
        let (from, to) = (fields.next().unwrap(), fields.next().unwrap());
        let primes = (from..to).filter(|&n| is_prime(n)).count();
        writeln!(out, "{primes}").unwrap();
        out.flush().unwrap();
    }
}

fn start_worker() -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(env::current_exe().unwrap())
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let replies = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, replies)
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let jobs = ["1000000000000 1000000000100", "crash", "1000000000100 1000000000200"];
    let (mut child, mut replies) = start_worker();
    let mut crashes = 0;
    for (i, job) in jobs.iter().enumerate() {
        writeln!(child.stdin.as_mut().unwrap(), "{job}").unwrap();
        match replies.next() {
            Some(Ok(reply)) => println!("job {}: {reply} primes", i + 1),
            _ => {
                let status = child.wait().unwrap();
                match status.signal() {
                    Some(signal) => {
                        println!("job {}: the worker was killed by signal {signal}", i + 1)
                    }
                    None => println!("job {}: the worker exited with {status}", i + 1),
                }
                crashes += 1;
                (child, replies) = start_worker();
            }
        }
    }
    drop(child.stdin.take());
    child.wait().unwrap();
    println!("the parent is still here after {crashes} crash");
}
