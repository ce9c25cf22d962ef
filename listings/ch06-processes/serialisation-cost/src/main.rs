use std::env;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

const FIRST: u64 = 1_000_000_000_000;
const MILLION: u64 = 1_000_000;

fn sum_json_from_stdin() {
    let mut json = Vec::new();
    io::stdin().read_to_end(&mut json).unwrap();
    let numbers: Vec<u64> = serde_json::from_slice(&json).unwrap();
    println!("{}", numbers.iter().sum::<u64>());
}

fn main() {
    if env::args().nth(1).as_deref() == Some("sum") {
        return sum_json_from_stdin();
    }
    let numbers: Vec<u64> = (FIRST..FIRST + MILLION).collect();
    let expected: u64 = numbers.iter().sum();

    let copy = numbers.clone();
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<Vec<u64>>();
    let summer = thread::spawn(move || rx.recv().unwrap().iter().sum::<u64>());
    tx.send(copy).unwrap();
    assert_eq!(summer.join().unwrap(), expected);
    let by_thread = start.elapsed();
    println!("thread, Vec moved through a channel: {by_thread:.2?}");

    let start = Instant::now();
    let mut child = Command::new(env::current_exe().unwrap())
        .arg("sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let json = serde_json::to_vec(&numbers).unwrap();
    child.stdin.take().unwrap().write_all(&json).unwrap();
    let output = child.wait_with_output().unwrap();
    let sum: u64 = String::from_utf8(output.stdout).unwrap().trim().parse().unwrap();
    assert_eq!(sum, expected);
    let by_process = start.elapsed();
    println!("process, {} bytes of JSON through a pipe: {by_process:.2?}", json.len());

    let start = Instant::now();
    let json = serde_json::to_vec(&numbers).unwrap();
    let encoded = start.elapsed();
    let start = Instant::now();
    let decoded: Vec<u64> = serde_json::from_slice(&json).unwrap();
    let decoded_in = start.elapsed();
    assert_eq!(decoded, numbers);
    println!("of which encoding: {encoded:.2?}, decoding: {decoded_in:.2?}");
    let slower = by_process > by_thread * 5;
    println!("the process 5x slower than the thread: {}", if slower { "yes" } else { "no" });
}
