use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::timeout;

const MAX_CONNECTIONS: usize = 2;
const IDLE: Duration = Duration::from_millis(200);

async fn handle(stream: TcpStream) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let line = match timeout(IDLE, lines.next_line()).await {
            Err(_) => return writer.write_all(b"idle too long, goodbye\n").await,
            Ok(line) => line?,
        };
        let Some(line) = line else { return Ok(()) };
        writer.write_all(format!("{}\n", line.to_uppercase()).as_bytes()).await?;
    }
}

async fn serve(listener: TcpListener) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = slots.clone().acquire_owned().await.unwrap();
        let (stream, peer) = listener.accept().await.unwrap();
        tokio::spawn(async move {
            if let Err(error) = handle(stream).await {
                eprintln!("{peer}: {error}");
            }
            drop(slot);
        });
    }
}

async fn read_line(stream: &mut TcpStream) -> String {
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).await.unwrap();
    line.trim_end().to_string()
}

async fn clients(addr: SocketAddr) {
    let mut silent = Vec::new();
    for id in 1..=2 {
        silent.push(TcpStream::connect(addr).await.unwrap());
        println!("silent client {id}: connected, says nothing");
    }
    let start = Instant::now();
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(b"hello\n").await.unwrap();
    let answer = read_line(&mut third).await;
    let waited = start.elapsed() >= IDLE - Duration::from_millis(50);
    println!("third client: got {answer:?}, after waiting for a free slot: {waited}");
    for (id, stream) in (1..).zip(&mut silent) {
        println!("silent client {id}: the server said {:?}", read_line(stream).await);
    }
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener));
    clients(addr).await;
}
