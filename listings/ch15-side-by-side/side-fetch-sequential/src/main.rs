use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// How many requests, and how long the server works on each one.
const REQUESTS: u64 = 64;
const DELAY: Duration = Duration::from_millis(20);

/// The server: one thread per connection; `GET /item/N` is answered, after DELAY, with N * N.
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream));
        }
    });
    addr
}

fn answer(stream: TcpStream) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?; // "GET /item/7 HTTP/1.1"
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
    }
    let item: u64 = request_line
        .split_whitespace()
        .nth(1)
        .and_then(|path| path.strip_prefix("/item/"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    thread::sleep(DELAY);
    let body = (item * item).to_string();
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    reader.get_mut().write_all(response.as_bytes())
}

/// The client: GET /item/N and return the number in the body.
fn fetch(addr: SocketAddr, item: u64) -> u64 {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET /item/{item} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (_head, body) = response.split_once("\r\n\r\n").unwrap();
    body.parse().unwrap()
}

/// Check the responses; print what was measured.
/// What a version claims about its speed, checked against the floor below.
#[allow(dead_code)] // each version makes only one kind of claim
enum Claim {
    AtLeast(f64),        // this many times faster than one request at a time
    NoFasterThan(usize), // than this many requests at a time could be
}

fn report(model: &str, answers: (u64, u64), elapsed: Duration, workers: usize, claim: Claim) {
    let (responses, checksum) = answers;
    assert_eq!(responses, REQUESTS, "{model} lost responses");
    assert_eq!(checksum, (0..REQUESTS).map(|i| i * i).sum::<u64>(), "{model} got wrong answers");
    println!("{model}: {responses} responses, checksum {checksum}");
    // One request at a time can never beat REQUESTS waits of DELAY each: the yardstick.
    let (time, floor) = (elapsed.as_secs_f64(), DELAY.as_secs_f64() * REQUESTS as f64);
    let speedup = floor / time;
    print!("model: {model}  workload: io  workers: {workers}  time: {time:.3} s  ");
    println!("floor: {floor:.3} s  speedup: {speedup:.2}x");
    let verdict = |b: bool| if b { "yes" } else { "no" };
    match claim {
        Claim::AtLeast(x) => {
            println!("at least {x}x faster than one at a time: {}", verdict(speedup >= x));
        }
        Claim::NoFasterThan(n) => {
            let bound = n as f64 * 1.05;
            println!("no faster than {n} at a time allows: {}", verdict(speedup <= bound));
        }
    }
}

fn main() {
    let addr = start_server();
    let start = Instant::now();
    let values: Vec<u64> = (0..REQUESTS).map(|item| fetch(addr, item)).collect();
    let elapsed = start.elapsed();
    let answers = (values.len() as u64, values.iter().sum());
    report("sequential", answers, elapsed, 1, Claim::NoFasterThan(1));
}
