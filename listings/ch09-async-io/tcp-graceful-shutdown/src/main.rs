use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

async fn handle(stream: TcpStream, shutdown: CancellationToken) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let line = tokio::select! {
            biased;
            line = lines.next_line() => line?,
            _ = shutdown.cancelled() => break,
        };
        let Some(line) = line else { break }; // the client hung up
        let answer = match line.strip_prefix("work ") {
            Some(ms) => {
                sleep(Duration::from_millis(ms.parse().unwrap_or(0))).await;
                format!("done after {ms} ms")
            }
            None => line.to_uppercase(),
        };
        writer.write_all(format!("{answer}\n").as_bytes()).await?;
    }
    Ok(())
}

/// Serve until `shutdown` is cancelled; return how many connections were served.
async fn serve(listener: TcpListener, shutdown: CancellationToken) -> usize {
    let tracker = TaskTracker::new();
    let mut connections = 0;
    loop {
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                let (stream, _) = accepted.unwrap();
                connections += 1;
                tracker.spawn(handle(stream, shutdown.clone()));
            }
        }
    }
    drop(listener);
    tracker.close();
    tracker.wait().await;
    connections
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(serve(listener, shutdown.clone()));

    let mut busy = TcpStream::connect(addr).await.unwrap();
    busy.write_all(b"work 300\n").await.unwrap();
    println!("busy client: sent a request that takes 300 ms");
    let mut idle = TcpStream::connect(addr).await.unwrap();
    println!("idle client: connected, sends nothing");
    sleep(Duration::from_millis(100)).await;

    println!("main: shutting the server down");
    shutdown.cancel();

    let mut line = String::new();
    let n = BufReader::new(&mut idle).read_line(&mut line).await.unwrap();
    println!("idle client: read {n} bytes: the server closed the connection");
    sleep(Duration::from_millis(50)).await;
    match TcpStream::connect(addr).await {
        Ok(_) => println!("late client: connected"),
        Err(error) => println!("late client: {}", error.kind()),
    }
    BufReader::new(&mut busy).read_line(&mut line).await.unwrap();
    println!("busy client: got {:?}", line.trim_end());
    let served = server.await.unwrap();
    println!("server: stopped after serving {served} connections");
}
