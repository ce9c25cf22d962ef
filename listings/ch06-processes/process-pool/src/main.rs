use crossbeam_channel::bounded;
use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::thread;
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

/// The workload: the 10,000 consecutive numbers starting at one trillion.
const FIRST: u64 = 1_000_000_000_000;
const COUNT: u64 = 10_000;

fn worker() {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line.unwrap();
        let mut fields = line.split(' ').map(|f| f.parse::<u64>().unwrap());
        let (from, to) = (fields.next().unwrap(), fields.next().unwrap());
        let primes = (from..to).filter(|&n| is_prime(n)).count();
        writeln!(out, "{primes}").unwrap();
        out.flush().unwrap();
    }
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let exe = env::current_exe().unwrap();
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let (job_tx, job_rx) = bounded::<(u64, u64)>(workers);

    let total: usize = thread::scope(|s| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| {
                let jobs = job_rx.clone();
                let exe = &exe;
                s.spawn(move || {
                    let mut child = Command::new(exe)
                        .arg("worker")
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .spawn()
                        .unwrap();
                    let mut requests = child.stdin.take().unwrap();
                    let mut replies = BufReader::new(child.stdout.take().unwrap()).lines();
                    let mut primes = 0;
                    for (from, to) in jobs {
                        writeln!(requests, "{from} {to}").unwrap();
                        let reply = replies.next().unwrap().unwrap();
                        primes += reply.parse::<usize>().unwrap();
                    }
                    drop(requests);
                    assert!(child.wait().unwrap().success());
                    primes
                })
            })
            .collect();
        for from in (FIRST..FIRST + COUNT).step_by(100) {
            job_tx.send((from, from + 100)).unwrap();
        }
        drop(job_tx);
        drivers.into_iter().map(|d| d.join().unwrap()).sum()
    });
    println!("{workers} worker processes found {total} primes among {COUNT} numbers");
}
