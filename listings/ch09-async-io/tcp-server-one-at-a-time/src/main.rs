use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// Answer each line with the same line in capitals, until the client hangs up.
async fn handle(stream: TcpStream) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        writer.write_all(format!("{}\n", line.to_uppercase()).as_bytes()).await?;
    }
    Ok(())
}

async fn serve(listener: TcpListener) {
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        let _ = handle(stream).await;
    }
}

/// Send one line and wait for the one-line answer.
async fn ask(stream: &mut TcpStream, line: &str) -> std::io::Result<String> {
    stream.write_all(format!("{line}\n").as_bytes()).await?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).await?;
    Ok(answer.trim_end().to_string())
}

async fn clients(addr: SocketAddr) {
    let mut slow = TcpStream::connect(addr).await.unwrap();
    println!("slow client: connected, says nothing yet");
    for id in 1..=2 {
        let mut fast = TcpStream::connect(addr).await.unwrap();
        let question = format!("hello from {id}");
        match timeout(Duration::from_millis(300), ask(&mut fast, &question)).await {
            Ok(answer) => println!("fast client {id}: got {:?}", answer.unwrap()),
            Err(_) => println!("fast client {id}: no answer within 300 ms"),
        }
    }
    let answer = ask(&mut slow, "finally").await.unwrap();
    println!("slow client: got {answer:?}");
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    println!("server listening on {addr}");
    tokio::spawn(serve(listener));
    clients(addr).await;
}
