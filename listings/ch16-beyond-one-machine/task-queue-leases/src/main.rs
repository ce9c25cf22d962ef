use std::collections::{BTreeSet, HashMap, VecDeque};
use std::env;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};
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

const WORKERS: u64 = 3;
const TASKS: u64 = 10;
const BLOCK: u64 = COUNT / TASKS;
const LEASE: Duration = Duration::from_millis(800);

// ---- A worker: its own process, plain blocking code. ----

fn worker(addr: &str, me: u64) {
    let stream = TcpStream::connect(addr).unwrap();
    let mut replies = BufReader::new(&stream).lines();
    writeln!(&stream, "HELLO {me}").unwrap();
    loop {
        writeln!(&stream, "NEXT").unwrap();
        let reply = replies.next().unwrap().unwrap();
        let Some(job) = reply.strip_prefix("TASK ") else { return }; // BYE: all done
        let [task, attempt] =
            [0, 1].map(|i| job.split(' ').nth(i).unwrap().parse::<u64>().unwrap());
        if (me, task, attempt) == (3, 5, 1) {
            thread::sleep(Duration::from_secs(2));
        }
        let from = FIRST + task * BLOCK;
        let primes = (from..from + BLOCK).filter(|&n| is_prime(n)).count();
        record(task, primes, me);
        if (me, task, attempt) == (2, 7, 1) {
            std::process::exit(1);
        }
        writeln!(&stream, "RESULT {task} {attempt} {primes}").unwrap();
        replies.next().unwrap().unwrap(); // OK
    }
}

/// The side effects of a task: a line appended to a log, and a file of its own.
fn record(task: u64, primes: usize, me: u64) {
    let mut log = fs::OpenOptions::new().create(true).append(true).open("results.log").unwrap();
    let line = format!("task {task}: {primes}\n");
    log.write_all(line.as_bytes()).unwrap();
    let temporary = format!("results/task-{task}.from-{me}");
    fs::write(&temporary, primes.to_string()).unwrap();
    fs::rename(&temporary, format!("results/task-{task}")).unwrap();
}

// ---- The coordinator: shards the tasks, leases them out, and takes them back. ----

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Running,
    Finished,
    WorkerDied,
    LeaseExpired,
    FinishedLate,
}

struct Lease {
    worker: u64,
    attempt: usize,
    deadline: Instant,
}

struct State {
    queues: HashMap<u64, VecDeque<u64>>, // worker -> the tasks waiting for it
    alive: BTreeSet<u64>,                // workers whose connection is open
    leases: HashMap<u64, Lease>,         // task -> who is running it, until when
    attempts: HashMap<u64, Vec<(u64, Outcome)>>, // task -> (worker, outcome) per attempt
    results: HashMap<u64, usize>,        // task -> primes: the first result counts
}

impl State {
    fn new() -> State {
        let mut queues: HashMap<u64, VecDeque<u64>> = HashMap::new();
        for task in 0..TASKS {
            queues.entry(task % WORKERS + 1).or_default().push_back(task);
        }
        let alive = (1..=WORKERS).collect();
        State {
            queues,
            alive,
            leases: HashMap::new(),
            attempts: HashMap::new(),
            results: HashMap::new(),
        }
    }

    /// Give `task` to the next live worker after `worker`, round the ring.
    fn reassign(&mut self, task: u64, worker: u64) {
        let next = (1..WORKERS)
            .map(|i| (worker - 1 + i) % WORKERS + 1)
            .find(|w| self.alive.contains(w))
            .unwrap_or(worker);
        self.queues.entry(next).or_default().push_back(task);
    }

    /// NEXT from `worker`: lease it a task from its queue, or None if it has none now.
    fn lease(&mut self, worker: u64) -> Option<(u64, usize)> {
        while let Some(task) = self.queues.get_mut(&worker)?.pop_front() {
            if self.results.contains_key(&task) {
                continue; // finished meanwhile by an earlier attempt
            }
            let attempts = self.attempts.entry(task).or_default();
            attempts.push((worker, Outcome::Running));
            let attempt = attempts.len();
            self.leases.insert(task, Lease { worker, attempt, deadline: Instant::now() + LEASE });
            return Some((task, attempt));
        }
        None
    }

    /// RESULT: record it once, however many times it arrives.
    fn finish(&mut self, task: u64, attempt: usize, primes: usize) {
        let outcome = &mut self.attempts.get_mut(&task).unwrap()[attempt - 1].1;
        *outcome = if *outcome == Outcome::LeaseExpired {
            Outcome::FinishedLate
        } else {
            Outcome::Finished
        };
        if self.leases.get(&task).is_some_and(|lease| lease.attempt == attempt) {
            self.leases.remove(&task);
        }
        self.results.entry(task).or_insert(primes);
    }

    /// A worker's connection is gone: take back its lease and its queue.
    fn lost(&mut self, worker: u64) {
        self.alive.remove(&worker);
        let held: Vec<u64> =
            self.leases.iter().filter(|(_, l)| l.worker == worker).map(|(&t, _)| t).collect();
        for task in held {
            let lease = self.leases.remove(&task).unwrap();
            self.attempts.get_mut(&task).unwrap()[lease.attempt - 1].1 = Outcome::WorkerDied;
            self.reassign(task, worker);
        }
        let waiting: Vec<u64> =
            self.queues.get_mut(&worker).map(|q| q.drain(..).collect()).unwrap_or_default();
        for task in waiting {
            self.reassign(task, worker);
        }
    }

    /// Leases past their deadline: the task goes to another worker.
    fn expire(&mut self, now: Instant) -> bool {
        let mut late: Vec<u64> =
            self.leases.iter().filter(|(_, l)| l.deadline <= now).map(|(&t, _)| t).collect();
        late.sort();
        for &task in &late {
            let lease = self.leases.remove(&task).unwrap();
            self.attempts.get_mut(&task).unwrap()[lease.attempt - 1].1 = Outcome::LeaseExpired;
            self.reassign(task, lease.worker);
        }
        !late.is_empty()
    }

    fn done(&self) -> bool {
        self.results.len() as u64 == TASKS
    }
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// One thread per worker connection.
fn serve_worker(stream: TcpStream, shared: Shared) {
    let (state, changed) = &*shared;
    let mut lines = BufReader::new(&stream).lines();
    let Some(Ok(hello)) = lines.next() else { return };
    let me: u64 = hello.strip_prefix("HELLO ").unwrap().parse().unwrap();
    while let Some(Ok(line)) = lines.next() {
        let reply = if line == "NEXT" {
            let mut s = state.lock().unwrap();
            loop {
                if s.done() {
                    break "BYE".to_string();
                }
                if let Some((task, attempt)) = s.lease(me) {
                    break format!("TASK {task} {attempt}");
                }
                s = changed.wait(s).unwrap(); // nothing for me yet: wait for a change
            }
        } else {
            let fields: Vec<usize> = line.split(' ').skip(1).map(|f| f.parse().unwrap()).collect();
            let mut s = state.lock().unwrap();
            s.finish(fields[0] as u64, fields[1], fields[2]);
            changed.notify_all();
            "OK".to_string()
        };
        if writeln!(&stream, "{reply}").is_err() {
            break;
        }
    }
    state.lock().unwrap().lost(me);
    changed.notify_all();
}

fn coordinator() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    fs::create_dir("results").unwrap();
    let shared: Shared = Arc::new((Mutex::new(State::new()), Condvar::new()));

    let for_connections = shared.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = for_connections.clone();
            thread::spawn(move || serve_worker(stream, shared));
        }
    });
    let for_leases = shared.clone();
    thread::spawn(move || {
        loop {
            thread::sleep(Duration::from_millis(50));
            let (state, changed) = &*for_leases;
            if state.lock().unwrap().expire(Instant::now()) {
                changed.notify_all();
            }
        }
    });

    let exe = env::current_exe().unwrap();
    let children: Vec<_> = (1..=WORKERS)
        .map(|w| Command::new(&exe).args(["worker", &addr, &w.to_string()]).spawn().unwrap())
        .collect();
    for (w, mut child) in (1..).zip(children) {
        println!("worker {w}: {}", child.wait().unwrap());
    }

    let s = shared.0.lock().unwrap();
    for task in 0..TASKS {
        let attempts = &s.attempts[&task];
        if attempts.len() > 1 {
            for (i, &(worker, outcome)) in attempts.iter().enumerate() {
                let what = match outcome {
                    Outcome::Running => "still running",
                    Outcome::Finished => "finished",
                    Outcome::WorkerDied => "the worker died",
                    Outcome::LeaseExpired => "the lease expired",
                    Outcome::FinishedLate => "the lease expired; finished late",
                };
                println!("task {task}, attempt {}, worker {worker}: {what}", i + 1);
            }
        }
    }
    let primes: usize = s.results.values().sum();
    println!("coordinator: {} tasks done, {primes} primes", s.results.len());

    let log = fs::read_to_string("results.log").unwrap();
    let logged: usize =
        log.lines().map(|l| l.split(' ').nth(2).unwrap().parse::<usize>().unwrap()).sum();
    println!("results.log: {} lines, {logged} primes", log.lines().count());
    let files: Vec<_> = fs::read_dir("results").unwrap().map(|e| e.unwrap().path()).collect();
    let filed: usize =
        files.iter().map(|p| fs::read_to_string(p).unwrap().parse::<usize>().unwrap()).sum();
    println!("results/: {} files, {filed} primes", files.len());
}

fn main() {
    let args: Vec<String> = env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("worker") => worker(&args[2], args[3].parse().unwrap()),
        _ => coordinator(),
    }
}
