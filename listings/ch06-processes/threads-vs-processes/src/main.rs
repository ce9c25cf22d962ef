use crossbeam_channel::bounded;
use std::env;
use std::io::{self, BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread;
use std::time::Instant;
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

/// A worker process speaking the line protocol of the process pool.
struct WorkerProcess {
    child: Child,
    replies: Lines<BufReader<ChildStdout>>,
}

impl WorkerProcess {
    fn start() -> WorkerProcess {
        let mut child = Command::new(env::current_exe().unwrap())
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let replies = BufReader::new(child.stdout.take().unwrap()).lines();
        WorkerProcess { child, replies }
    }

    fn check(&mut self, from: u64, to: u64) -> usize {
        writeln!(self.child.stdin.as_mut().unwrap(), "{from} {to}").unwrap();
        self.replies.next().unwrap().unwrap().parse().unwrap()
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        self.child.wait().unwrap();
    }
}

/// Share the workload, in blocks, among `workers` driver threads.
fn pool<C>(workers: usize, block: u64, make_checker: impl Fn() -> C + Sync) -> usize
where
    C: FnMut(u64, u64) -> usize,
{
    let (job_tx, job_rx) = bounded(workers);
    thread::scope(|s| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| {
                let jobs = job_rx.clone();
                let make_checker = &make_checker;
                s.spawn(move || {
                    let mut check = make_checker();
                    jobs.iter().map(|(from, to)| check(from, to)).sum::<usize>()
                })
            })
            .collect();
        for from in (FIRST..FIRST + COUNT).step_by(block as usize) {
            job_tx.send((from, from + block)).unwrap();
        }
        drop(job_tx);
        drivers.into_iter().map(|d| d.join().unwrap()).sum()
    })
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    for block in [100, 1] {
        let start = Instant::now();
        let primes = pool(workers, block, || {
            |from: u64, to: u64| (from..to).filter(|&n| is_prime(n)).count()
        });
        assert_eq!(primes, 335);
        println!("blocks of {block}, {workers} threads: {:.2?}", start.elapsed());

        let start = Instant::now();
        let primes = pool(workers, block, || {
            let mut process = WorkerProcess::start();
            move |from, to| process.check(from, to)
        });
        assert_eq!(primes, 335);
        println!("blocks of {block}, {workers} processes: {:.2?}", start.elapsed());
    }
    println!("every pool found 335 primes");
}
