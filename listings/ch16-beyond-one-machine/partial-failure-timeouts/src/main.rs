use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

/// A server for one request. With `Some(delay)` it works that long, notes that the work is
/// done, and answers; with `None` it reads the request and then never answers.
fn server(name: &'static str, delay: Option<Duration>, log: Sender<&'static str>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut request = String::new();
        BufReader::new(&stream).read_line(&mut request).unwrap();
        let Some(delay) = delay else {
            thread::park();
            return;
        };
        thread::sleep(delay);
        log.send(name).unwrap();
        let _ = writeln!(&stream, "done");
    });
    addr
}

/// A port on which nothing listens any more.
fn gone() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
}

/// Send one request and wait at most `limit` for the answer.
fn call(addr: SocketAddr, limit: Duration) -> String {
    let stream = match TcpStream::connect(addr) {
        Ok(stream) => stream,
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => return "connection refused".into(),
        Err(e) => return format!("cannot connect: {e}"),
    };
    stream.set_read_timeout(Some(limit)).unwrap();
    writeln!(&stream, "please do the work").unwrap();
    let mut answer = String::new();
    match BufReader::new(&stream).read_line(&mut answer) {
        Ok(0) => "the connection closed without an answer".into(),
        Ok(_) => format!("answered {:?}", answer.trim_end()),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            format!("no answer within {limit:?}")
        }
        Err(e) => format!("error: {e}"),
    }
}

fn main() {
    let (log, did_work) = mpsc::channel();
    let servers = [
        ("fast", server("fast", Some(Duration::from_millis(10)), log.clone())),
        ("slow", server("slow", Some(Duration::from_millis(600)), log.clone())),
        ("stuck", server("stuck", None, log.clone())),
        ("gone", gone()),
    ];
    for (name, addr) in servers {
        println!("{name:>5}: {}", call(addr, Duration::from_millis(200)));
    }
    let mut worked: Vec<&str> = did_work.iter().take(2).collect();
    worked.sort();
    println!("the servers that did the work: {}", worked.join(", "));
}
