use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;
use tokio::sync::oneshot;
use tokio::time::timeout;

const TOTAL: usize = 4 * 1024 * 1024;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let server = TcpSocket::new_v4()?;
    server.set_recv_buffer_size(16 * 1024)?;
    server.bind("127.0.0.1:0".parse().unwrap())?;
    let listener = server.listen(16)?;
    let client = TcpSocket::new_v4()?;
    client.set_send_buffer_size(16 * 1024)?;
    let mut writer = client.connect(listener.local_addr()?).await?;
    let (mut reader, _) = listener.accept().await?;

    let (stuck_tx, stuck_rx) = oneshot::channel();
    let writing = tokio::spawn(async move {
        let chunk = vec![b'x'; 16 * 1024];
        let (mut sent, mut stuck_tx) = (0, Some(stuck_tx));
        while sent < TOTAL {
            let piece = &chunk[..chunk.len().min(TOTAL - sent)];
            match timeout(Duration::from_millis(200), writer.write(piece)).await {
                Ok(written) => sent += written?,
                Err(_) => {
                    if let Some(tx) = stuck_tx.take() {
                        println!(
                            "writer: stuck after {} KiB; no room left in the buffers",
                            sent / 1024
                        );
                        let _ = tx.send(());
                    }
                }
            }
        }
        writer.shutdown().await?;
        std::io::Result::Ok(sent)
    });

    stuck_rx.await.unwrap();
    println!("reader: starts reading");
    let (mut received, mut buffer) = (0, vec![0; 64 * 1024]);
    loop {
        let n = reader.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        received += n;
    }
    let sent = writing.await.unwrap()?;
    println!("reader: received {} KiB; the writer sent {} KiB", received / 1024, sent / 1024);
    Ok(())
}
