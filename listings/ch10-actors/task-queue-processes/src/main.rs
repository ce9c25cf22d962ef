use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

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

const BLOCK: u64 = 1_000;

// ---- The broker: an actor that owns the queue. ----

/// Blocks still queued, and every result so far: (block, primes, consumer).
type Report = (usize, Vec<(u64, u64, u32)>);

enum Request {
    Put(u64),
    Take(oneshot::Sender<Option<u64>>),
    Done { block: u64, primes: u64, consumer: u32 },
    Report(oneshot::Sender<Report>),
}

async fn queue_actor(mut inbox: mpsc::Receiver<Request>) {
    let mut queue = VecDeque::new();
    let mut done = Vec::new();
    while let Some(request) = inbox.recv().await {
        match request {
            Request::Put(block) => queue.push_back(block),
            Request::Take(reply) => {
                let _ = reply.send(queue.pop_front());
            }
            Request::Done { block, primes, consumer } => done.push((block, primes, consumer)),
            Request::Report(reply) => {
                let _ = reply.send((queue.len(), done.clone()));
            }
        }
    }
}

/// Turn the lines of one connection into requests to the queue actor.
async fn connection(stream: tokio::net::TcpStream, queue: mpsc::Sender<Request>) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = tokio::io::BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer = match words[..] {
            ["PUT", block] => {
                queue.send(Request::Put(block.parse().unwrap())).await.unwrap();
                "OK".to_string()
            }
            ["TAKE"] => {
                let (reply, job) = oneshot::channel();
                queue.send(Request::Take(reply)).await.unwrap();
                match job.await.unwrap() {
                    Some(block) => format!("JOB {block}"),
                    None => "EMPTY".to_string(),
                }
            }
            ["DONE", block, primes, consumer] => {
                let (block, primes) = (block.parse().unwrap(), primes.parse().unwrap());
                let consumer = consumer.parse().unwrap();
                queue.send(Request::Done { block, primes, consumer }).await.unwrap();
                "OK".to_string()
            }
            _ => "ERROR".to_string(),
        };
        if writer.write_all(format!("{answer}\n").as_bytes()).await.is_err() {
            break;
        }
    }
}

async fn report(queue: &mpsc::Sender<Request>) -> (usize, Vec<(u64, u64, u32)>) {
    let (reply, answer) = oneshot::channel();
    queue.send(Request::Report(reply)).await.unwrap();
    answer.await.unwrap()
}

/// Start `count` copies of this executable in `role`, and wait until all have exited.
async fn launch(role: &str, count: u32, addr: SocketAddr) {
    let exe = std::env::current_exe().unwrap();
    let mut children = Vec::new();
    for id in 1..=count {
        let child = Command::new(&exe).args([role, &addr.to_string(), &id.to_string()]).spawn();
        children.push(child.unwrap());
    }
    for (id, mut child) in (1..).zip(children) {
        let status = child.wait().await.unwrap();
        println!("broker: {role} process {id} exited ({status})");
    }
}

async fn broker() {
    let (queue, inbox) = mpsc::channel(64);
    tokio::spawn(queue_actor(inbox));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let for_connections = queue.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(connection(stream, for_connections.clone()));
        }
    });

    launch("producer", 2, addr).await;
    let (waiting, _) = report(&queue).await;
    println!("broker: {waiting} jobs in the queue, and no producer running");

    launch("consumer", 3, addr).await;
    let (waiting, mut done) = report(&queue).await;
    done.sort();
    let primes: u64 = done.iter().map(|&(_, primes, _)| primes).sum();
    println!("broker: {} jobs done, {waiting} left; {primes} primes in total", done.len());
    for consumer in 1..=3 {
        let jobs = done.iter().filter(|job| job.2 == consumer).count();
        println!("broker: consumer {consumer} did {jobs} jobs");
    }
}

// ---- Producers and consumers: plain blocking code in their own processes. ----

/// Send one line to the broker, return its one-line answer.
fn ask(conn: &mut BufReader<std::net::TcpStream>, line: &str) -> String {
    writeln!(conn.get_mut(), "{line}").unwrap();
    let mut answer = String::new();
    conn.read_line(&mut answer).unwrap();
    answer.trim_end().to_string()
}

fn producer(addr: &str, id: u64) {
    let mut conn = BufReader::new(std::net::TcpStream::connect(addr).unwrap());
    for i in 0..5 {
        let block = FIRST + (id - 1) * 5 * BLOCK + i * BLOCK;
        ask(&mut conn, &format!("PUT {block}"));
    }
}

fn consumer(addr: &str, id: u32) {
    let mut conn = BufReader::new(std::net::TcpStream::connect(addr).unwrap());
    loop {
        let answer = ask(&mut conn, "TAKE");
        let Some(block) = answer.strip_prefix("JOB ") else { break }; // EMPTY: nothing left
        let block: u64 = block.parse().unwrap();
        let primes = (block..block + BLOCK).filter(|&n| is_prime(n)).count();
        ask(&mut conn, &format!("DONE {block} {primes} {id}"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("producer") => producer(&args[2], args[3].parse().unwrap()),
        Some("consumer") => consumer(&args[2], args[3].parse().unwrap()),
        _ => {
            assert_eq!(COUNT, 10 * BLOCK);
            tokio::runtime::Runtime::new().unwrap().block_on(broker());
        }
    }
}
