use nix::sys::resource::{Resource, getrlimit, setrlimit};
use std::env;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;
use tokio::sync::watch;
use tokio::task::JoinSet;

const CONNECTIONS: usize = 2_000;

/// An echo server that answers nobody until all CONNECTIONS requests have arrived, and then
/// waits half a second more, so that every client is waiting at the same time.
fn start_server() -> SocketAddr {
    let (tell_addr, addr) = mpsc::channel();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let listener = socket.listen(4096).unwrap();
            tell_addr.send(listener.local_addr().unwrap()).unwrap();
            let (all_in, _) = watch::channel(false);
            let (all_in, arrived) = (Arc::new(all_in), Arc::new(AtomicUsize::new(0)));
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (all_in, arrived) = (all_in.clone(), arrived.clone());
                tokio::spawn(async move {
                    let (reader, mut writer) = stream.into_split();
                    let mut line = String::new();
                    tokio::io::BufReader::new(reader).read_line(&mut line).await.unwrap();
                    let mut go = all_in.subscribe();
                    if arrived.fetch_add(1, Relaxed) + 1 == CONNECTIONS {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        all_in.send_replace(true);
                    }
                    go.wait_for(|&all| all).await.unwrap();
                    writer.write_all(line.as_bytes()).await.unwrap();
                });
            }
        });
    });
    addr.recv().unwrap()
}

/// A figure from /proc/self/status: "Threads", or "VmHWM", the peak resident memory in kB.
fn status(key: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn with_threads(addr: SocketAddr) -> usize {
    let sent = AtomicUsize::new(0);
    thread::scope(|s| {
        for i in 0..CONNECTIONS {
            let sent = &sent;
            let client = move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                writeln!(stream, "request {i}").unwrap();
                sent.fetch_add(1, Relaxed);
                let mut reply = String::new();
                stream.read_to_string(&mut reply).unwrap();
                assert_eq!(reply, format!("request {i}\n"));
            };
            thread::Builder::new().stack_size(256 * 1024).spawn_scoped(s, client).unwrap();
        }
        while sent.load(Relaxed) < CONNECTIONS {
            thread::sleep(Duration::from_millis(1));
        }
        status("Threads:")
    })
}

async fn with_tasks(addr: SocketAddr) -> usize {
    let sent = Arc::new(AtomicUsize::new(0));
    let mut tasks = JoinSet::new();
    for i in 0..CONNECTIONS {
        let sent = sent.clone();
        tasks.spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.write_all(format!("request {i}\n").as_bytes()).await.unwrap();
            sent.fetch_add(1, Relaxed);
            let mut reply = String::new();
            stream.read_to_string(&mut reply).await.unwrap();
            assert_eq!(reply, format!("request {i}\n"));
        });
    }
    while sent.load(Relaxed) < CONNECTIONS {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let threads = status("Threads:");
    tasks.join_all().await;
    threads
}

/// One model, in a process of its own: print the uniform line, return the peak memory in MiB.
fn measure(model: &str) -> f64 {
    let exe = env::current_exe().unwrap();
    let addr = start_server().to_string();
    let output = Command::new(exe).args([model, &addr]).output().unwrap();
    assert!(output.status.success(), "{model} failed");
    let line = String::from_utf8(output.stdout).unwrap();
    print!("{line}");
    let memory = line.split("memory: ").nth(1).unwrap();
    memory.split(' ').next().unwrap().parse().unwrap()
}

fn main() {
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard).unwrap();
    let args: Vec<String> = env::args().collect();
    if args.len() == 3 {
        let addr: SocketAddr = args[2].parse().unwrap();
        let start = Instant::now();
        let threads = if args[1] == "threads" {
            with_threads(addr)
        } else {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            runtime.unwrap().block_on(with_tasks(addr))
        };
        let (time, memory) = (start.elapsed().as_secs_f64(), status("VmHWM:") as f64 / 1024.0);
        print!("model: {}  workload: connections  workers: {threads}  ", args[1]);
        println!("connections: {CONNECTIONS}  time: {time:.3} s  memory: {memory:.1} MiB");
        return;
    }
    let threads = measure("threads");
    let tasks = measure("async");
    let verdict = if tasks * 2.0 < threads { "yes" } else { "no" };
    println!("async held them in less than half the memory of threads: {verdict}");
}
