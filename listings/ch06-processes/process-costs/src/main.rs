use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

fn echo() {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        writeln!(out, "{}", line.unwrap()).unwrap();
        out.flush().unwrap();
    }
}

/// `tries` calls of `once`, each timed, fastest first.
fn timings(tries: u32, mut once: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..tries)
        .map(|_| {
            let start = Instant::now();
            once();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn main() {
    match env::args().nth(1).as_deref() {
        Some("exit") => return,
        Some("echo") => return echo(),
        _ => {}
    }
    let exe = env::current_exe().unwrap();

    let thread_start = timings(200, || thread::spawn(|| ()).join().unwrap())[0];
    println!("start and join a thread: {thread_start:.1?}");

    let process_start = timings(200, || {
        Command::new(&exe).arg("exit").status().unwrap();
    })[0];
    println!("start and wait for a process: {process_start:.1?}");

    let (to_thread, thread_in) = mpsc::channel::<u64>();
    let (thread_out, from_thread) = mpsc::channel::<u64>();
    thread::spawn(move || {
        for n in thread_in {
            thread_out.send(n).unwrap();
        }
    });
    let mut n = 0;
    let thread_trip = timings(10_000, || {
        n += 1;
        to_thread.send(n).unwrap();
        assert_eq!(from_thread.recv().unwrap(), n);
    })[5_000];
    println!("round trip to a thread over channels: {thread_trip:.1?}");

    let mut child = Command::new(&exe)
        .arg("echo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_child = child.stdin.take().unwrap();
    let mut from_child = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let process_trip = timings(10_000, || {
        n += 1;
        writeln!(to_child, "{n}").unwrap();
        line.clear();
        from_child.read_line(&mut line).unwrap();
        assert_eq!(line.trim_end().parse::<u64>().unwrap(), n);
    })[5_000];
    println!("round trip to a process over pipes: {process_trip:.1?}");
    drop(to_child);
    child.wait().unwrap();

    let yes_no = |claim| if claim { "yes" } else { "no" };
    let dearer = process_start > thread_start * 3;
    println!("a process 3x dearer to start than a thread: {}", yes_no(dearer));
    let cheap = process_trip * 5 < process_start;
    println!("a round trip to a process under a fifth of a start: {}", yes_no(cheap));
}
